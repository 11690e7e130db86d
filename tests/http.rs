//! Pages and the `create_room` server function over plain HTTP/1.1.
//!
//! This file: the health check and room pages (found, closed by hand or when idle, escaped); the
//! `create_room` tests are in `tests/http/create_room.rs`.

mod common;

#[path = "http/create_room.rs"]
mod create_room;

use common::TestServer;

#[tokio::test]
async fn health_check_answers() {
    let srv = TestServer::start().await;
    let res = srv.http("GET", "/healthz", &[], "").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "ok");
}

#[tokio::test]
async fn an_unknown_room_is_a_404_page() {
    let srv = TestServer::start().await;
    let res = srv.http("GET", "/r/doesnotexist", &[], "").await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert!(res.body.contains("Room not found"), "{}", res.body);
}

#[tokio::test]
async fn a_closed_room_says_so_with_410() {
    let srv = TestServer::start().await;
    srv.room("closedroom", "Old Class", "k").await;
    sqlx::query("UPDATE rooms SET closed_at = created_at WHERE id = 'closedroom'")
        .execute(&srv.pool)
        .await
        .unwrap();
    let res = srv.http("GET", "/r/closedroom", &[], "").await;
    assert_eq!(res.status, 410);
    assert!(res.body.contains("This room is closed"), "{}", res.body);
}

#[tokio::test]
async fn an_open_room_page_shows_its_name() {
    let srv = TestServer::start().await;
    srv.room("room1", "Algebra II", "key1").await;
    let res = srv.http("GET", "/r/room1", &[], "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains(">Algebra II</h1>"), "{}", res.body);
    assert!(!res.body.contains("Room not found"));
}

#[tokio::test]
async fn a_room_name_is_escaped_in_the_page() {
    let srv = TestServer::start().await;
    srv.room("room1", "<b>Bold</b> & co", "key1").await;
    let res = srv.http("GET", "/r/room1", &[], "").await;
    assert_eq!(res.status, 200);
    // The heading escapes it (the <title> too: see tests/regressions.rs).
    assert!(
        res.body.contains(">&lt;b&gt;Bold&lt;/b&gt; &amp; co</h1>"),
        "{}",
        res.body
    );
}

/// Defect 4: rooms never closed. A room nobody used for `--room-idle-days` is closed by the hourly
/// chores; a room used recently, or with someone in it, is not.
#[tokio::test]
async fn rooms_unused_for_the_idle_period_close() {
    let srv = TestServer::start_with(&["--room-idle-days", "30"]).await;
    let day: i64 = 24 * 3600 * 1000;
    let now = classroom::server::db::now_ms();
    for id in ["old", "used", "busy"] {
        srv.open_room(id, "Class", "k").await;
        sqlx::query("UPDATE rooms SET created_at = ? WHERE id = ?")
            .bind(now - 60 * day)
            .bind(id)
            .execute(&srv.pool)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO participations (room_id, display_name, role, joined_at, left_at) VALUES ('used', 'A', 'student', ?, ?)")
        .bind(now - 2 * day)
        .bind(now - day)
        .execute(&srv.pool)
        .await
        .unwrap();
    let (_in_it, _) = srv.join("busy", "B").await;
    common::wait_row_closed_or_open(&srv.pool, "B").await;
    sqlx::query("UPDATE participations SET joined_at = ? WHERE room_id = 'busy'")
        .bind(now - 40 * day)
        .execute(&srv.pool)
        .await
        .unwrap();

    classroom::server::housekeeping::run_once(&srv.state).await;

    assert_eq!(srv.http("GET", "/r/old", &[], "").await.status, 410);
    assert_eq!(srv.http("GET", "/r/used", &[], "").await.status, 200);
    assert_eq!(srv.http("GET", "/r/busy", &[], "").await.status, 200);
    let mut late = srv.client().await;
    late.send_join("old", "C", None).await;
    late.expect_error(classroom::protocol::ErrorCode::UnknownRoom)
        .await;
}
