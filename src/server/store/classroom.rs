//! The SQL of the classroom: chat, hands, the auto-admit setting, ending a class.

use sqlx::SqlitePool;

use super::role_name;
use crate::protocol::{ChatLine, Role};
use crate::server::room::HandEvent;

/// The latest `limit` chat messages of a room, oldest first.
pub async fn chat_history(
    pool: &SqlitePool,
    room_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<ChatLine>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT sender_name, sender_role, body, sent_at FROM
           (SELECT id, sender_name, sender_role, body, sent_at FROM chat_messages
             WHERE room_id = ? ORDER BY id DESC LIMIT ?)
         ORDER BY id",
    )
    .bind(room_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, role, text, at)| ChatLine {
            from: None,
            name,
            role: if role == "teacher" {
                Role::Teacher
            } else {
                Role::Student
            },
            text,
            at,
        })
        .collect())
}

/// Stores a chat message.
pub async fn add_chat(pool: &SqlitePool, room_id: &str, line: &ChatLine) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO chat_messages (room_id, sender_name, sender_role, body, sent_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(room_id)
    .bind(&line.name)
    .bind(role_name(line.role))
    .bind(&line.text)
    .bind(line.at)
    .execute(pool)
    .await?;
    Ok(())
}

/// Stores a raise-hand event.
pub async fn add_hand_event(
    pool: &SqlitePool,
    room_id: &str,
    name: &str,
    event: HandEvent,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO hand_events (room_id, display_name, event, at) VALUES (?, ?, ?, ?)")
        .bind(room_id)
        .bind(name)
        .bind(event.as_str())
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Keeps the room's "let students in automatically" setting.
pub async fn set_auto_admit(pool: &SqlitePool, room_id: &str, on: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE rooms SET auto_admit = ? WHERE id = ?")
        .bind(on)
        .bind(room_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Closes a room for good (a teacher ended the class); its links then say so.
pub async fn close_room(pool: &SqlitePool, room_id: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE rooms SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
        .bind(at)
        .bind(room_id)
        .execute(pool)
        .await?;
    Ok(())
}
