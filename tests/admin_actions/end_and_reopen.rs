//! End class and Reopen: everyone is sent off and the room closed; an ended room (by the
//! administrator or by its teacher) reopens and stays open.

use classroom::api::admin_actions::ActionReply;
use classroom::protocol::{ClientMsg, EndedReason, ErrorCode, ServerMsg};
use classroom::server::db::now_ms;
use classroom::server::store;

use super::{act, class, closed_at, expect_sent_off, join_refused, END, REOPEN};
use crate::common::class::{admitted, knock, teacher};

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
