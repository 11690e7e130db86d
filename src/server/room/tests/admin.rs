//! The administrator's actions on a live room: ending the class, deleting the room, a new teacher
//! key.

use super::*;
use crate::server::room::AdminAction;

/// A teacher, an admitted student and a student still knocking.
fn class() -> Sim {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.student(3, "Joon");
    sim
}

#[test]
fn the_administrator_ends_the_class_as_a_teacher_would_without_a_name() {
    let mut sim = class();
    sim.advance(5_000);
    let out = sim.step(Input::Admin(AdminAction::EndClass));
    let ended = ServerMsg::Ended {
        reason: EndedReason::ClassEnded,
        by: None,
    };
    for peer in [1, 2, 3] {
        assert_eq!(to(&out, peer), vec![ended.clone()], "peer {peer}");
    }
    assert_eq!(
        closes(&out),
        vec![
            (1, EndedReason::ClassEnded),
            (2, EndedReason::ClassEnded),
            (3, EndedReason::ClassEnded)
        ]
    );
    let at = sim.now;
    assert_eq!(
        records(&out),
        vec![
            Record::Left {
                peer: 1,
                at,
                restart: false
            },
            Record::Left {
                peer: 2,
                at,
                restart: false
            },
            Record::ClassEnded { at },
            Record::SessionEnded {
                at,
                reason: SessionEnd::Ended
            }
        ],
        "attendance ends for the admitted only, then the room and its session close"
    );
    assert!(sim.room.is_empty() && sim.room.has_ended());
    assert_eq!(
        refusal(&sim.teacher(4, "Kim")),
        Some(ErrorCode::UnknownRoom)
    );
    assert_eq!(
        refusal(&sim.student(5, "Ara")),
        Some(ErrorCode::UnknownRoom)
    );
}

#[test]
fn ending_an_ended_room_again_changes_nothing() {
    let mut sim = class();
    sim.step(Input::Admin(AdminAction::EndClass));
    let before = sim.room.clone();
    assert!(sim.step(Input::Admin(AdminAction::EndClass)).is_empty());
    assert!(sim.step(Input::Admin(AdminAction::Delete)).is_empty());
    assert_eq!(sim.room, before);
}

#[test]
fn deleting_sends_everyone_off_with_room_deleted_and_closes_no_class() {
    let mut sim = class();
    let out = sim.step(Input::Admin(AdminAction::Delete));
    let gone = ServerMsg::Ended {
        reason: EndedReason::RoomDeleted,
        by: None,
    };
    for peer in [1, 2, 3] {
        assert_eq!(to(&out, peer), vec![gone.clone()], "peer {peer}");
    }
    assert_eq!(closes(&out).len(), 3);
    assert!(closes(&out)
        .iter()
        .all(|(_, why)| *why == EndedReason::RoomDeleted));
    let recs = records(&out);
    assert!(
        !recs.iter().any(|r| matches!(r, Record::ClassEnded { .. })),
        "the rows are about to be deleted; nothing closes them: {recs:?}"
    );
    assert_eq!(
        recs.iter()
            .filter(|r| matches!(r, Record::Left { .. }))
            .count(),
        2,
        "the two attendances end: {recs:?}"
    );
    assert!(sim.room.is_empty() && sim.room.has_ended());
    assert_eq!(
        refusal(&sim.student(4, "Ara")),
        Some(ErrorCode::UnknownRoom)
    );
}

#[test]
fn a_new_teacher_key_takes_effect_for_joins_and_keeps_the_teacher_in_the_call() {
    let mut sim = class();
    let out = sim.step(Input::Admin(AdminAction::TeacherKey(secret::hash(
        "new-key",
    ))));
    assert!(out.is_empty(), "nobody is told anything: {out:?}");
    assert!(
        sim.room.member(1).is_some(),
        "the teacher in the call stays"
    );
    assert_eq!(
        refusal(&sim.join_as(4, "Lee", Some(KEY))),
        Some(ErrorCode::BadTeacherKey),
        "the old link no longer makes a teacher"
    );
    let out = sim.join_as(5, "Lee", Some("new-key"));
    assert!(
        matches!(
            &to(&out, 5)[..],
            [ServerMsg::Joined {
                role: Role::Teacher,
                ..
            }]
        ),
        "{out:?}"
    );
}

/// Found in review (session 27): ending the class recorded everyone as leaving at that moment,
/// so a student whose connection had dropped seconds before (still within the grace period) was
/// counted present until the end. Now, as on any departure, they left when they were lost.
#[test]
fn ending_the_class_records_an_away_member_as_gone_when_lost() {
    let mut sim = class();
    sim.advance(5_000);
    let lost_at = sim.now;
    sim.step(Input::Lost(2));
    sim.advance(10_000);
    let out = sim.step(Input::Admin(AdminAction::EndClass));
    let left: Vec<_> = records(&out)
        .into_iter()
        .filter(|r| matches!(r, Record::Left { .. }))
        .collect();
    assert_eq!(
        left,
        vec![
            Record::Left {
                peer: 1,
                at: sim.now,
                restart: false
            },
            Record::Left {
                peer: 2,
                at: lost_at,
                restart: false
            }
        ]
    );
}
