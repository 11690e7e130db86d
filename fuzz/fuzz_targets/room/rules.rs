//! The rules on the room itself after a step: its counts and sessions, the members' rights,
//! attendance, refusals, roles, settings, leaving and the end of the class.

use std::collections::BTreeSet;

use classroom::protocol::{ClientMsg, PeerId, Role, ServerMsg};
use classroom::server::room::{Input, Output, Record, Room};

use crate::{is_teacher, Outcome, IDS};

/// Nobody outside the ids in play, no more admitted than the capacity, and a class session for
/// each stretch of a non-empty room.
pub fn counts(room: &Room, capacity: usize, s: &Outcome) {
    let (before, out) = (s.before, s.out);
    let inside = IDS.into_iter().filter(|&p| room.contains(p)).count();
    assert_eq!(room.len(), inside, "members outside the ids in play");
    assert_eq!(room.is_empty(), inside == 0);
    assert!(
        s.now_admitted.len() <= capacity,
        "{} admitted, capacity {}",
        s.now_admitted.len(),
        capacity
    );

    // A class session opens when the empty room gets someone and closes when it empties again.
    let count = |want: fn(&Record) -> bool| {
        out.iter()
            .filter(|o| matches!(o, Output::Persist(r) if want(r)))
            .count()
    };
    let started = count(|r| matches!(r, Record::SessionStarted { .. }));
    let ended = count(|r| matches!(r, Record::SessionEnded { .. }));
    assert_eq!(
        started,
        usize::from(before.is_empty() && !room.is_empty()),
        "{out:?}"
    );
    assert_eq!(
        ended,
        usize::from(!before.is_empty() && room.is_empty()),
        "{out:?}"
    );
}

/// Rights as the room holds them.
pub fn rights(room: &Room, s: &Outcome) {
    let now_admitted = &s.now_admitted;
    let settings = room.settings();
    for p in now_admitted {
        let m = room.member(*p).expect("admitted");
        if m.role == Role::Teacher {
            assert!(m.may_speak && m.hand.is_none(), "teacher {m:?}");
            continue;
        }
        assert!(
            !m.media.audio || m.may_speak,
            "unmuted without the word: {m:?}"
        );
        assert!(
            !m.media.screen || settings.students_may_share,
            "sharing while not allowed: {m:?}"
        );
        assert!(
            settings.mics_locked || m.may_speak,
            "kept from speaking with microphones unlocked: {m:?}"
        );
    }
}

/// Attendance starts and ends exactly once with admission.
pub fn attendance(s: &Outcome) {
    let (input, out) = (s.input, s.out);
    let (was_admitted, now_admitted) = (&s.was_admitted, &s.now_admitted);
    let records = |want: fn(&Record) -> Option<PeerId>| -> Vec<PeerId> {
        out.iter()
            .filter_map(|o| match o {
                Output::Persist(r) => want(r),
                _ => None,
            })
            .collect()
    };
    let mut entered = records(|r| match r {
        Record::Admitted { peer, .. } => Some(*peer),
        _ => None,
    });
    let mut left = records(|r| match r {
        Record::Left { peer, .. } => Some(*peer),
        _ => None,
    });
    entered.sort();
    left.sort();
    let expect_entered: Vec<PeerId> = now_admitted.difference(&was_admitted).copied().collect();
    let expect_left: Vec<PeerId> = was_admitted.difference(&now_admitted).copied().collect();
    assert_eq!(entered, expect_entered, "admission records after {input:?}");
    assert_eq!(left, expect_left, "attendance ends after {input:?}");
}

/// What lasts: a refusal changes nothing, roles stay, only a teacher changes the settings, who
/// goes is gone, and an ended class stays ended and empty. `students` are the peers that joined
/// without the teacher key.
pub fn lasting(room: &Room, students: &mut BTreeSet<PeerId>, s: &Outcome) {
    let (input, from, before, out) = (s.input, s.from, s.before, s.out);
    // A refusal changes nothing.
    if let [Output::Send(to, ServerMsg::Error { code, .. })] = out {
        if Some(*to) == from {
            assert!(
                *room == *before,
                "refused {input:?} with {code:?} but the room changed:\n{before:?}\n{room:?}"
            );
        }
    }

    // Roles are for good; students stay students.
    for p in IDS {
        if let (Some(was), Some(is)) = (before.member(p), room.member(p)) {
            assert_eq!(was.role, is.role, "peer {p} changed role");
        }
    }
    students.retain(|&p| room.contains(p));
    for &p in students.iter() {
        assert_ne!(
            room.member(p).map(|m| m.role),
            Some(Role::Teacher),
            "{p} joined without the key and is a teacher"
        );
    }

    // Only a teacher changes the settings, and only with `settings`.
    if room.settings() != before.settings() {
        assert!(
            matches!(input, Input::Message(_, ClientMsg::Settings(_))) && is_teacher(before, from),
            "{input:?} changed the settings"
        );
    }

    // Who goes is gone; who is lost stays.
    if let &Input::Disconnect(p) | &Input::Message(p, ClientMsg::Leave) = input {
        assert!(!room.contains(p), "{p} still in the room after leaving");
    }
    if let &Input::Lost(p) = input {
        assert_eq!(
            room.contains(p),
            before.contains(p),
            "{p} lost changed who is in"
        );
        assert!(!room.contains(p) || room.is_away(p));
    }

    // An ended class is empty, and stays ended and empty.
    if before.has_ended() {
        assert!(room.has_ended(), "a class ended and began again");
    }
    if room.has_ended() {
        assert!(room.is_empty(), "an ended class still has members");
    }
}
