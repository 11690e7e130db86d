//! The administrator's room actions over real HTTP and WebSocket: refused without a session, End
//! class, Reopen, Delete (only when confirmed) and a new teacher link, with real clients in the
//! room.
//!
//! This file: the calls, the class and what the database keeps, shared by the tests in
//! `tests/admin_actions/`.

mod common;

#[path = "admin_actions/delete.rs"]
mod delete;
#[path = "admin_actions/end_and_reopen.rs"]
mod end_and_reopen;
#[path = "admin_actions/refusals.rs"]
mod refusals;
#[path = "admin_actions/teacher_link.rs"]
mod teacher_link;

use classroom::api::admin_actions::{
    ActionReply, AdminDeleteRoom, AdminEndClass, AdminNewTeacherLink, AdminReopenRoom,
};
use classroom::protocol::{EndedReason, ErrorCode, ServerMsg};
use common::admin::logged_in;
use common::{Client, TestServer};
use leptos::server_fn::ServerFn;

const END: &str = <AdminEndClass as ServerFn>::PATH;
const REOPEN: &str = <AdminReopenRoom as ServerFn>::PATH;
const DELETE: &str = <AdminDeleteRoom as ServerFn>::PATH;
const NEW_LINK: &str = <AdminNewTeacherLink as ServerFn>::PATH;

/// Posts `body` to the server function at `path` as the page's JavaScript does, with the session
/// `cookie` if any.
async fn call(
    srv: &TestServer,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> common::http::Response {
    let cookie = cookie.map(|c| format!("classroom_admin={c}"));
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
    ];
    headers.extend(cookie.as_deref().map(|c| ("Cookie", c)));
    srv.http("POST", path, &headers, body).await
}

/// Calls an action that must succeed and returns its reply.
async fn act(srv: &TestServer, path: &str, session: &str, body: &str) -> ActionReply {
    let res = call(srv, path, Some(session), body).await;
    assert_eq!(res.status, 200, "{path}: {}", res.body);
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

/// A server with an administrator logged in and room `c1` (waiting room on, teacher key `tk`).
async fn class() -> (TestServer, String) {
    let (srv, session) = logged_in().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    (srv, session)
}

async fn closed_at(srv: &TestServer, room: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT closed_at FROM rooms WHERE id = ?")
        .bind(room)
        .fetch_one(&srv.pool)
        .await
        .expect("the room exists")
}

async fn count(srv: &TestServer, table: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM {table} WHERE room_id = 'c1'"
    ))
    .fetch_one(&srv.pool)
    .await
    .unwrap()
}

/// Rows of chat, attendance and hands kept for `c1`.
async fn kept(srv: &TestServer) -> (i64, i64, i64) {
    (
        count(srv, "chat_messages").await,
        count(srv, "participations").await,
        count(srv, "hand_events").await,
    )
}

async fn rooms_named_c1(srv: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM rooms WHERE id = 'c1'")
        .fetch_one(&srv.pool)
        .await
        .unwrap()
}

/// `c` is told `ended` for `reason` (by nobody: the administrator is not in the room), then its
/// socket closes.
async fn expect_sent_off(c: &mut Client, reason: EndedReason) {
    loop {
        match c.recv().await {
            // Whatever the room said before the end (someone left, a knock ended) is fine.
            ServerMsg::PeerLeft { .. } | ServerMsg::KnockEnded { .. } => continue,
            msg => {
                assert_eq!(msg, ServerMsg::Ended { reason, by: None });
                break;
            }
        }
    }
    c.expect_closed().await;
}

/// A fresh connection's join to `c1` (with `key`) is refused with `code`.
async fn join_refused(srv: &TestServer, key: Option<&str>, code: ErrorCode) {
    let mut c = srv.client().await;
    c.send_join("c1", "Late", key).await;
    c.expect_error(code).await;
}
