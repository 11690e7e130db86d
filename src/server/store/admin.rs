//! The SQL of the administrator's room actions: reopen, delete, a new teacher key. (Ending a class
//! goes through the room's own record, `close_room`.)

use sqlx::SqlitePool;

use crate::server::db::now_ms;

/// Opens an ended room again. Returns false when there is no such room or it was open.
pub async fn reopen_room(pool: &SqlitePool, room_id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE rooms SET closed_at = NULL, reopened_at = ? WHERE id = ? AND closed_at IS NOT NULL",
    )
    .bind(now_ms())
    .bind(room_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a room with its chat, hand events, class sessions and attendance (`ON DELETE CASCADE`;
/// the pool turns foreign keys on). Returns false when there was no such room.
pub async fn delete_room(pool: &SqlitePool, room_id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM rooms WHERE id = ?")
        .bind(room_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a new teacher key hash. Returns false when there is no such room.
pub async fn set_teacher_key_hash(
    pool: &SqlitePool,
    room_id: &str,
    hash: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE rooms SET teacher_key_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(room_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
