//! Class sessions and who the attendance is about: a session opens with the first person in the
//! empty room and closes when it empties or the class ends; an attendee token is kept hashed; a
//! denied student is recorded.

use super::*;

fn join_with(
    sim: &mut Sim,
    peer: PeerId,
    key: Option<&str>,
    attendee: Option<&str>,
) -> Vec<Output> {
    sim.step(Input::Join {
        peer,
        address: format!("10.0.0.{peer}"),
        name: "Minji".into(),
        teacher_key: key.map(Into::into),
        media: av(),
        attendee: attendee.map(Into::into),
        resume: token(peer),
    })
}

fn sessions(out: &[Output]) -> Vec<Record> {
    records(out)
        .into_iter()
        .filter(|r| {
            matches!(
                r,
                Record::SessionStarted { .. } | Record::SessionEnded { .. }
            )
        })
        .collect()
}

#[test]
fn a_session_runs_from_the_first_person_in_to_the_room_emptying() {
    let mut sim = Sim::new(6);
    // A student waiting before the teacher already counts as "someone in the room".
    let out = sim.student(2, "Minji");
    assert_eq!(sessions(&out), vec![Record::SessionStarted { at: sim.now }]);
    sim.advance(1_000);
    let out = sim.teacher(1, "Kim");
    assert_eq!(sessions(&out), vec![], "one session, not one per person");
    sim.send(1, ClientMsg::Admit { peer: 2 });
    sim.advance(60_000);
    assert_eq!(sessions(&sim.disconnect(1)), vec![]);
    let out = sim.disconnect(2);
    assert_eq!(
        sessions(&out),
        vec![Record::SessionEnded {
            at: sim.now,
            reason: SessionEnd::Empty
        }]
    );
    // Coming back later is a new session.
    sim.advance(5_000);
    assert_eq!(
        sessions(&sim.teacher(3, "Kim")),
        vec![Record::SessionStarted { at: sim.now }]
    );
}

#[test]
fn the_session_record_comes_before_the_attendance_it_holds() {
    let mut sim = Sim::new(6);
    let out = sim.teacher(1, "Kim");
    assert!(matches!(
        &records(&out)[..],
        [
            Record::SessionStarted { .. },
            Record::Admitted { peer: 1, .. }
        ]
    ));
}

#[test]
fn ending_the_class_ends_the_session_after_everyone_left() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.student(3, "Joon");
    let out = sim.send(1, ClientMsg::EndClass);
    let recs = records(&out);
    let end = recs.iter().position(|r| {
        matches!(
            r,
            Record::SessionEnded {
                reason: SessionEnd::Ended,
                ..
            }
        )
    });
    assert_eq!(end, Some(recs.len() - 1), "{recs:?}");
    assert_eq!(
        recs.iter()
            .filter(|r| matches!(r, Record::Left { .. }))
            .count(),
        2,
        "the two in the call leave; the waiting student never entered"
    );
}

#[test]
fn a_refused_join_into_an_empty_room_opens_no_session() {
    let mut sim = Sim::new(6);
    assert!(records(&sim.join_as(1, "Kim", Some("wrong key"))).is_empty());
    assert!(records(&sim.join_as(2, "   ", None)).is_empty());
    assert!(records(&join_with(&mut sim, 3, None, Some("short"))).is_empty());
    assert!(sim.room.is_empty());
}

#[test]
fn the_attendee_token_is_kept_only_hashed() {
    let mut sim = Sim::new(6);
    let token = "0123456789abcdef0123456789abcdef";
    let out = join_with(&mut sim, 1, Some(KEY), Some(token));
    let recs = records(&out);
    let Some(Record::Admitted { attendee, .. }) = recs.get(1) else {
        panic!("{recs:?}");
    };
    assert_eq!(attendee.as_deref(), Some(secret::hash(token).as_str()));
    assert!(
        !format!("{out:?}").contains(token),
        "the token itself goes nowhere"
    );
}

#[test]
fn a_malformed_attendee_token_is_refused_clearly() {
    let mut sim = Sim::new(6);
    for bad in ["", "short", "has spaces in it!!", &"x".repeat(65)] {
        let out = join_with(&mut sim, 1, None, Some(bad));
        assert_eq!(refusal(&out), Some(ErrorCode::InvalidAttendee), "{bad:?}");
    }
}

#[test]
fn a_denied_student_is_recorded_with_their_attendee() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    join_with(&mut sim, 2, None, Some("student-token-0002"));
    sim.advance(3_000);
    let out = sim.send(1, ClientMsg::Deny { peer: 2 });
    assert_eq!(
        records(&out),
        vec![Record::Denied {
            name: "Minji".into(),
            attendee: Some(secret::hash("student-token-0002")),
            at: sim.now,
        }]
    );
}
