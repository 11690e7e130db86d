//! The administrator's room actions over real HTTP and WebSocket: refused without a session, End
//! class, Reopen, Delete (only when confirmed) and a new teacher link, with real clients in the
//! room.

mod common;

use classroom::api::admin::AdminLogout;
use classroom::api::admin_actions::{
    ActionReply, AdminDeleteRoom, AdminEndClass, AdminNewTeacherLink, AdminReopenRoom,
};
use classroom::protocol::{ClientMsg, EndedReason, ErrorCode, Role, ServerMsg};
use classroom::server::db::now_ms;
use classroom::server::{secret, store};
use common::admin::{logged_in, with_password};
use common::class::{admitted, knock, teacher};
use common::{Client, TestServer};
use leptos::server_fn::ServerFn;
use tokio_tungstenite::tungstenite::Message;

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

#[tokio::test]
async fn every_action_is_refused_without_a_live_session() {
    let srv = with_password().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    // A session that logged out, and one idle for longer than the limit.
    let res = common::admin::login(&srv, common::admin::PASSWORD, "application/json").await;
    let logged_out = common::admin::session_cookie(&res);
    let cookie = format!("classroom_admin={logged_out}");
    let headers = [("Accept", "application/json"), ("Cookie", cookie.as_str())];
    let out = srv
        .http("POST", <AdminLogout as ServerFn>::PATH, &headers, "")
        .await;
    assert_eq!(out.status, 200, "{}", out.body);
    sqlx::query("INSERT INTO admin_sessions (id_hash, created_at, last_seen_at) VALUES (?, ?, ?)")
        .bind(secret::hash("expired"))
        .bind(now_ms() - 40 * 60_000)
        .bind(now_ms() - 31 * 60_000)
        .execute(&srv.pool)
        .await
        .unwrap();

    for path in [END, REOPEN, DELETE, NEW_LINK] {
        for cookie in [
            None,
            Some("made-up"),
            Some(logged_out.as_str()),
            Some("expired"),
        ] {
            let res = call(&srv, path, cookie, "room=c1&confirm=true").await;
            assert_eq!(res.status, 401, "{path} with {cookie:?}: {}", res.body);
        }
    }
    // Nothing happened: the teacher is still in the open room, under the same key.
    t.expect_silence().await;
    assert_eq!(closed_at(&srv, "c1").await, None);
    let row = store::find_room(&srv.pool, "c1").await.unwrap().unwrap();
    assert_eq!(row.teacher_key_hash, secret::hash("tk"));
    t.send(&ClientMsg::Chat {
        text: "still here".into(),
    })
    .await;
    assert!(matches!(t.recv().await, ServerMsg::Chat { .. }));
}

#[tokio::test]
async fn unknown_rooms_are_not_found() {
    let (srv, session) = logged_in().await;
    for path in [END, REOPEN, DELETE, NEW_LINK] {
        let res = call(&srv, path, Some(&session), "room=nope&confirm=true").await;
        assert_eq!(res.status, 404, "{path}: {}", res.body);
    }
}

#[tokio::test]
async fn ending_the_class_sends_everyone_off_and_closes_the_room() {
    let (srv, session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    let (mut s, _) = admitted(&srv, &mut t, "Minji").await;
    let (mut w, _) = knock(&srv, "Joon").await;
    assert!(matches!(t.recv().await, ServerMsg::Knock { .. }));

    let reply = act(&srv, END, &session, "room=c1").await;
    assert_eq!(reply, ActionReply::Ended { disconnected: 3 });
    for c in [&mut t, &mut s, &mut w] {
        expect_sent_off(c, EndedReason::ClassEnded).await;
    }
    // Closed as a teacher's end closes it, attendance ended, nobody gets in any more.
    assert!(closed_at(&srv, "c1").await.is_some());
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM participations WHERE room_id = 'c1' AND left_at IS NULL",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();
    assert_eq!(open, 0);
    join_refused(&srv, Some("tk"), ErrorCode::UnknownRoom).await;
    join_refused(&srv, None, ErrorCode::UnknownRoom).await;
    // Again: nothing more to do.
    let first = closed_at(&srv, "c1").await;
    assert_eq!(
        act(&srv, END, &session, "room=c1").await,
        ActionReply::AlreadyEnded
    );
    assert_eq!(closed_at(&srv, "c1").await, first);
}

#[tokio::test]
async fn an_empty_room_ends_and_reopens() {
    let (srv, session) = class().await;
    assert_eq!(
        act(&srv, REOPEN, &session, "room=c1").await,
        ActionReply::AlreadyOpen
    );
    assert_eq!(
        act(&srv, END, &session, "room=c1").await,
        ActionReply::Ended { disconnected: 0 }
    );
    assert!(closed_at(&srv, "c1").await.is_some());
    join_refused(&srv, Some("tk"), ErrorCode::UnknownRoom).await;

    assert_eq!(
        act(&srv, REOPEN, &session, "room=c1").await,
        ActionReply::Reopened
    );
    assert_eq!(closed_at(&srv, "c1").await, None);
    let (_t, _) = teacher(&srv, "Ms. Kim").await;
    assert_eq!(
        act(&srv, REOPEN, &session, "room=c1").await,
        ActionReply::AlreadyOpen
    );
}

#[tokio::test]
async fn a_class_a_teacher_ended_can_be_reopened_and_stays_open() {
    let (srv, session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    t.send(&ClientMsg::EndClass).await;
    match t.recv().await {
        ServerMsg::Ended {
            reason: EndedReason::ClassEnded,
            ..
        } => {}
        other => panic!("expected ended, got {other:?}"),
    }
    t.expect_closed().await;
    srv.flush().await;
    assert!(closed_at(&srv, "c1").await.is_some());
    join_refused(&srv, Some("tk"), ErrorCode::UnknownRoom).await;

    assert_eq!(
        act(&srv, REOPEN, &session, "room=c1").await,
        ActionReply::Reopened
    );
    // The hub no longer remembers it as ended: the teacher and a student come in again.
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    admitted(&srv, &mut t, "Minji").await;
    // An old room reopened today counts as used today: the idle chore leaves it open.
    sqlx::query("UPDATE rooms SET created_at = 0 WHERE id = 'c1'")
        .execute(&srv.pool)
        .await
        .unwrap();
    drop(t);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    srv.flush().await;
    sqlx::query("UPDATE participations SET joined_at = 0, left_at = 0")
        .execute(&srv.pool)
        .await
        .unwrap();
    let closed = store::close_idle_rooms(&srv.pool, now_ms() - 60_000)
        .await
        .unwrap();
    assert_eq!(closed, 0, "a room reopened a moment ago is not idle");
    assert_eq!(closed_at(&srv, "c1").await, None);
}

#[tokio::test]
async fn delete_needs_its_confirmation_then_removes_everything() {
    let (srv, session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    let (mut s, _) = admitted(&srv, &mut t, "Minji").await;
    s.send(&ClientMsg::Chat {
        text: "hello".into(),
    })
    .await;
    assert!(matches!(s.recv().await, ServerMsg::Chat { .. }));
    assert!(matches!(t.recv().await, ServerMsg::Chat { .. }));
    s.send(&ClientMsg::RaiseHand).await;
    assert!(matches!(s.recv().await, ServerMsg::PeerUpdated { .. }));
    assert!(matches!(t.recv().await, ServerMsg::PeerUpdated { .. }));
    srv.flush().await;
    let before = kept(&srv).await;
    assert_eq!(before, (1, 2, 1));

    for body in ["room=c1", "room=c1&confirm=false"] {
        let res = call(&srv, DELETE, Some(&session), body).await;
        assert_eq!(res.status, 400, "{body}: {}", res.body);
        assert!(res.body.contains("confirm"), "{}", res.body);
    }
    assert_eq!(rooms_named_c1(&srv).await, 1);
    assert_eq!(
        kept(&srv).await,
        before,
        "nothing deleted without confirmation"
    );
    t.expect_silence().await;
    s.expect_silence().await;

    assert_eq!(
        act(&srv, DELETE, &session, "room=c1&confirm=true").await,
        ActionReply::Deleted { disconnected: 2 }
    );
    for c in [&mut t, &mut s] {
        expect_sent_off(c, EndedReason::RoomDeleted).await;
    }
    srv.flush().await;
    assert_eq!(rooms_named_c1(&srv).await, 0);
    assert_eq!(
        kept(&srv).await,
        (0, 0, 0),
        "chat, attendance and hands went with it"
    );
    join_refused(&srv, None, ErrorCode::UnknownRoom).await;
    let again = call(&srv, DELETE, Some(&session), "room=c1&confirm=true").await;
    assert_eq!(again.status, 404, "{}", again.body);
}

/// The key in a teacher link `…/r/<room>#teacher=<key>`.
fn key_of(link: &str) -> &str {
    link.split_once("#teacher=").expect("a teacher link").1
}

#[tokio::test]
async fn a_new_teacher_link_replaces_the_old_one() {
    let (srv, session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    let ActionReply::NewTeacherLink { teacher_link } =
        act(&srv, NEW_LINK, &session, "room=c1").await
    else {
        panic!("expected a new teacher link");
    };
    assert!(teacher_link.contains("/r/c1#teacher="), "{teacher_link}");
    let key = key_of(&teacher_link).to_string();
    assert_ne!(key, "tk");
    let row = store::find_room(&srv.pool, "c1").await.unwrap().unwrap();
    assert_eq!(
        row.teacher_key_hash,
        secret::hash(&key),
        "only the hash is kept"
    );

    // The live room took it at once; the teacher already in the call stays.
    join_refused(&srv, Some("tk"), ErrorCode::BadTeacherKey).await;
    let mut second = srv.client().await;
    second.send_join("c1", "Mr. Lee", Some(&key)).await;
    assert!(matches!(
        second.recv().await,
        ServerMsg::Joined {
            role: Role::Teacher,
            ..
        }
    ));
    t.expect_peer_joined("Mr. Lee").await;

    // In a room nobody is in, the next join reads the new key from the database.
    drop((t, second));
    let ActionReply::NewTeacherLink { teacher_link } =
        act(&srv, NEW_LINK, &session, "room=c1").await
    else {
        panic!("expected a new teacher link");
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let newest = key_of(&teacher_link);
    join_refused(&srv, Some(&key), ErrorCode::BadTeacherKey).await;
    let mut c = srv.client().await;
    c.send_join("c1", "Ms. Kim", Some(newest)).await;
    assert!(matches!(
        c.recv().await,
        ServerMsg::Joined {
            role: Role::Teacher,
            ..
        }
    ));
}

#[tokio::test]
async fn a_student_gains_nothing_admin_over_the_socket() {
    let (srv, _session) = class().await;
    let (mut t, _) = teacher(&srv, "Ms. Kim").await;
    let (mut s, _) = admitted(&srv, &mut t, "Minji").await;
    s.send(&ClientMsg::EndClass).await;
    s.expect_error(ErrorCode::Forbidden).await;
    for made_up in [
        r#"{"type":"admin_end_class","room":"c1"}"#,
        r#"{"type":"delete_room","room":"c1","confirm":true}"#,
        r#"{"type":"admin","action":"teacher_key","hash":"00"}"#,
    ] {
        s.send_raw(Message::text(made_up)).await;
        s.expect_error(ErrorCode::BadMessage).await;
    }
    t.expect_silence().await;
    assert_eq!(closed_at(&srv, "c1").await, None);
    assert_eq!(rooms_named_c1(&srv).await, 1);
    let row = store::find_room(&srv.pool, "c1").await.unwrap().unwrap();
    assert_eq!(row.teacher_key_hash, secret::hash("tk"));
    join_refused(&srv, Some("00"), ErrorCode::BadTeacherKey).await;
}

/// Another site's page cannot act with the administrator's cookie: a cross-origin POST of each
/// action (what a hostile page's form would send) is refused and changes nothing.
#[tokio::test]
async fn another_site_cannot_act_with_the_administrators_cookie() {
    let (srv, session) = class().await;
    let cookie = format!("classroom_admin={session}");
    for (path, body) in [
        (END, "room=c1"),
        (DELETE, "room=c1&confirm=true"),
        (NEW_LINK, "room=c1"),
    ] {
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://evil.example"),
            ("Cookie", cookie.as_str()),
        ];
        let res = srv.http("POST", path, &headers, body).await;
        assert_eq!(res.status, 403, "{path}: {}", res.body);
    }
    assert_eq!(closed_at(&srv, "c1").await, None, "not ended");
    assert_eq!(rooms_named_c1(&srv).await, 1, "not deleted");
    join_refused(&srv, Some("wrong"), ErrorCode::BadTeacherKey).await;
    let mut t = srv.client().await;
    t.send_join("c1", "Kim", Some("tk")).await;
    assert!(
        matches!(t.recv().await, ServerMsg::Joined { .. }),
        "the old key still works"
    );
}
