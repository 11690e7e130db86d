//! Reading attendance: a room's class sessions, and each session's participations grouped into
//! people. The grouping ([`group_attendees`]) is a pure function over the rows.

mod people;

use std::collections::HashMap;

use sqlx::SqlitePool;

pub use people::group_attendees;

use crate::api::attendance::{Attendee, ClassSession, SessionEnd};

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

/// Everyone in session `id`, as [`group_attendees`] groups them at `now` (or at the session's end,
/// if it ended: a stay whose end was never written does not grow after its session closed).
pub async fn session_attendees(
    pool: &SqlitePool,
    id: i64,
    now: i64,
) -> sqlx::Result<Vec<Attendee>> {
    let ended: Option<i64> = sqlx::query_scalar("SELECT ended_at FROM class_sessions WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .flatten();
    let rows: Vec<ParticipationRow> = sqlx::query_as(&format!(
        "SELECT {PARTICIPATION_COLUMNS} FROM participations WHERE session_id = ?
         ORDER BY joined_at, id"
    ))
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(group_attendees(&rows, until(ended, now)))
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
            let people = group_attendees(&rows, until(s.ended_at, now));
            (s.into(), people)
        })
        .collect())
}

/// The time open stays count up to: now, or the end of their session if it ended.
fn until(session_end: Option<i64>, now: i64) -> i64 {
    session_end.map_or(now, |end| end.min(now))
}
