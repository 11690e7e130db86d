//! The room page's cache of room lookups (`server/room_cache.rs`): a page view after the first does
//! not read the database, and no way of closing, reopening or deleting a room leaves the page
//! showing what it was. Every test looks at the page *before* the change, so the room is cached.

mod common;

use classroom::api::admin_actions::{AdminDeleteRoom, AdminEndClass, AdminReopenRoom};
use classroom::protocol::{ClientMsg, ServerMsg};
use common::admin::logged_in;
use common::class::teacher;
use common::TestServer;
use leptos::server_fn::ServerFn;

/// The status of `/r/<id>` and whether the page names the room `name`.
async fn page(srv: &TestServer, id: &str, name: &str) -> (u16, bool) {
    let res = srv.http("GET", &format!("/r/{id}"), &[], "").await;
    (res.status, res.body.contains(name))
}

/// Calls an administrator action on room `c1`, which must succeed.
async fn admin(srv: &TestServer, session: &str, path: &str, body: &str) {
    let cookie = format!("classroom_admin={session}");
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
        ("Cookie", cookie.as_str()),
    ];
    let res = srv.http("POST", path, &headers, body).await;
    assert_eq!(res.status, 200, "{path}: {}", res.body);
}

#[tokio::test]
async fn a_second_view_is_served_from_memory() {
    let srv = TestServer::start().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
    // Changed behind the server's back (no code path of the server renames a room): the page
    // still shows what it read, so it did not ask the database again.
    sqlx::query("UPDATE rooms SET name = 'Changed' WHERE id = 'c1'")
        .execute(&srv.pool)
        .await
        .unwrap();
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
    assert_eq!(srv.state.room_pages.len(), 1);
}

#[tokio::test]
async fn unknown_rooms_are_404_and_not_kept() {
    let srv = TestServer::start().await;
    for i in 0..20 {
        let res = srv.http("GET", &format!("/r/made-up-{i}"), &[], "").await;
        assert_eq!(res.status, 404);
    }
    assert!(srv.state.room_pages.is_empty());
    // A room created after a miss is served at once.
    srv.room("made-up-0", "Late class", "tk").await;
    assert_eq!(page(&srv, "made-up-0", "Late class").await, (200, true));
}

#[tokio::test]
async fn a_deleted_room_is_404_at_once() {
    let (srv, session) = logged_in().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
    let path = <AdminDeleteRoom as ServerFn>::PATH;
    admin(&srv, &session, path, "room=c1&confirm=true").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await.0, 404);
}

#[tokio::test]
async fn ended_by_the_administrator_then_reopened() {
    let (srv, session) = logged_in().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
    admin(&srv, &session, <AdminEndClass as ServerFn>::PATH, "room=c1").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await.0, 410);
    admin(
        &srv,
        &session,
        <AdminReopenRoom as ServerFn>::PATH,
        "room=c1",
    )
    .await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
}

#[tokio::test]
async fn ended_by_the_teacher() {
    let srv = TestServer::start().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await, (200, true));
    let (mut t, _) = teacher(&srv, "Kim").await;
    t.send(&ClientMsg::EndClass).await;
    assert!(matches!(t.recv().await, ServerMsg::Ended { .. }));
    // The room closes through its record, written by the records task.
    srv.flush().await;
    assert_eq!(page(&srv, "c1", "Korean 2-3").await.0, 410);
}

#[tokio::test]
async fn closed_for_being_unused() {
    let srv = TestServer::start().await;
    srv.open_room("old", "Old class", "k").await;
    assert_eq!(page(&srv, "old", "Old class").await, (200, true));
    sqlx::query("UPDATE rooms SET created_at = 0 WHERE id = 'old'")
        .execute(&srv.pool)
        .await
        .unwrap();
    classroom::server::housekeeping::run_once(&srv.state).await;
    assert_eq!(page(&srv, "old", "Old class").await.0, 410);
}
