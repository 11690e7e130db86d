//! Writing attendance: class sessions, stays and refusals, the heartbeat, and closing what a
//! stopped server left open. (Reading it back for the administrator is elsewhere.)

use sqlx::SqlitePool;

use super::role_name;
use crate::protocol::Role;
use crate::server::db::now_ms;
use crate::server::room::SessionEnd;

/// One stay that starts: who, in which session, as whom.
pub struct Participation<'a> {
    pub room_id: &'a str,
    pub session_id: Option<i64>,
    pub name: &'a str,
    pub role: Role,
    /// Hex SHA-256 of the attendee token, if the client sent one.
    pub attendee: Option<&'a str>,
    pub at: i64,
    /// The member's peer id (a restarted server finds its open stay by it).
    pub peer: Option<crate::protocol::PeerId>,
}

/// Opens a class session of `room_id` at `at`; returns its id.
pub async fn start_session(pool: &SqlitePool, room_id: &str, at: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO class_sessions (room_id, started_at) VALUES (?, ?) RETURNING id",
    )
    .bind(room_id)
    .bind(at)
    .fetch_one(pool)
    .await
}

/// Closes session `id` at `at` for `reason` (once: a closed session stays as it was).
pub async fn end_session(
    pool: &SqlitePool,
    id: i64,
    at: i64,
    reason: SessionEnd,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE class_sessions SET ended_at = max(started_at, ?), end_reason = ?
         WHERE id = ? AND ended_at IS NULL",
    )
    .bind(at)
    .bind(reason.as_str())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records that someone entered the call; returns the participation id to close later.
pub async fn start_participation(pool: &SqlitePool, p: Participation<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO participations
           (room_id, session_id, display_name, role, attendee, joined_at, peer_id)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(p.room_id)
    .bind(p.session_id)
    .bind(p.name)
    .bind(role_name(p.role))
    .bind(p.attendee)
    .bind(p.at)
    .bind(p.peer.and_then(|id| i64::try_from(id).ok()))
    .fetch_one(pool)
    .await
}

/// Records that a participation ended at `at`; `restart`: at a server restart, when the old
/// server was last known alive (the row is marked like those closed at start).
pub async fn end_participation(
    pool: &SqlitePool,
    id: i64,
    at: i64,
    restart: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE participations SET left_at = max(joined_at, ?), closed_at_restart = ?
         WHERE id = ? AND left_at IS NULL",
    )
    .bind(at)
    .bind(restart)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records that a teacher turned a waiting student away (no time present: joined = left).
pub async fn add_denied(pool: &SqlitePool, p: Participation<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO participations
           (room_id, session_id, display_name, role, attendee, joined_at, left_at, outcome)
         VALUES (?, ?, ?, 'student', ?, ?, ?, 'denied')",
    )
    .bind(p.room_id)
    .bind(p.session_id)
    .bind(p.name)
    .bind(p.attendee)
    .bind(p.at)
    .bind(p.at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Notes that the server is alive at `at`: the end given to rows it leaves open if it dies.
pub async fn beat(pool: &SqlitePool, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO server_heartbeat (id, at) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET at = max(at, excluded.at)",
    )
    .bind(at)
    .execute(pool)
    .await?;
    Ok(())
}

/// What [`close_dangling`] closed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dangling {
    pub participations: u64,
    pub sessions: u64,
}

/// The last time the previous run was known alive (its heartbeat), if it ever beat.
pub async fn last_beat(pool: &SqlitePool) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT at FROM server_heartbeat WHERE id = 1")
        .fetch_optional(pool)
        .await
}

/// Open rows a restarted server takes over (their rooms were restored): they stay open.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    pub stays: Vec<i64>,
    pub sessions: Vec<i64>,
}

/// At start, before anything is recorded: closes the stays and sessions a previous run left open
/// (a crash, a kill, a power cut) at the last time that run was known alive — its heartbeat, never
/// before the row began — and marks them, so attendance never counts the downtime as presence.
/// The rows in `kept` belong to restored rooms, whose people may still resume: they stay open.
pub async fn close_dangling(pool: &SqlitePool, kept: &Kept) -> sqlx::Result<Dangling> {
    // No heartbeat at all: a database from before heartbeats; now is the only bound there is.
    let last = last_beat(pool).await?.unwrap_or_else(now_ms);
    let json = |ids: &[i64]| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut tx = pool.begin().await?;
    let participations = sqlx::query(
        "UPDATE participations SET left_at = max(joined_at, ?), closed_at_restart = 1
         WHERE left_at IS NULL AND id NOT IN (SELECT value FROM json_each(?))",
    )
    .bind(last)
    .bind(json(&kept.stays))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let sessions = sqlx::query(
        "UPDATE class_sessions SET ended_at = max(started_at, ?), end_reason = 'restart'
         WHERE ended_at IS NULL AND id NOT IN (SELECT value FROM json_each(?))",
    )
    .bind(last)
    .bind(json(&kept.sessions))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(Dangling {
        participations,
        sessions,
    })
}
