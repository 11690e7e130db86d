//! Resuming over real sockets: a lost connection keeps its place for the grace period, a resume on a
//! new connection takes it back with the same peer id and role and the others see nothing, tokens
//! are single use and bound to their room, and a restarted server gives the places back.
//!
//! This file: resuming on one running server; across a restart is in `tests/resume/restart.rs`.

mod common;

#[path = "resume/restart.rs"]
mod restart;

use std::time::Duration;

use classroom::protocol::{close, ClientMsg, ErrorCode, MediaState, PeerId, Role, ServerMsg};
use common::{Client, TestServer};

/// Joins `room` as `name` (teacher with `key`); returns the client, its id and its resume token.
async fn enter(
    srv: &TestServer,
    room: &str,
    name: &str,
    key: Option<&str>,
) -> (Client, PeerId, String) {
    let mut c = srv.client().await;
    c.send_join(room, name, key).await;
    match c.recv().await {
        ServerMsg::Joined {
            you,
            resume: Some(token),
            ..
        } => (c, you, token),
        other => panic!("{name} expected joined with a token, got {other:?}"),
    }
}

async fn send_resume(c: &mut Client, room: &str, token: &str) {
    c.send(&ClientMsg::Resume {
        room: room.into(),
        token: token.into(),
        media: MediaState::default(),
    })
    .await;
}

/// Drops the connection without a close frame, as a dead network does.
fn cut(c: Client) {
    drop(c);
}

#[tokio::test]
async fn a_resume_restores_the_same_participant_and_the_others_see_nothing() {
    let srv = TestServer::start_with(&["--resume-grace", "15"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (mut teacher, _, _) = enter(&srv, "room1", "Kim", Some("key1")).await;
    let (minji, minji_id, token) = enter(&srv, "room1", "Minji", None).await;
    teacher.expect_peer_joined("Minji").await;
    cut(minji);
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut again = srv.client().await;
    send_resume(&mut again, "room1", &token).await;
    match again.recv().await {
        ServerMsg::Joined {
            you,
            role,
            resumed: true,
            resume: Some(next),
            peers,
            ..
        } => {
            assert_eq!((you, role), (minji_id, Role::Student));
            assert_ne!(next, token, "a new token");
            assert_eq!(peers.len(), 1);
        }
        other => panic!("expected joined {{resumed}}, got {other:?}"),
    }
    // Its media changed (the default is all off): that is all the teacher hears.
    match teacher.recv().await {
        ServerMsg::Media { peer, .. } => assert_eq!(peer, minji_id),
        other => panic!("expected media, got {other:?}"),
    }
    teacher.expect_silence().await;

    // Signals reach it on the new connection.
    teacher
        .send(&ClientMsg::Signal {
            to: minji_id,
            from: None,
            data: common::offer(),
        })
        .await;
    assert!(matches!(again.recv().await, ServerMsg::Signal { .. }));
    srv.flush().await;
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM participations WHERE display_name = 'Minji'")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert_eq!(rows, 1, "one continuous stay");
}

#[tokio::test]
async fn a_used_foreign_or_late_token_is_refused_and_the_connection_may_join() {
    let srv = TestServer::start_with(&["--resume-grace", "1"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    srv.open_room("room2", "Biology", "key2").await;
    let (mut teacher, _, _) = enter(&srv, "room1", "Kim", Some("key1")).await;
    let (minji, minji_id, token) = enter(&srv, "room1", "Minji", None).await;
    teacher.expect_peer_joined("Minji").await;
    cut(minji);

    let mut c = srv.client().await;
    send_resume(&mut c, "room2", &token).await;
    c.expect_error(ErrorCode::ResumeFailed).await;
    send_resume(&mut c, "room1", "resume-token-that-nobody-was-given").await;
    c.expect_error(ErrorCode::ResumeFailed).await;
    send_resume(&mut c, "room1", &"x".repeat(10_000)).await;
    c.expect_error(ErrorCode::ResumeFailed).await;

    // The grace period ends: the others are told, and the token is dead.
    teacher.expect_peer_left(minji_id).await;
    send_resume(&mut c, "room1", &token).await;
    c.expect_error(ErrorCode::ResumeFailed).await;
    // The connection is still good for a join.
    let id = c.join("room1", "Minji").await;
    assert_ne!(id, minji_id, "a new participant");
    // Records reach the database through the recorder's queue: wait for it.
    srv.flush().await;
    let (_joined, left): (i64, Option<i64>) =
        sqlx::query_as("SELECT joined_at, left_at FROM participations WHERE peer_id = ?")
            .bind(minji_id as i64)
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert!(left.is_some(), "the first stay ended");
}

#[tokio::test]
async fn a_resumed_token_works_once_and_the_old_connection_is_closed() {
    let srv = TestServer::with_room().await;
    let (mut old, id, token) = enter(&srv, "room1", "Minji", None).await;
    let mut new = srv.client().await;
    send_resume(&mut new, "room1", &token).await;
    assert!(matches!(new.recv().await, ServerMsg::Joined { you, .. } if you == id));
    assert_eq!(
        old.expect_close_frame().await,
        close::NORMAL,
        "the old one goes"
    );
    let mut third = srv.client().await;
    send_resume(&mut third, "room1", &token).await;
    third.expect_error(ErrorCode::ResumeFailed).await;
    // A second resume on a joined connection is refused like a second join.
    send_resume(&mut new, "room1", &token).await;
    new.expect_error(ErrorCode::AlreadyJoined).await;
}

#[tokio::test]
async fn a_page_that_goes_away_leaves_at_once() {
    // With 15 s of grace, `peer_left` within `recv`'s 5 s means it did not wait for the grace.
    let srv = TestServer::start_with(&["--resume-grace", "15"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (mut a, _, _) = enter(&srv, "room1", "A", None).await;
    let (b, b_id, _) = enter(&srv, "room1", "B", None).await;
    a.expect_peer_joined("B").await;
    b.close_page().await;
    a.expect_peer_left(b_id).await;
}

#[tokio::test]
async fn a_lost_waiting_student_resumes_into_the_waiting_room() {
    let srv = TestServer::start().await;
    srv.room("room1", "Algebra II", "key1").await;
    let (mut teacher, _, _) = enter(&srv, "room1", "Kim", Some("key1")).await;
    let mut s = srv.client().await;
    s.send_join("room1", "Minji", None).await;
    let token = match s.recv().await {
        ServerMsg::Waiting {
            resume: Some(t), ..
        } => t,
        other => panic!("expected waiting, got {other:?}"),
    };
    assert!(matches!(teacher.recv().await, ServerMsg::Knock { .. }));
    cut(s);
    let mut s = srv.client().await;
    send_resume(&mut s, "room1", &token).await;
    assert!(matches!(s.recv().await, ServerMsg::Waiting { .. }));
    teacher.expect_silence().await;
}
