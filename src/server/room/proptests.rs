//! Properties of the room state machine over random message sequences (proptest).
//!
//! The fuzz target `fuzz/fuzz_targets/room.rs` checks the same rules at greater depth; these run
//! with `cargo test` in a few seconds.

use proptest::prelude::*;

use super::*;
use crate::protocol::{ClientMsg, MediaState, SdpType, ServerMsg, Signal};

const KEY: &str = "the-teacher-key";

fn spec(id: &str, capacity: usize) -> RoomSpec {
    RoomSpec {
        id: id.into(),
        name: "Math 3-1".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        ice_servers: vec![],
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One input to a room: a client message, or the connection ending (`None`).
#[derive(Clone, Debug)]
struct Step {
    peer: PeerId,
    msg: Option<ClientMsg>,
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Minji".to_string()),
        Just("   ".to_string()),
        Just("\u{200B}\u{3164}".to_string()),
        Just("가".repeat(40)),
        Just("가".repeat(41)),
        "[ a-z가\u{200B}\u{202E}]{0,42}",
    ]
}

fn teacher_key() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(KEY.to_string())),
        1 => Just(Some("guess".to_string())),
    ]
}

fn media() -> impl Strategy<Value = MediaState> {
    (any::<bool>(), any::<bool>()).prop_map(|(audio, video)| MediaState {
        audio,
        video,
        screen: false,
    })
}

fn signal() -> impl Strategy<Value = Signal> {
    let description = (
        prop_oneof![
            Just(SdpType::Offer),
            Just(SdpType::Answer),
            Just(SdpType::Pranswer),
            Just(SdpType::Rollback)
        ],
        prop_oneof![
            Just(String::new()),
            Just(" ".to_string()),
            Just("v=0\r\n".to_string())
        ],
    )
        .prop_map(|(sdp_type, sdp)| Signal::Description { sdp_type, sdp });
    let candidate = (
        prop_oneof![
            Just(String::new()),
            Just("candidate:1 1 udp 2122 127.0.0.1 5000 typ host".to_string()),
            Just("a=candidate:1".to_string()),
            Just("candidate:1\r\na=x".to_string()),
        ],
        proptest::option::of(Just("0".to_string())),
        proptest::option::of(0u16..2),
    )
        .prop_map(|(candidate, sdp_mid, sdp_m_line_index)| Signal::Candidate {
            candidate,
            sdp_mid,
            sdp_m_line_index,
        });
    prop_oneof![description, candidate, Just(Signal::Unknown)]
}

/// A message or disconnect from one of `peers`; signals may address any of `targets`, and
/// sometimes claim to be from one of them.
fn step(
    peers: impl Strategy<Value = PeerId> + Clone,
    targets: impl Strategy<Value = PeerId> + Clone,
) -> impl Strategy<Value = Step> {
    let msg = prop_oneof![
        3 => (name(), teacher_key(), media()).prop_map(|(name, teacher_key, media)| {
            Some(ClientMsg::Join {
                room: "r".into(),
                name,
                teacher_key,
                media,
            })
        }),
        4 => (targets.clone(), proptest::option::weighted(0.2, targets), signal())
            .prop_map(|(to, from, data)| Some(ClientMsg::Signal { to, from, data })),
        1 => media().prop_map(|m| Some(ClientMsg::Media(m))),
        1 => Just(Some(ClientMsg::Leave)),
        1 => Just(None),
    ];
    (peers, msg).prop_map(|(peer, msg)| Step { peer, msg })
}

fn apply(room: &mut Room, step: &Step) -> Outbox {
    match &step.msg {
        Some(msg) => room.handle(step.peer, msg.clone()),
        None => room.leave(step.peer),
    }
}

fn is_refusal(out: &Outbox, peer: PeerId) -> bool {
    matches!(out.as_slice(), [(to, ServerMsg::Error { .. })] if *to == peer)
}

proptest! {
    #![proptest_config(config())]

    /// Two rooms with disjoint members (ids 1–4 and 11–14), messages addressed to anyone
    /// (0–15): whatever a room sends goes to the sender or to one of its own members at that
    /// moment, never to a member of the other room or to someone in neither; a signal reaches
    /// exactly its addressee, a member, stamped with the real sender.
    #[test]
    fn nothing_is_relayed_across_rooms_or_to_non_members(
        capacity in 0usize..5,
        steps in proptest::collection::vec(
            (any::<bool>(), step(1u64..5, 0u64..16)),
            0..60,
        ),
    ) {
        let mut rooms = [Room::new(spec("a", capacity)), Room::new(spec("b", capacity))];
        for (in_b, mut step) in steps {
            let (this, other) = if in_b { (1, 0) } else { (0, 1) };
            step.peer += 10 * this as PeerId;
            let out = apply(&mut rooms[this], &step);
            for (to, msg) in &out {
                prop_assert!(
                    *to == step.peer || rooms[this].member(*to).is_some(),
                    "{:?} to {} who is not in room {}", msg, to, this
                );
                prop_assert!(rooms[other].member(*to).is_none() || *to == step.peer);
                if let ServerMsg::Signal { from, .. } = msg {
                    prop_assert_eq!(*from, step.peer);
                    prop_assert_ne!(*to, step.peer);
                    let Some(ClientMsg::Signal { to: addressee, .. }) = &step.msg else {
                        panic!("a signal out of {step:?}");
                    };
                    prop_assert_eq!(to, addressee);
                    prop_assert_eq!(out.len(), 1);
                }
            }
            prop_assert!(rooms[this].len() <= capacity);
        }
    }

    /// Whatever happened before, a member who leaves (by message or disconnect) is gone, every
    /// remaining member is told exactly once, a second leave changes and sends nothing, and once
    /// everybody has left the room is empty.
    #[test]
    fn leaving_always_cleans_up(
        capacity in 1usize..6,
        steps in proptest::collection::vec(step(0u64..6, 0u64..7), 0..60),
        by_message in any::<bool>(),
    ) {
        let mut room = Room::new(spec("r", capacity));
        for step in &steps {
            apply(&mut room, step);
        }
        for peer in 0..6 {
            let was = room.member(peer).is_some();
            let before = room.len();
            let out = if by_message && was {
                room.handle(peer, ClientMsg::Leave)
            } else {
                room.leave(peer)
            };
            prop_assert!(room.member(peer).is_none());
            if was {
                prop_assert_eq!(room.len() + 1, before);
                let told: Vec<PeerId> = out.iter().map(|(to, _)| *to).collect();
                let rest: Vec<PeerId> = (0..6).filter(|&p| room.member(p).is_some()).collect();
                prop_assert_eq!(told, rest);
                let all_peer_left = out
                    .iter()
                    .all(|(_, m)| matches!(m, ServerMsg::PeerLeft { peer: p } if *p == peer));
                prop_assert!(all_peer_left, "{:?}", out);
            } else {
                prop_assert!(out.is_empty());
            }
            let snapshot = room.clone();
            prop_assert!(room.leave(peer).is_empty());
            prop_assert_eq!(&room, &snapshot);
        }
        prop_assert!(room.is_empty());
        prop_assert_eq!(room.len(), 0);
    }

    /// A refusal (one error, to the sender) leaves the room exactly as it was, and it is the only
    /// thing sent: an error never goes to anyone else, nor along with other messages.
    #[test]
    fn every_refusal_leaves_the_state_unchanged(
        capacity in 0usize..5,
        steps in proptest::collection::vec(step(0u64..6, 0u64..7), 0..60),
    ) {
        let mut room = Room::new(spec("r", capacity));
        for step in &steps {
            let before = room.clone();
            let out = apply(&mut room, step);
            if is_refusal(&out, step.peer) {
                prop_assert_eq!(&room, &before, "refused {:?} but changed the room", step);
            } else {
                prop_assert!(
                    out.iter().all(|(_, m)| !matches!(m, ServerMsg::Error { .. })),
                    "an error that is not a lone refusal: {:?}", out
                );
            }
        }
    }
}
