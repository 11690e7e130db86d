//! Raised hands: ordered, shown to everyone, and tied to the word.

use super::*;
use crate::server::room::HandEvent;

fn class() -> Sim {
    let mut sim = Sim::new(10);
    sim.teacher(1, "Kim");
    for (peer, name) in [(2, "Minji"), (3, "Joon"), (4, "Hana")] {
        sim.admitted(peer, name, 1);
    }
    sim
}

/// The hand queue as a teacher would show it: by `seq`.
fn queue(sim: &Sim) -> Vec<PeerId> {
    let mut hands: Vec<(u64, PeerId)> = (0..10)
        .filter_map(|p| sim.room.member(p))
        .filter_map(|p| p.hand.map(|h| (h.seq, p.id)))
        .collect();
    hands.sort();
    hands.into_iter().map(|(_, p)| p).collect()
}

#[test]
fn hands_queue_in_the_order_they_were_raised() {
    let mut sim = class();
    for peer in [3, 2, 4] {
        sim.advance(1_000);
        let out = sim.send(peer, ClientMsg::RaiseHand);
        assert_eq!(recipients(&out), vec![1, 2, 3, 4], "everyone sees the mark");
        let hand = updated(&out, peer).and_then(|p| p.hand).expect("raised");
        assert_eq!(hand.at, sim.now);
    }
    assert_eq!(queue(&sim), vec![3, 2, 4]);
    // Raising again changes nothing and does not lose the place.
    assert!(sim.send(3, ClientMsg::RaiseHand).is_empty());
    // Lowering and raising again goes to the back.
    sim.send(3, ClientMsg::LowerHand { peer: None });
    sim.send(3, ClientMsg::RaiseHand);
    assert_eq!(queue(&sim), vec![2, 4, 3]);
}

#[test]
fn let_speak_takes_the_hand_off_the_queue_and_is_recorded() {
    let mut sim = class();
    sim.send(2, ClientMsg::RaiseHand);
    sim.send(3, ClientMsg::RaiseHand);
    let out = sim.send(1, ClientMsg::AllowSpeak { peer: 2 });
    assert_eq!(queue(&sim), vec![3]);
    let info = updated(&out, 2).expect("told");
    assert!(info.may_speak && info.hand.is_none());
    assert!(records(&out).contains(&Record::Hand {
        name: "Minji".into(),
        event: HandEvent::SpeakGranted,
        at: sim.now
    }));
}

#[test]
fn a_teacher_may_lower_a_students_hand_and_a_student_only_their_own() {
    let mut sim = class();
    sim.send(2, ClientMsg::RaiseHand);
    let other = ClientMsg::LowerHand { peer: Some(2) };
    assert_eq!(
        refusal(&sim.send(3, other.clone())),
        Some(ErrorCode::Forbidden)
    );
    let out = sim.send(1, other);
    assert!(
        matches!(&to(&out, 2)[..], [ServerMsg::PeerUpdated { by: Some(by), .. }] if by == "Kim")
    );
    assert!(queue(&sim).is_empty());
    assert_eq!(
        refusal(&sim.send(1, ClientMsg::RaiseHand)),
        Some(ErrorCode::Forbidden)
    );
}

#[test]
fn a_hand_leaves_with_its_student() {
    let mut sim = class();
    sim.send(2, ClientMsg::RaiseHand);
    sim.disconnect(2);
    assert!(queue(&sim).is_empty());
    sim.admitted(2, "Minji", 1);
    assert!(sim.room.member(2).is_some_and(|p| p.hand.is_none()));
}

/// Every hand change is told to everyone: raising and lowering in a loop is refused like a chat flood,
/// and the refusal changes nothing.
#[test]
fn toggling_a_hand_fast_is_refused() {
    let mut sim = class();
    let mut refused = 0;
    for i in 0..20 {
        let msg = if i % 2 == 0 {
            ClientMsg::RaiseHand
        } else {
            ClientMsg::LowerHand { peer: None }
        };
        let before = sim.room.clone();
        let out = sim.send(2, msg);
        if refusal(&out) == Some(ErrorCode::RateLimited) {
            refused += 1;
            assert_eq!(sim.room, before);
        }
    }
    // 5 changes at once (raise, lower, raise, lower, raise); then every lowering is refused and
    // every raising finds the hand already up.
    assert_eq!(refused, 8, "5 changes at once, then none until time passes");
    let accepted = |out: &[Output]| refusal(out).is_none() && !out.is_empty();
    sim.advance(1_000);
    assert!(accepted(&sim.send(2, ClientMsg::LowerHand { peer: None })));
    sim.advance(1_000);
    assert!(accepted(&sim.send(2, ClientMsg::RaiseHand)));
    // A teacher lowering it is not the student's budget, nor limited.
    assert!(accepted(
        &sim.send(1, ClientMsg::LowerHand { peer: Some(2) })
    ));
}
