//! Properties of the room state machine over random message sequences (proptest).
//!
//! The fuzz target `fuzz/fuzz_targets/room.rs` checks the same rules at greater depth; these run
//! with `cargo test` in a few seconds.

use proptest::prelude::*;

use super::*;
use crate::protocol::{ClientMsg, MediaState, SdpType, ServerMsg, SettingsChange, Signal};
use crate::server::secret;

const KEY: &str = "the-teacher-key";

fn spec(id: &str, capacity: usize) -> RoomSpec {
    RoomSpec {
        id: id.into(),
        name: "Math 3-1".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        ice_servers: vec![],
        auto_admit: false,
        chat: vec![],
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
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
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(audio, video, screen)| MediaState {
        audio,
        video,
        screen,
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

/// Any message a client can send but `join`, aimed at any of `targets`.
fn message(
    targets: impl Strategy<Value = PeerId> + Clone + 'static,
) -> impl Strategy<Value = ClientMsg> {
    let change = (
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(a, m, r, c, s)| SettingsChange {
            auto_admit: a,
            mics_locked: m,
            room_locked: r,
            chat_locked: c,
            students_may_share: s,
        });
    let t = targets.clone();
    prop_oneof![
        4 => (t.clone(), proptest::option::weighted(0.2, t.clone()), signal())
            .prop_map(|(to, from, data)| ClientMsg::Signal { to, from, data }),
        2 => media().prop_map(ClientMsg::Media),
        1 => Just(ClientMsg::Leave),
        1 => Just(ClientMsg::RaiseHand),
        1 => proptest::option::of(t.clone()).prop_map(|peer| ClientMsg::LowerHand { peer }),
        1 => "[a-z \n\u{200B}]{0,8}".prop_map(|text| ClientMsg::Chat { text }),
        2 => t.clone().prop_map(|peer| ClientMsg::Admit { peer }),
        1 => t.clone().prop_map(|peer| ClientMsg::Deny { peer }),
        1 => Just(ClientMsg::AdmitAll),
        1 => t.clone().prop_map(|peer| ClientMsg::Mute { peer }),
        1 => Just(ClientMsg::MuteAll),
        1 => t.clone().prop_map(|peer| ClientMsg::AllowSpeak { peer }),
        1 => t.clone().prop_map(|peer| ClientMsg::RevokeSpeak { peer }),
        1 => t.prop_map(|peer| ClientMsg::Remove { peer }),
        1 => change.prop_map(ClientMsg::Settings),
        1 => Just(ClientMsg::EndClass),
    ]
}

/// One input: a join, a message, a disconnect, or time passing, from one of `peers`.
fn input(
    peers: impl Strategy<Value = PeerId> + Clone + 'static,
    targets: impl Strategy<Value = PeerId> + Clone + 'static,
) -> impl Strategy<Value = (UnixMillis, Input)> {
    let p = peers.clone();
    let join = (p.clone(), 0u8..3, name(), teacher_key(), media()).prop_map(
        |(peer, address, name, teacher_key, media)| Input::Join {
            peer,
            address: format!("10.0.0.{address}"),
            name,
            teacher_key,
            media,
        },
    );
    let input = prop_oneof![
        3 => join,
        8 => (p.clone(), message(targets)).prop_map(|(peer, msg)| Input::Message(peer, msg)),
        1 => p.prop_map(Input::Disconnect),
        1 => Just(Input::Tick),
    ];
    (0i64..40_000, input)
}

/// Who gave this input.
fn sender(input: &Input) -> Option<PeerId> {
    match input {
        Input::Join { peer, .. } | Input::Message(peer, _) | Input::Disconnect(peer) => Some(*peer),
        Input::Tick => None,
    }
}

fn is_refusal(out: &[Output], peer: Option<PeerId>) -> bool {
    matches!(out, [Output::Send(to, ServerMsg::Error { .. })] if Some(*to) == peer)
}

/// What someone still waiting may be sent.
fn fit_for_the_waiting(msg: &ServerMsg) -> bool {
    matches!(
        msg,
        ServerMsg::Waiting { .. }
            | ServerMsg::Joined { .. }
            | ServerMsg::Error { .. }
            | ServerMsg::Ended { .. }
    )
}

proptest! {
    #![proptest_config(config())]

    /// Two rooms with disjoint connections (1–5 and 11–15), messages aimed at anyone (0–15):
    /// whatever a room sends goes to the sender, to one of its own connections or to one it just
    /// closed; a signal reaches exactly its admitted addressee, stamped with the real sender; and
    /// nobody waiting is sent anything of the class.
    #[test]
    fn nothing_leaks_across_rooms_or_out_of_the_waiting_room(
        capacity in 0usize..5,
        steps in proptest::collection::vec((any::<bool>(), input(1u64..6, 0u64..16)), 0..80),
    ) {
        let mut rooms = [Room::new(spec("a", capacity)), Room::new(spec("b", capacity))];
        let mut now = 0;
        for (in_b, (dt, mut input)) in steps {
            let this = usize::from(in_b);
            shift(&mut input, 10 * this as PeerId);
            let from = sender(&input);
            let was_waiting: Vec<PeerId> = (0..16)
                .filter(|&p| rooms[this].contains(p) && rooms[this].member(p).is_none())
                .collect();
            now += dt;
            let out = rooms[this].step(now, input.clone());
            let closed: Vec<PeerId> = out.iter().filter_map(|o| match o {
                Output::Close(p, _) => Some(*p),
                _ => None,
            }).collect();
            for o in &out {
                let Output::Send(to, msg) = o else { continue };
                prop_assert!(
                    Some(*to) == from || rooms[this].contains(*to) || closed.contains(to),
                    "{:?} to {} who is not in room {}", msg, to, this
                );
                prop_assert!(!rooms[1 - this].contains(*to) || Some(*to) == from);
                if was_waiting.contains(to) && rooms[this].member(*to).is_none() {
                    prop_assert!(fit_for_the_waiting(msg), "{:?} to waiting {}", msg, to);
                }
                if let ServerMsg::Signal { from: stamped, .. } = msg {
                    prop_assert_eq!(Some(*stamped), from);
                    prop_assert!(rooms[this].member(*to).is_some());
                    let Input::Message(_, ClientMsg::Signal { to: addressee, .. }) = &input else {
                        panic!("a signal out of {input:?}");
                    };
                    prop_assert_eq!(to, addressee);
                }
            }
            let admitted = (0..16).filter(|&p| rooms[this].member(p).is_some()).count();
            prop_assert!(admitted <= capacity);
        }
    }

    /// Whatever happened before, a connection that ends is gone, the admitted are told it left (and
    /// teachers that a knock ended), a second disconnect does nothing, and once everyone is gone the
    /// room is empty.
    #[test]
    fn leaving_always_cleans_up(
        capacity in 1usize..6,
        steps in proptest::collection::vec(input(0u64..6, 0u64..7), 0..80),
    ) {
        let mut room = Room::new(spec("r", capacity));
        let mut now = 0;
        for (dt, input) in steps {
            now += dt;
            room.step(now, input);
        }
        for peer in 0..6 {
            let admitted = room.member(peer).is_some();
            let out = room.step(now, Input::Disconnect(peer));
            prop_assert!(!room.contains(peer));
            if admitted {
                let left = Output::Persist(Record::Left { peer, at: now });
                prop_assert!(out.contains(&left));
                for other in (0..6).filter(|&p| room.member(p).is_some()) {
                    let told = Output::Send(other, ServerMsg::PeerLeft { peer });
                    prop_assert!(out.contains(&told));
                }
            }
            let snapshot = room.clone();
            prop_assert!(room.step(now, Input::Disconnect(peer)).is_empty());
            prop_assert_eq!(&room, &snapshot);
        }
        prop_assert!(room.is_empty());
    }

    /// A refusal (one error, to the sender) leaves the room exactly as it was.
    #[test]
    fn every_refusal_leaves_the_state_unchanged(
        capacity in 0usize..5,
        steps in proptest::collection::vec(input(0u64..6, 0u64..7), 0..80),
    ) {
        let mut room = Room::new(spec("r", capacity));
        let mut now = 0;
        for (dt, input) in steps {
            now += dt;
            let before = room.clone();
            let from = sender(&input);
            let out = room.step(now, input.clone());
            if is_refusal(&out, from) {
                prop_assert_eq!(&room, &before, "refused {:?} but changed the room", input);
            }
        }
    }
}

/// Moves every peer id in `input` by `by` (to put it in the second room).
fn shift(input: &mut Input, by: PeerId) {
    match input {
        Input::Join { peer, .. } | Input::Message(peer, _) | Input::Disconnect(peer) => *peer += by,
        Input::Tick => {}
    }
}
