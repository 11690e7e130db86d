//! Properties of the room state machine over random message sequences (proptest).
//!
//! The fuzz target `fuzz/fuzz_targets/room.rs` checks the same rules at greater depth; these run
//! with `cargo test` in a few seconds.

use proptest::prelude::*;

use super::*;
use crate::protocol::{ClientMsg, ServerMsg};

mod strategies;
use strategies::{config, input, spec};

/// Who gave this input.
fn sender(input: &Input) -> Option<PeerId> {
    match input {
        Input::Join { peer, .. }
        | Input::Message(peer, _)
        | Input::Disconnect(peer)
        | Input::Lost(peer)
        | Input::Resume { conn: peer, .. } => Some(*peer),
        Input::Tick | Input::Admin(_) => None,
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
        let mut rooms = [Room::new(half_mesh("a", capacity)), Room::new(half_mesh("b", capacity))];
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
        let mut room = Room::new(half_mesh("r", capacity));
        let mut now = 0;
        for (dt, input) in steps {
            now += dt;
            room.step(now, input);
        }
        for peer in 0..6 {
            let admitted = room.member(peer).is_some();
            let before = room.clone();
            let out = room.step(now, Input::Disconnect(peer));
            prop_assert!(!room.contains(peer));
            if admitted {
                let left = out.iter().any(|o| matches!(o,
                    Output::Persist(Record::Left { peer: p, at, .. }) if *p == peer && *at <= now));
                prop_assert!(left);
                // Everyone who knew it and is here is told (the away hear it from their resume).
                let knew = |p: PeerId| before.known_by(p).contains(&peer) && !room.is_away(p);
                for other in (0..6).filter(|&p| room.member(p).is_some() && knew(p)) {
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
        let mut room = Room::new(half_mesh("r", capacity));
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
        Input::Join { peer, .. }
        | Input::Message(peer, _)
        | Input::Disconnect(peer)
        | Input::Lost(peer)
        | Input::Resume { conn: peer, .. } => *peer += by,
        Input::Tick | Input::Admin(_) => {}
    }
}

/// A room that moves to the media server once half its capacity is in (or by class mode).
fn half_mesh(id: &str, capacity: usize) -> RoomSpec {
    RoomSpec {
        mesh_size: capacity / 2,
        ..spec(id, capacity)
    }
}
