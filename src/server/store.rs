//! The SQL the server runs: rooms and participations. Runtime-checked queries, so building needs
//! no database.

use sqlx::SqlitePool;

use crate::protocol::Role;
use crate::server::db::now_ms;

mod admin;
mod attendance;
mod classroom;
mod live_rooms;
mod participations;
mod room_list;
pub use admin::{delete_room, reopen_room, set_teacher_key_hash};
pub use attendance::{
    class_session, group_attendees, room_attendance, room_sessions, session_attendees,
    ParticipationRow,
};
pub use classroom::{add_chat, add_hand_event, chat_history, close_room, set_auto_admit};
pub use live_rooms::{
    forget_live_room, forget_live_rooms_but, highest_peer_id, live_rooms, open_session, open_stays,
    save_live_room,
};
pub use participations::{
    add_denied, beat, close_dangling, end_participation, end_session, last_beat,
    start_participation, start_session, Dangling, Kept, Participation,
};
pub use room_list::{room_list, RoomListRow};

/// A room as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RoomRow {
    pub id: String,
    pub name: String,
    pub teacher_key_hash: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub auto_admit: bool,
}

/// Stores a new open room; `auto_admit`: students skip the waiting room.
pub async fn create_room(
    pool: &SqlitePool,
    id: &str,
    name: &str,
    teacher_key_hash: &str,
    auto_admit: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO rooms (id, name, teacher_key_hash, created_at, auto_admit)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(name)
    .bind(teacher_key_hash)
    .bind(now_ms())
    .bind(auto_admit)
    .execute(pool)
    .await?;
    Ok(())
}

/// The room with this id, if it exists and is not closed.
pub async fn open_room(pool: &SqlitePool, id: &str) -> sqlx::Result<Option<RoomRow>> {
    Ok(find_room(pool, id).await?.filter(|r| r.closed_at.is_none()))
}

/// The room with this id, open or closed.
pub async fn find_room(pool: &SqlitePool, id: &str) -> sqlx::Result<Option<RoomRow>> {
    sqlx::query_as(
        "SELECT id, name, teacher_key_hash, created_at, closed_at, auto_admit FROM rooms WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Closes open rooms that nobody is in and nobody has used since `before` (Unix ms): not created,
/// reopened, joined or left after it. Returns how many were closed.
pub async fn close_idle_rooms(pool: &SqlitePool, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE rooms SET closed_at = ?1 WHERE closed_at IS NULL AND coalesce(reopened_at, created_at) < ?2
           AND NOT EXISTS (SELECT 1 FROM participations p WHERE p.room_id = rooms.id
                             AND (p.left_at IS NULL OR p.left_at >= ?2 OR p.joined_at >= ?2))",
    )
    .bind(now_ms())
    .bind(before)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// How a role is stored.
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Teacher => "teacher",
        Role::Student | Role::Other => "student",
    }
}
