//! What is refused: every action without a live session, on an unknown room, from a student's
//! socket, or posted by another site with the administrator's cookie.

use classroom::api::admin::AdminLogout;
use classroom::protocol::{ClientMsg, ErrorCode, ServerMsg};
use classroom::server::db::now_ms;
use classroom::server::{secret, store};
use leptos::server_fn::ServerFn;
use tokio_tungstenite::tungstenite::Message;

use super::{call, class, closed_at, join_refused, rooms_named_c1, DELETE, END, NEW_LINK, REOPEN};
use crate::common;
use crate::common::admin::{logged_in, with_password};
use crate::common::class::{admitted, teacher};

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
