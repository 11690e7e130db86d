//! Turning away, and ending the class: told by whom, closed, and remembered for as long as it should.

use super::*;
use crate::server::room::admission::TURNED_AWAY_MS;

#[test]
fn a_denied_student_is_told_by_whom_and_may_knock_again_after_a_minute() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    let out = sim.send(1, ClientMsg::Deny { peer: 2 });
    let ended = ServerMsg::Ended {
        reason: EndedReason::Denied,
        by: Some("Kim".into()),
    };
    assert_eq!(to(&out, 2), vec![ended]);
    assert_eq!(closes(&out), vec![(2, EndedReason::Denied)]);
    assert!(out.contains(&Output::WakeAt(sim.now + TURNED_AWAY_MS)));
    // Same address, same name (in any case), new connection: not yet.
    assert_eq!(
        refusal(&sim.join_as(2, "MINJI", None)),
        Some(ErrorCode::TryLater)
    );
    sim.advance(TURNED_AWAY_MS - 1);
    assert_eq!(
        refusal(&sim.join_as(2, "Minji", None)),
        Some(ErrorCode::TryLater)
    );
    // Someone else from the same address (a school's one public IP) is not held back.
    let other = sim.step(Input::Join {
        peer: 3,
        address: "10.0.0.2".into(),
        name: "Joon".into(),
        teacher_key: None,
        media: av(),
        attendee: None,
        resume: token(99),
    });
    assert!(matches!(&to(&other, 3)[..], [ServerMsg::Waiting { .. }]));
    sim.advance(1);
    assert!(
        sim.step(Input::Tick).is_empty(),
        "the memory is gone and no wake-up is left"
    );
    assert!(matches!(
        &to(&sim.student(2, "Minji"), 2)[..],
        [ServerMsg::Waiting { .. }]
    ));
}

#[test]
fn ending_the_class_sends_everyone_off_and_closes_the_room() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.student(3, "Joon");
    let out = sim.send(1, ClientMsg::EndClass);
    let ended = ServerMsg::Ended {
        reason: EndedReason::ClassEnded,
        by: Some("Kim".into()),
    };
    for peer in [1, 2, 3] {
        assert_eq!(to(&out, peer), vec![ended.clone()]);
    }
    assert_eq!(closes(&out).len(), 3);
    let recs = records(&out);
    assert!(recs.contains(&Record::Left {
        peer: 1,
        at: sim.now,
        restart: false
    }));
    assert!(recs.contains(&Record::Left {
        peer: 2,
        at: sim.now,
        restart: false
    }));
    assert!(recs.ends_with(&[
        Record::ClassEnded { at: sim.now },
        Record::SessionEnded {
            at: sim.now,
            reason: SessionEnd::Ended
        }
    ]));
    assert!(sim.room.is_empty() && sim.room.has_ended());
    assert_eq!(
        refusal(&sim.teacher(4, "Lee")),
        Some(ErrorCode::UnknownRoom)
    );
}

/// Found by fuzzing: a refused knock pruned the expired "turned away" entries on its way — a refusal
/// that changed the room. Expired entries are the tick's to remove.
#[test]
fn a_refused_knock_changes_nothing() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    sim.send(1, ClientMsg::Deny { peer: 2 });
    sim.advance(30_000);
    sim.student(3, "Joon");
    sim.send(1, ClientMsg::Deny { peer: 3 });
    sim.advance(40_000); // Minji's minute is over, Joon's is not
    let before = sim.room.clone();
    let joon_again = sim.step(Input::Join {
        peer: 4,
        address: "10.0.0.3".into(),
        name: "Joon".into(),
        teacher_key: None,
        media: av(),
        attendee: None,
        resume: token(99),
    });
    assert_eq!(refusal(&joon_again), Some(ErrorCode::TryLater));
    assert_eq!(sim.room, before);
}

/// Found by fuzzing: `now + 60 s` overflowed near the end of time and panicked (in debug builds; a
/// release build wrapped and forgot the denial).
#[test]
fn turning_someone_away_at_the_end_of_time_does_not_overflow() {
    let mut sim = Sim::new(6);
    sim.now = UnixMillis::MAX - 1;
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    let out = sim.send(1, ClientMsg::Deny { peer: 2 });
    assert!(out.contains(&Output::WakeAt(UnixMillis::MAX)));
    assert_eq!(refusal(&sim.student(2, "Minji")), Some(ErrorCode::TryLater));
}
