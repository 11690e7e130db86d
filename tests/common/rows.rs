//! Participation rows in the test server's database: reading one, and polling until the server
//! has written or closed it.

use std::time::Duration;

use sqlx::SqlitePool;

use super::RECV_TIMEOUT;

/// `left_at` and `joined_at` of `name`'s only participation row.
pub async fn participation(pool: &SqlitePool, name: &str) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT joined_at, left_at FROM participations WHERE display_name = ?")
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("exactly one participation row")
}

/// Polls until `name`'s row is closed (the server writes it after telling the others).
pub async fn wait_row_closed(pool: &SqlitePool, name: &str) -> (i64, i64) {
    let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
    loop {
        if let (joined, Some(left)) = wait_row_closed_or_open(pool, name).await {
            return (joined, left);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name}'s participation never closed"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Polls until `name` has a participation row (written just after the `joined` reply).
pub async fn wait_row_closed_or_open(pool: &SqlitePool, name: &str) -> (i64, Option<i64>) {
    let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
    loop {
        let row =
            sqlx::query_as("SELECT joined_at, left_at FROM participations WHERE display_name = ?")
                .bind(name)
                .fetch_optional(pool)
                .await
                .expect("query");
        if let Some(row) = row {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no participation row for {name}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
