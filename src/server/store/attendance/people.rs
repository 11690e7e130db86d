//! One session's participations grouped into people: pure, so every rule (who is one person, the
//! union of their stays, admitted or denied) is unit-tested without a database.

use std::collections::HashMap;

use super::ParticipationRow;
use crate::api::attendance::{Attendee, AttendeeRole, Outcome};

/// Groups one session's participations into people: by attendee token (a row without one is a
/// person of its own, so two "Minji" with different tokens stay two). Each person's time present is
/// the union of their admitted stays (two tabs at once count once; an open stay counts up to
/// `now`). People come in the order they first appeared.
pub fn group_attendees(rows: &[ParticipationRow], now: i64) -> Vec<Attendee> {
    let mut order: Vec<String> = Vec::new();
    let mut people: HashMap<String, Vec<&ParticipationRow>> = HashMap::new();
    for row in rows {
        let key = match &row.attendee {
            Some(token) => format!("a:{token}"),
            None => format!("row:{}", row.id),
        };
        let stays = people.entry(key.clone()).or_default();
        if stays.is_empty() {
            order.push(key);
        }
        stays.push(row);
    }
    order
        .iter()
        .filter_map(|key| people.get(key))
        .filter_map(|rows| person(rows, now))
        .collect()
}

/// One person from their rows (at least one).
fn person(rows: &[&ParticipationRow], now: i64) -> Option<Attendee> {
    let latest = rows.iter().max_by_key(|r| (r.joined_at, r.id))?;
    let admitted: Vec<&&ParticipationRow> = rows.iter().filter(|r| r.outcome != "denied").collect();
    let denied = admitted.len() < rows.len();
    let outcome = match (admitted.is_empty(), denied) {
        (false, false) => Outcome::Admitted,
        (true, _) => Outcome::Denied,
        (false, true) => Outcome::AdmittedAndDenied,
    };
    let teacher = admitted.iter().any(|r| r.role == "teacher");
    let intervals: Vec<(i64, i64)> = admitted
        .iter()
        .map(|r| (r.joined_at, r.left_at.unwrap_or(now).max(r.joined_at)))
        .collect();
    let still_in = admitted.iter().any(|r| r.left_at.is_none());
    Some(Attendee {
        name: latest.display_name.clone(),
        role: if teacher {
            AttendeeRole::Teacher
        } else {
            AttendeeRole::Student
        },
        first_joined: rows.iter().map(|r| r.joined_at).min()?,
        last_left: if still_in {
            None
        } else {
            rows.iter().filter_map(|r| r.left_at).max()
        },
        present_ms: union_length(intervals),
        stays: u32::try_from(admitted.len()).unwrap_or(u32::MAX),
        outcome,
        closed_at_restart: rows.iter().any(|r| r.closed_at_restart),
    })
}

/// Total length of the union of `[start, end)` intervals: overlaps count once.
fn union_length(mut intervals: Vec<(i64, i64)>) -> i64 {
    intervals.sort_unstable();
    let mut total = 0i64;
    let mut current: Option<(i64, i64)> = None;
    for (start, end) in intervals {
        current = match current {
            Some((s, e)) if start <= e => Some((s, e.max(end))),
            Some((s, e)) => {
                total += e - s;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    total + current.map_or(0, |(s, e)| e - s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn stay(
        id: i64,
        name: &str,
        attendee: Option<&str>,
        from: i64,
        to: Option<i64>,
    ) -> ParticipationRow {
        ParticipationRow {
            id,
            session_id: 1,
            display_name: name.into(),
            role: "student".into(),
            joined_at: from * MIN,
            left_at: to.map(|t| t * MIN),
            attendee: attendee.map(Into::into),
            outcome: "admitted".into(),
            closed_at_restart: false,
        }
    }

    #[test]
    fn overlapping_stays_count_once_and_gaps_do_not_count() {
        assert_eq!(union_length(vec![]), 0);
        assert_eq!(union_length(vec![(0, 10), (5, 15)]), 15);
        assert_eq!(union_length(vec![(20, 30), (0, 10)]), 20);
        assert_eq!(union_length(vec![(0, 30), (5, 10), (10, 12)]), 30);
        assert_eq!(union_length(vec![(0, 10), (10, 20)]), 20);
    }

    #[test]
    fn a_person_is_their_token_not_their_name() {
        let rows = [
            stay(1, "Minji", Some("aaa"), 0, Some(10)),
            stay(2, "Minji", Some("bbb"), 1, Some(5)),
            // `aaa` re-joins under a new name: one person, two stays, the latest name.
            stay(3, "Minji K.", Some("aaa"), 20, Some(30)),
            // Two clients without a token: two people, even with one name.
            stay(4, "Guest", None, 2, Some(4)),
            stay(5, "Guest", None, 3, Some(6)),
        ];
        let people = group_attendees(&rows, 100 * MIN);
        let summary: Vec<_> = people
            .iter()
            .map(|p| (p.name.as_str(), p.stays, p.present_ms / MIN))
            .collect();
        assert_eq!(
            summary,
            [
                ("Minji K.", 2, 20),
                ("Minji", 1, 4),
                ("Guest", 1, 2),
                ("Guest", 1, 3)
            ]
        );
        let first = &people[0];
        assert_eq!((first.first_joined, first.last_left), (0, Some(30 * MIN)));
        assert_eq!(first.outcome, Outcome::Admitted);
    }

    #[test]
    fn two_tabs_at_once_and_an_open_stay_up_to_now() {
        let rows = [
            stay(1, "Jisoo", Some("t"), 0, Some(10)),
            stay(2, "Jisoo", Some("t"), 5, None),
        ];
        let [p] = &group_attendees(&rows, 12 * MIN)[..] else {
            panic!("one person")
        };
        assert_eq!(p.present_ms, 12 * MIN);
        assert_eq!(p.last_left, None, "still in");
        assert_eq!(p.stays, 2);
    }

    #[test]
    fn roles_refusals_and_restarts() {
        let mut teacher = stay(1, "Ms. Kim", Some("k"), 0, Some(50));
        teacher.role = "teacher".into();
        let mut later = stay(2, "Ms. Kim", Some("k"), 51, Some(52));
        later.closed_at_restart = true;
        let mut denied = stay(3, "Troll", Some("x"), 7, Some(7));
        denied.outcome = "denied".into();
        let mut denied_once = stay(4, "Hana", Some("h"), 3, Some(3));
        denied_once.outcome = "denied".into();
        let people = group_attendees(
            &[
                teacher,
                denied_once,
                denied,
                later,
                stay(5, "Hana", Some("h"), 8, Some(9)),
            ],
            60 * MIN,
        );
        let kim = &people[0];
        assert_eq!(
            (kim.role, kim.closed_at_restart),
            (AttendeeRole::Teacher, true)
        );
        assert_eq!(kim.present_ms, 51 * MIN);
        let hana = &people[1];
        assert_eq!((hana.outcome, hana.stays), (Outcome::AdmittedAndDenied, 1));
        assert_eq!((hana.first_joined, hana.present_ms), (3 * MIN, MIN));
        assert!(!hana.closed_at_restart);
        let troll = &people[2];
        assert_eq!(
            (troll.outcome, troll.stays, troll.present_ms),
            (Outcome::Denied, 0, 0)
        );
        assert_eq!(troll.role, AttendeeRole::Student);
        assert_eq!(troll.last_left, Some(7 * MIN));
    }
}
