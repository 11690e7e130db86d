//! Reading attendance: a room's class sessions, and each session's participations grouped into
//! people. The grouping ([`group_attendees`]) is a pure function over the rows.

use std::collections::HashMap;

use sqlx::SqlitePool;

use crate::api::attendance::{Attendee, AttendeeRole, ClassSession, Outcome, SessionEnd};

/// A session as stored, with its number of people.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    started_at: i64,
    ended_at: Option<i64>,
    end_reason: Option<String>,
    people: i64,
}

impl From<SessionRow> for ClassSession {
    fn from(r: SessionRow) -> Self {
        ClassSession {
            id: r.id,
            started_at: r.started_at,
            ended_at: r.ended_at,
            end: r.end_reason.as_deref().and_then(SessionEnd::parse),
            people: u32::try_from(r.people).unwrap_or(u32::MAX),
        }
    }
}

/// The columns of a session: people are attendees with an admitted stay, and a stay without an
/// attendee token is a person of its own.
const SESSION_COLUMNS: &str = "s.id, s.started_at, s.ended_at, s.end_reason,
    (SELECT count(DISTINCT coalesce(p.attendee, 'row:' || p.id)) FROM participations p
     WHERE p.session_id = s.id AND p.outcome = 'admitted') AS people";

/// Sessions of `room`, newest first: `limit` after skipping `offset`, and how many in all. The
/// `class_sessions_by_room` index serves both; people come from `participations_by_session`.
pub async fn room_sessions(
    pool: &SqlitePool,
    room: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ClassSession>, i64)> {
    let rows: Vec<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM class_sessions s WHERE s.room_id = ?
         ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?"
    ))
    .bind(room)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM class_sessions WHERE room_id = ?")
        .bind(room)
        .fetch_one(pool)
        .await?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

/// Session `id` if it belongs to `room`.
pub async fn class_session(
    pool: &SqlitePool,
    room: &str,
    id: i64,
) -> sqlx::Result<Option<ClassSession>> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM class_sessions s WHERE s.id = ? AND s.room_id = ?"
    ))
    .bind(id)
    .bind(room)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}

/// One stored participation: a stay in the call, or a refusal.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ParticipationRow {
    pub id: i64,
    pub session_id: i64,
    pub display_name: String,
    /// `teacher` or `student`.
    pub role: String,
    pub joined_at: i64,
    pub left_at: Option<i64>,
    pub attendee: Option<String>,
    /// `admitted` or `denied`.
    pub outcome: String,
    pub closed_at_restart: bool,
}

const PARTICIPATION_COLUMNS: &str =
    "id, session_id, display_name, role, joined_at, left_at, attendee, outcome, closed_at_restart";

/// Everyone in session `id`, as [`group_attendees`] groups them at `now`.
pub async fn session_attendees(
    pool: &SqlitePool,
    id: i64,
    now: i64,
) -> sqlx::Result<Vec<Attendee>> {
    let rows: Vec<ParticipationRow> = sqlx::query_as(&format!(
        "SELECT {PARTICIPATION_COLUMNS} FROM participations WHERE session_id = ?
         ORDER BY joined_at, id"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(group_attendees(&rows, now))
}

/// Every session of `room`, oldest first, each with its attendees at `now`: the whole-room export.
/// Participations from before sessions were recorded (no session) are left out.
pub async fn room_attendance(
    pool: &SqlitePool,
    room: &str,
    now: i64,
) -> sqlx::Result<Vec<(ClassSession, Vec<Attendee>)>> {
    let sessions: Vec<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM class_sessions s WHERE s.room_id = ?
         ORDER BY s.started_at, s.id"
    ))
    .bind(room)
    .fetch_all(pool)
    .await?;
    let rows: Vec<ParticipationRow> = sqlx::query_as(&format!(
        "SELECT {PARTICIPATION_COLUMNS} FROM participations
         WHERE room_id = ? AND session_id IS NOT NULL ORDER BY joined_at, id"
    ))
    .bind(room)
    .fetch_all(pool)
    .await?;
    let mut by_session: HashMap<i64, Vec<ParticipationRow>> = HashMap::new();
    for row in rows {
        by_session.entry(row.session_id).or_default().push(row);
    }
    Ok(sessions
        .into_iter()
        .map(|s| {
            let rows = by_session.remove(&s.id).unwrap_or_default();
            (s.into(), group_attendees(&rows, now))
        })
        .collect())
}

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
pub fn union_length(mut intervals: Vec<(i64, i64)>) -> i64 {
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
