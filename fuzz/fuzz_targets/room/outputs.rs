//! Every output of a step, one by one: who may be sent what, closes after `ended`, records,
//! and what the media server is told.

use std::collections::BTreeMap;

use classroom::protocol::{ClientMsg, PeerId, ServerMsg};
use classroom::server::room::{Input, Media as ToMedia, Output, Record, Room};
use classroom_fuzz::fit_for_the_waiting;

use crate::{Outcome, CONNS};

/// Checks each output of the step, keeping `media` (the media server's view) up to date.
pub fn check(room: &Room, media: &mut BTreeMap<PeerId, bool>, s: &Outcome) {
    let (input, from, before, out, now) = (s.input, s.from, s.before, s.out, s.now);
    let (closed, was_admitted, now_admitted) = (&s.closed, &s.was_admitted, &s.now_admitted);

    for (i, o) in out.iter().enumerate() {
        match o {
            Output::Send(to, msg) => {
                assert!(
                    Some(*to) == from || room.contains(*to) || closed.contains(to),
                    "{msg:?} to {to}, who is not in the room, after {input:?}"
                );
                assert!(!room.is_away(*to), "{msg:?} to {to}, who is away");
                if room.member(*to).is_none() {
                    assert!(
                        fit_for_the_waiting(msg),
                        "{msg:?} to {to}, not admitted, after {input:?}"
                    );
                }
                match msg {
                    ServerMsg::Error { .. } => {
                        assert_eq!(Some(*to), from, "{msg:?} to another than the sender")
                    }
                    ServerMsg::Joined { you, role, .. } => {
                        assert_eq!(you, to);
                        assert_eq!(room.member(*to).map(|m| m.role), Some(*role));
                    }
                    ServerMsg::Waiting { you, .. } => {
                        assert_eq!(you, to);
                        assert!(room.contains(*to) && room.member(*to).is_none());
                    }
                    ServerMsg::Signal { from: stamped, .. } => {
                        let Input::Message(_, ClientMsg::Signal { to: addressee, .. }) = input
                        else {
                            panic!("a signal out of {input:?}");
                        };
                        assert_eq!(to, addressee, "a signal to another than its addressee");
                        assert_eq!(Some(*stamped), from, "a signal stamped with another sender");
                        assert!(room.member(*to).is_some(), "a signal to a non-member");
                        assert!(
                            before.member(*stamped).is_some(),
                            "a signal from a non-member"
                        );
                        assert_eq!(out.len(), 1, "a relay does more: {out:?}");
                    }
                    _ => {}
                }
            }
            Output::Close(peer, reason) => {
                assert!(!room.contains(*peer), "closed {peer} is still in the room");
                let told = out[..i].iter().any(|o| {
                    matches!(o, Output::Send(p, ServerMsg::Ended { reason: r, .. })
                        if p == peer && r == reason)
                });
                assert!(told, "{peer} closed without `ended`: {out:?}");
            }
            Output::Persist(record) => match record {
                Record::Admitted { peer, role, at, .. } => {
                    assert!(!was_admitted.contains(peer) && now_admitted.contains(peer));
                    assert_eq!(room.member(*peer).map(|m| m.role), Some(*role));
                    assert_eq!(*at, now);
                }
                Record::Left { peer, at, .. } => {
                    assert!(was_admitted.contains(peer) && !now_admitted.contains(peer));
                    assert!(*at <= now, "a stay ends in the future");
                }
                _ => {}
            },
            Output::WakeAt(_) => {}
            Output::Media(ToMedia::Signal { peer, .. }) => {
                assert_eq!(
                    Some(*peer),
                    from,
                    "a media signal from another than its sender"
                );
                assert!(
                    room.member(*peer).is_some(),
                    "a media signal from a non-member"
                );
                assert_eq!(out.len(), 1, "a media signal does more: {out:?}");
            }
            Output::Media(ToMedia::Audio { peer, allowed }) => {
                let info = room.member(*peer).expect("audio rights of a non-member");
                assert_eq!(*allowed, info.media.audio && info.may_speak, "{info:?}");
                media.insert(*peer, *allowed);
            }
            Output::Media(ToMedia::Screen { peer, allowed }) => {
                let info = room.member(*peer).expect("screen rights of a non-member");
                assert_eq!(*allowed, info.media.screen, "{info:?}");
                assert!(media.contains_key(peer), "a screen right outside the call");
            }
            Output::Media(ToMedia::View { peer, tiles }) => {
                assert_eq!(Some(*peer), from, "a view from another than its sender");
                assert!(media.contains_key(peer), "a view from outside the call");
                assert!(tiles.len() <= classroom::protocol::MAX_VIEW_TILES);
                assert!(tiles.windows(2).all(|w| w[0].peer < w[1].peer), "{tiles:?}");
                for t in tiles {
                    assert_ne!(t.peer, *peer, "a view of oneself");
                    assert!(media.contains_key(&t.peer), "{} is not in the call", t.peer);
                }
                assert_eq!(out.len(), 1, "a view does more: {out:?}");
            }
            Output::Media(ToMedia::Leave { peer }) => {
                assert!(
                    room.member(*peer).is_none(),
                    "{peer} left the call, still admitted"
                );
                assert!(
                    media.remove(peer).is_some(),
                    "{peer} left a call it was not in"
                );
            }
            Output::Rebind { conn, peer } => {
                assert_eq!(Some(*conn), from, "rebound another connection");
                assert!(CONNS.contains(conn) && room.contains(*peer) && !room.is_away(*peer));
                assert_eq!(i, 0, "a rebind comes first: {out:?}");
            }
        }
    }

    // The media server knows exactly the admitted members, with their rights, once it knows any.
    if !media.is_empty() {
        let truth: BTreeMap<PeerId, bool> = now_admitted
            .iter()
            .filter_map(|&p| room.member(p).map(|i| (p, i.media.audio && i.may_speak)))
            .collect();
        assert_eq!(*media, truth, "the media server's view after {input:?}");
    }
}
