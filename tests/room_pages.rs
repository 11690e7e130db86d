//! The room page's cache of room lookups (`server/room_cache.rs`) and of rendered pages
//! (`server/page_cache.rs`): a page view after the first does not read the database or render
//! again, and no way of closing, reopening or deleting a room leaves the page showing what it was.
//! Every test looks at the page *before* the change, so the room and its page are cached.

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

/// The nonce a response's policy allows (its head as sent), from `'nonce-…'`.
fn policy_nonce(raw_head: &str) -> String {
    let line = raw_head
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("content-security-policy:")
        })
        .expect("a policy");
    let rest = &line[line.find("'nonce-").expect("a nonce") + 7..];
    rest[..rest.find('\'').unwrap()].to_string()
}

#[tokio::test]
async fn a_room_page_is_rendered_once_a_moment_and_each_answer_has_its_own_nonce() {
    let srv = TestServer::start().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    let first = srv.http("GET", "/r/c1", &[], "").await;
    assert_eq!(srv.state.page_cache.len(), 1);
    let second = srv.http("GET", "/r/c1", &[], "").await;
    assert_eq!((first.status, second.status), (200, 200));
    let (n1, n2) = (
        policy_nonce(&first.raw_head),
        policy_nonce(&second.raw_head),
    );
    assert_ne!(n1, n2, "a kept page goes out with a nonce of its own");
    // Each page's scripts carry its own response's nonce, and nothing else differs.
    assert!(
        second.body.contains(&format!("nonce=\"{n2}\"")),
        "{}",
        second.body
    );
    assert!(!second.body.contains(&n1));
    assert_eq!(first.body.replace(&n1, "N"), second.body.replace(&n2, "N"));
    // Another language is another page; somebody's own cookie is never served a kept page.
    let ko = srv
        .http("GET", "/r/c1", &[("Accept-Language", "ko-KR")], "")
        .await;
    assert!(ko.body.contains("lang=\"ko\""), "{}", ko.body);
    assert_eq!(srv.state.page_cache.len(), 2);
    let admin = [("Cookie", "classroom_admin=whatever")];
    assert_eq!(srv.http("GET", "/r/c1", &admin, "").await.status, 200);
    assert_eq!(srv.state.page_cache.len(), 2);
}
