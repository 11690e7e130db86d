//! Sequences of client messages and disconnects into one room's state machine, with the relay rules
//! checked after every step:
//! - everything sent goes to the sender or to a member of the room after the step;
//! - a signal goes to exactly the addressed member, stamped with the sender; never to a
//!   non-member, never from a non-member;
//! - only the sender hears of its refusals, and a refusal leaves the room exactly as it was;
//! - nobody but the sender changes membership or state; whoever leaves is no longer a member, and
//!   the remaining members are told once each;
//! - the room never holds more than its capacity.

#![no_main]

use arbitrary::Arbitrary;
use classroom::protocol::{ClientMsg, MediaState, PeerId, ServerMsg};
use classroom::server::room::Room;
use classroom_fuzz::{join, signal, spec, Key, Name, Sig};
use libfuzzer_sys::fuzz_target;

/// Peer ids in play: a few small ones and the extremes.
const IDS: [PeerId; 8] = [0, 1, 2, 3, 4, 5, 6, PeerId::MAX];

fn id(n: u8) -> PeerId {
    IDS[usize::from(n) % IDS.len()]
}

#[derive(Arbitrary, Debug)]
enum Op {
    Join {
        peer: u8,
        name: Name,
        key: Key,
        audio: bool,
        video: bool,
    },
    Signal {
        peer: u8,
        to: u8,
        from: Option<u8>,
        sig: Sig,
    },
    /// A signal to an id that is not in play at all.
    SignalFar {
        peer: u8,
        to: PeerId,
        sig: Sig,
    },
    Media {
        peer: u8,
        audio: bool,
        video: bool,
    },
    /// The `leave` message.
    Leave {
        peer: u8,
    },
    /// The connection ended (`Room::leave`).
    Disconnect {
        peer: u8,
    },
    /// Any text the peer sends that parses.
    Raw {
        peer: u8,
        json: String,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    capacity: u8,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let capacity = usize::from(input.capacity % 8);
    let mut room = Room::new(spec("r1", capacity));
    for op in input.ops {
        match op {
            Op::Join {
                peer,
                name,
                key,
                audio,
                video,
            } => step(
                &mut room,
                id(peer),
                Some(join("r1", &name, &key, audio, video)),
            ),
            Op::Signal {
                peer,
                to,
                from,
                sig,
            } => step(
                &mut room,
                id(peer),
                Some(signal(id(to), from.map(id), &sig)),
            ),
            Op::SignalFar { peer, to, sig } => {
                step(&mut room, id(peer), Some(signal(to, None, &sig)))
            }
            Op::Media { peer, audio, video } => step(
                &mut room,
                id(peer),
                Some(ClientMsg::Media(MediaState { audio, video })),
            ),
            Op::Leave { peer } => step(&mut room, id(peer), Some(ClientMsg::Leave)),
            Op::Disconnect { peer } => step(&mut room, id(peer), None),
            Op::Raw { peer, json } => {
                if let Ok(msg) = serde_json::from_str::<ClientMsg>(&json) {
                    step(&mut room, id(peer), Some(msg));
                }
            }
        }
        assert!(room.len() <= capacity);
        assert_eq!(room.is_empty(), room.len() == 0);
    }
});

fn members(room: &Room) -> Vec<PeerId> {
    IDS.into_iter()
        .filter(|&p| room.member(p).is_some())
        .collect()
}

/// Applies `msg` from `peer` (`None`: its connection ended) and checks every rule on the outcome.
fn step(room: &mut Room, peer: PeerId, msg: Option<ClientMsg>) {
    let before = room.clone();
    let was_member = before.member(peer).is_some();
    let out = match msg.clone() {
        Some(msg) => room.handle(peer, msg),
        None => room.leave(peer),
    };
    let after_members = members(room);
    assert_eq!(
        room.len(),
        after_members.len(),
        "members outside the ids in play"
    );
    let others: Vec<PeerId> = after_members
        .iter()
        .copied()
        .filter(|&p| p != peer)
        .collect();

    // Addressing: the sender or a member, and only the sender hears of errors and its own join.
    for (to, m) in &out {
        assert!(
            *to == peer || room.member(*to).is_some(),
            "{m:?} to non-member {to}"
        );
        if matches!(m, ServerMsg::Error { .. } | ServerMsg::Joined { .. }) {
            assert_eq!(*to, peer, "{m:?} to someone else");
        } else {
            assert_ne!(*to, peer, "{m:?} echoed to its sender");
        }
        match m {
            ServerMsg::Signal { from, .. } => assert_eq!(*from, peer),
            ServerMsg::Media { peer: p, .. } | ServerMsg::PeerLeft { peer: p } => {
                assert_eq!(*p, peer)
            }
            ServerMsg::PeerJoined { peer: info } => assert_eq!(info.id, peer),
            ServerMsg::Joined { you, peers, .. } => {
                assert_eq!(*you, peer);
                assert!(peers.iter().all(|p| p.id != peer));
            }
            _ => {}
        }
    }

    // A refusal: one error to the sender and nothing changed.
    if let [(_, ServerMsg::Error { code, .. })] = out.as_slice() {
        assert_eq!(*room, before, "refused with {code:?} but the room changed");
        return;
    }
    assert!(
        out.iter()
            .all(|(_, m)| !matches!(m, ServerMsg::Error { .. })),
        "an error among other messages: {out:?}"
    );

    // Nobody but the sender changes.
    for p in IDS.into_iter().filter(|&p| p != peer) {
        assert_eq!(room.member(p), before.member(p), "peer {p} changed");
    }

    match msg {
        Some(ClientMsg::Join { .. }) => {
            assert!(!was_member, "a member joined again");
            let info = room.member(peer).expect("a join not refused admits");
            assert_eq!(out.len(), others.len() + 1);
            assert_announced(&out[..others.len()], &others);
            let Some((_, ServerMsg::Joined { peers, role, .. })) = out.last() else {
                panic!("no joined reply: {out:?}");
            };
            assert_eq!(*role, info.role);
            assert_eq!(peers.iter().map(|p| p.id).collect::<Vec<_>>(), others);
            assert!(out[..others.len()]
                .iter()
                .all(|(_, m)| matches!(m, ServerMsg::PeerJoined { peer } if peer == info)));
        }
        Some(ClientMsg::Signal { to, .. }) => {
            assert!(was_member && room.member(peer).is_some());
            assert!(room.member(to).is_some() && to != peer);
            assert!(matches!(out.as_slice(), [(t, ServerMsg::Signal { .. })] if *t == to));
        }
        Some(ClientMsg::Media(media)) => {
            assert!(was_member);
            assert_eq!(room.member(peer).map(|p| p.media), Some(media));
            assert_announced(&out, &others);
        }
        Some(ClientMsg::Leave) | None => {
            assert!(room.member(peer).is_none(), "still a member after leaving");
            if was_member {
                assert_eq!(room.len() + 1, before.len());
                assert_announced(&out, &others);
                assert!(out
                    .iter()
                    .all(|(_, m)| matches!(m, ServerMsg::PeerLeft { .. })));
            } else {
                assert!(msg.is_none() && out.is_empty(), "{out:?}");
                assert_eq!(*room, before);
            }
        }
    }
}

/// `out` goes to each of `to` exactly once, in order.
fn assert_announced(out: &[(PeerId, ServerMsg)], to: &[PeerId]) {
    assert_eq!(out.iter().map(|(t, _)| *t).collect::<Vec<_>>(), to);
}
