//! The admin room list: one page of rooms, newest first, optionally filtered by name.

use sqlx::SqlitePool;

/// A room as the admin list shows it, without what only the hub knows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RoomListRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    /// The latest time anyone joined or left (Unix ms); `None` if nobody ever took part.
    pub last_activity: Option<i64>,
    /// Class sessions the room has had.
    pub sessions: i64,
}

/// Rooms whose name contains `search` (any case for ASCII; all rooms when empty), newest first:
/// `limit` of them after skipping `offset`, and how many match in all. `rooms_by_created` serves
/// the order, the per-room activity comes from `participations_by_room` and the session count from
/// `class_sessions_by_room`, so a page stays a few milliseconds with 10,000 rooms.
pub async fn room_list(
    pool: &SqlitePool,
    search: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<RoomListRow>, i64)> {
    let pattern = format!("%{}%", escape_like(search));
    let rows = sqlx::query_as(
        "SELECT r.id, r.name, r.created_at, r.closed_at,
                (SELECT max(coalesce(p.left_at, p.joined_at)) FROM participations p
                 WHERE p.room_id = r.id) AS last_activity,
                (SELECT count(*) FROM class_sessions s WHERE s.room_id = r.id) AS sessions
         FROM rooms r
         WHERE r.name LIKE ?1 ESCAPE '\\'
         ORDER BY r.created_at DESC, r.id DESC
         LIMIT ?2 OFFSET ?3",
    )
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT count(*) FROM rooms WHERE name LIKE ? ESCAPE '\\'")
        .bind(&pattern)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

/// `search` matched literally: LIKE's wildcards and the escape character itself are escaped.
fn escape_like(search: &str) -> String {
    let mut out = String::with_capacity(search.len());
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_taken_literally() {
        assert_eq!(super::escape_like(r"100%_a\b"), r"100\%\_a\\b");
    }
}
