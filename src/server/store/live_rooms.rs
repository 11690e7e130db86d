//! The rooms' saved states (`live_rooms`) and what a restarted server needs besides them: the open
//! stays and sessions of those rooms, and the highest peer id given out so far.

use sqlx::SqlitePool;

use crate::protocol::PeerId;

/// Stores the state of `room_id` as `state` (JSON), replacing the last one.
pub async fn save_live_room(
    pool: &SqlitePool,
    room_id: &str,
    state: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO live_rooms (room_id, state, saved_at) VALUES (?, ?, ?)
         ON CONFLICT (room_id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at",
    )
    .bind(room_id)
    .bind(state)
    .bind(at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets the state of `room_id` (it emptied or ended).
pub async fn forget_live_room(pool: &SqlitePool, room_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM live_rooms WHERE room_id = ?")
        .bind(room_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Every saved room state: `(room id, JSON)`.
pub async fn live_rooms(pool: &SqlitePool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT room_id, state FROM live_rooms ORDER BY room_id")
        .fetch_all(pool)
        .await
}

/// Forgets every saved room state but those of `keep` (the rooms restored).
pub async fn forget_live_rooms_but(pool: &SqlitePool, keep: &[String]) -> sqlx::Result<()> {
    let keep = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    sqlx::query("DELETE FROM live_rooms WHERE room_id NOT IN (SELECT value FROM json_each(?))")
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(())
}

/// The open stays of `room_id` that carry a peer id: `(row id, peer id)`.
pub async fn open_stays(pool: &SqlitePool, room_id: &str) -> sqlx::Result<Vec<(i64, PeerId)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, peer_id FROM participations
         WHERE room_id = ? AND left_at IS NULL AND peer_id IS NOT NULL",
    )
    .bind(room_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, peer)| Some((id, PeerId::try_from(peer).ok()?)))
        .collect())
}

/// The open class session of `room_id`, if any (the newest, should there be several).
pub async fn open_session(pool: &SqlitePool, room_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM class_sessions WHERE room_id = ? AND ended_at IS NULL
         ORDER BY started_at DESC, id DESC LIMIT 1",
    )
    .bind(room_id)
    .fetch_optional(pool)
    .await
}

/// The highest peer id any stay was recorded with (0 if none).
pub async fn highest_peer_id(pool: &SqlitePool) -> sqlx::Result<PeerId> {
    let max: Option<i64> = sqlx::query_scalar("SELECT max(peer_id) FROM participations")
        .fetch_one(pool)
        .await?;
    Ok(max.and_then(|m| PeerId::try_from(m).ok()).unwrap_or(0))
}
