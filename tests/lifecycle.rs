//! Bad input, leaving and disconnecting on the signaling socket against a real server.

mod common;

use classroom::protocol::{ClientMsg, ErrorCode, Role, ServerMsg};
use common::{offer, participation, wait_row_closed, TestServer};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn bad_input_is_refused_with_the_right_code() {
    let srv = TestServer::with_room().await;
    let mut x = srv.client().await;
    x.send_raw(Message::text("{not json")).await;
    x.expect_error(ErrorCode::BadMessage).await;
    x.send_raw(Message::text(r#"{"type":"dance"}"#)).await;
    x.expect_error(ErrorCode::BadMessage).await;
    let big = format!(r#"{{"type":"leave","pad":"{}"}}"#, "x".repeat(100 * 1024));
    x.send_raw(Message::text(big)).await;
    x.expect_error(ErrorCode::TooLarge).await;
    x.send_raw(Message::binary(vec![1u8, 2, 3])).await;
    x.expect_error(ErrorCode::BadMessage).await;
    x.send(&ClientMsg::Signal {
        to: 1,
        from: None,
        data: offer(),
    })
    .await;
    x.expect_error(ErrorCode::NotJoined).await;
    x.send_join("nope", "X", None).await;
    x.expect_error(ErrorCode::UnknownRoom).await;
    x.send_join("room1", "X", Some("wrong")).await;
    x.expect_error(ErrorCode::BadTeacherKey).await;
    x.send_join("room1", " \t ", None).await;
    x.expect_error(ErrorCode::InvalidName).await;
    x.send_join("room1", &"n".repeat(41), None).await;
    x.expect_error(ErrorCode::InvalidName).await;
    x.send_join("room1", "Teacher", Some("key1")).await;
    match x.recv().await {
        ServerMsg::Joined { role, .. } => assert_eq!(role, Role::Teacher),
        other => panic!("expected joined as teacher, got {other:?}"),
    }
    x.send_join("room1", "Teacher", Some("key1")).await;
    x.expect_error(ErrorCode::AlreadyJoined).await;
    srv.flush().await;
    let (_, role) = sqlx::query_as::<_, (String, String)>(
        "SELECT display_name, role FROM participations WHERE room_id = 'room1'",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();
    assert_eq!(role, "teacher");
}

#[tokio::test]
async fn a_frame_over_the_transport_limit_ends_the_connection() {
    let srv = TestServer::with_room().await;
    let mut x = srv.client().await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let _ = futures::SinkExt::send(&mut x.ws, Message::text(huge)).await;
    x.expect_closed().await;
}

#[tokio::test]
async fn a_dropped_socket_leaves_and_closes_its_row() {
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let (b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;

    drop(b);
    a.expect_peer_left(b_id).await;
    let (joined, left) = wait_row_closed(&srv.pool, "B").await;
    assert!(left >= joined, "left_at {left} < joined_at {joined}");
    assert_eq!(
        participation(&srv.pool, "A").await.1,
        None,
        "A is still in the room"
    );
}

#[tokio::test]
async fn leave_tells_the_others_and_the_server_closes_the_socket() {
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let (mut b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;

    b.send(&ClientMsg::Leave).await;
    a.expect_peer_left(b_id).await;
    b.expect_closed().await;
    let (joined, left) = wait_row_closed(&srv.pool, "B").await;
    assert!(left >= joined);
    assert_eq!(participation(&srv.pool, "A").await.1, None);
}

/// A network that silently drops everything (no close, no reset) looks to the server like a client
/// that stops answering pings; it must be removed after the idle timeout, not kept as a ghost.
#[tokio::test]
async fn a_silent_connection_is_dropped_after_the_idle_timeout() {
    use futures::StreamExt;
    // Pings every second, lost after 3 s of silence (the defaults are 5 s and 15 s).
    let srv = TestServer::start_with(&["--ws-ping-secs", "1", "--ws-idle-secs", "3"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (mut a, _) = srv.join("room1", "A").await;
    let (b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;
    // B is kept open but never read again, so its pings go unanswered.
    let started = std::time::Instant::now();
    let left = tokio::time::timeout(std::time::Duration::from_secs(12), async {
        while let Some(Ok(frame)) = a.ws.next().await {
            if let Message::Text(text) = frame {
                return serde_json::from_str::<ServerMsg>(text.as_str()).unwrap();
            }
        }
        panic!("A's socket ended");
    })
    .await
    .expect("B was not removed within 12 s");
    assert_eq!(left, ServerMsg::PeerLeft { peer: b_id });
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(3),
        "removed too early: {waited:?}"
    );
    assert!(
        waited <= std::time::Duration::from_secs(6),
        "removed too late: {waited:?}"
    );
    wait_row_closed(&srv.pool, "B").await;
    drop(b);
}

/// Found in review: a client's close was never answered. The server dropped the socket before the
/// transport wrote its reply, so the client saw a reset (1006, `wasClean` false in a browser).
#[tokio::test]
async fn a_client_that_closes_gets_the_close_answered() {
    use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "done".into(),
    };
    a.send_raw(Message::Close(Some(frame))).await;
    assert_eq!(a.expect_close_frame().await, 1000);
}
