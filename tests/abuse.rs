//! Hostile clients on the signaling socket, against a real server: each test is a defect of the
//! hardening issue, reproduced as the attacker did it.

mod common;

use std::time::Duration;

use classroom::protocol::{close, ClientMsg, ErrorCode, MediaState, ServerMsg, Signal};
use common::{offer, TestServer};
use futures::SinkExt;
use tokio_tungstenite::tungstenite::Message;

/// Defect 1: a client floods messages before joining without reading the replies, then joins with
/// a blank name. The refusal did not fit its full queue, `Hub::join` panicked under the lock shared
/// by every room, and from then on nobody anywhere could join.
#[tokio::test]
async fn a_flood_before_a_refused_join_takes_down_nobody() {
    let srv = TestServer::with_room().await;
    srv.open_room("room2", "Other class", "key2").await;
    let (mut member, _) = srv.join("room1", "Minji").await;

    let mut attacker = srv.client().await;
    let leave = Message::text(r#"{"type":"leave"}"#);
    for _ in 0..300_000 {
        // The server closes the flood long before the end; a failed send just means that.
        if attacker.ws.feed(leave.clone()).await.is_err() {
            break;
        }
    }
    let _ = attacker.ws.flush().await;
    let blank = serde_json::to_string(&ClientMsg::Join {
        room: "room1".into(),
        name: "   ".into(),
        teacher_key: None,
        media: MediaState::default(),
        attendee: None,
    })
    .unwrap();
    let _ = attacker.ws.send(Message::text(blank)).await;

    // Another room still works, and so does the attacked one.
    let (mut other, _) = srv.join("room2", "Joon").await;
    other.expect_silence().await;
    let (_late, _) = srv.join("room1", "Late").await;
    member.expect_peer_joined("Late").await;
}

/// Defect 2: a member's burst of signals filled the receiver's queue and the hub removed the
/// *receiver* (20,000 evicted a teacher). The receiver must keep its place; the sender is told to
/// slow down, and closed with 1008 if it keeps going.
#[tokio::test]
async fn a_signal_flood_is_the_senders_problem() {
    let srv = TestServer::with_room().await;
    let (mut teacher, teacher_id) = srv.join("room1", "Teacher").await;
    let (mut flooder, flooder_id) = srv.join("room1", "Flooder").await;
    teacher.expect_peer_joined("Flooder").await;

    let signal = serde_json::to_string(&ClientMsg::Signal {
        to: teacher_id,
        from: None,
        data: offer(),
    })
    .unwrap();
    for _ in 0..20_000 {
        if flooder
            .ws
            .feed(Message::text(signal.clone()))
            .await
            .is_err()
        {
            break;
        }
    }
    let _ = flooder.ws.flush().await;

    // The teacher reads everything that reached it: relayed offers only, never an eviction.
    let mut relayed = 0;
    loop {
        match teacher.next_frame(Duration::from_millis(500)).await {
            Some(Message::Text(t)) => match serde_json::from_str(t.as_str()).unwrap() {
                ServerMsg::Signal { from, .. } if from == flooder_id => relayed += 1,
                ServerMsg::PeerLeft { peer } if peer == flooder_id => break,
                other => panic!("the teacher got {other:?}"),
            },
            Some(Message::Close(frame)) => panic!("the teacher was disconnected: {frame:?}"),
            Some(_) => {}
            None => break,
        }
    }
    assert!(relayed > 0 && relayed < 20_000, "relayed {relayed}");
    assert_eq!(flooder.expect_close_frame().await, close::POLICY);
    // Still in the room and still served.
    let (_c, _) = srv.join("room1", "C").await;
    teacher.expect_peer_joined("C").await;
}

#[tokio::test]
async fn over_budget_messages_get_rate_limited_and_the_counter_goes_up() {
    let srv = TestServer::with_room().await;
    let mut x = srv.client().await;
    for _ in 0..440 {
        x.ws.feed(Message::text(r#"{"type":"leave"}"#))
            .await
            .unwrap();
    }
    x.ws.flush().await.unwrap();
    let mut codes = Vec::new();
    while let Some(Message::Text(t)) = x.next_frame(Duration::from_millis(300)).await {
        if let ServerMsg::Error { code, .. } = serde_json::from_str(t.as_str()).unwrap() {
            codes.push(code);
        }
    }
    // The burst, plus the few tokens that refill while the messages arrive.
    let answered = codes.iter().filter(|c| **c == ErrorCode::NotJoined).count();
    assert!((400..410).contains(&answered), "{answered} answered");
    let limited = codes
        .iter()
        .filter(|c| **c == ErrorCode::RateLimited)
        .count();
    assert_eq!(answered + limited, 440);
    assert!(srv.metrics().await.contains("classroom_rate_limited_total"));
}

/// Ping frames were free: a member could send them as fast as its link allowed, every one read
/// and answered with a pong by a server thread that every room shares, and it was never closed.
/// Now they spend the connection's budget like messages, and a flood ends it with 1008.
#[tokio::test]
async fn a_ping_flood_is_closed_like_a_message_flood() {
    let srv = TestServer::with_room().await;
    let (mut teacher, _) = srv.join("room1", "Teacher").await;
    let (mut flooder, flooder_id) = srv.join("room1", "Flooder").await;
    teacher.expect_peer_joined("Flooder").await;

    for _ in 0..5_000 {
        if flooder
            .ws
            .feed(Message::Ping(vec![7; 8].into()))
            .await
            .is_err()
        {
            break;
        }
    }
    let _ = flooder.ws.flush().await;

    assert_eq!(flooder.expect_close_frame().await, close::POLICY);
    teacher.expect_peer_left(flooder_id).await;
    let (_c, _) = srv.join("room1", "C").await;
    teacher.expect_peer_joined("C").await;
}

#[tokio::test]
async fn a_connection_that_never_joins_is_closed() {
    let srv = TestServer::start_with(&["--join-timeout", "1"]).await;
    let mut idle = srv.client().await;
    assert_eq!(idle.expect_close_frame().await, close::POLICY);
}

/// Defect 6: invalid UTF-8 ended the socket without a close frame.
#[tokio::test]
async fn invalid_utf8_is_closed_with_1007() {
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let (mut b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;
    // A text frame whose payload is not UTF-8, sent as raw frame bytes.
    let frame = tokio_tungstenite::tungstenite::protocol::frame::Frame::message(
        vec![0xff, 0xfe, 0x80],
        tokio_tungstenite::tungstenite::protocol::frame::coding::OpCode::Data(
            tokio_tungstenite::tungstenite::protocol::frame::coding::Data::Text,
        ),
        true,
    );
    b.send_raw(Message::Frame(frame)).await;
    assert_eq!(b.expect_close_frame().await, close::INVALID_DATA);
    a.expect_peer_left(b_id).await;
}

#[tokio::test]
async fn signals_a_browser_would_reject_are_refused() {
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let (mut b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;
    let no_mid = Signal::Candidate {
        candidate: "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host".into(),
        sdp_mid: None,
        sdp_m_line_index: None,
    };
    a.send(&ClientMsg::Signal {
        to: b_id,
        from: None,
        data: no_mid,
    })
    .await;
    a.expect_error(ErrorCode::BadSignal).await;
    let text = format!(
        r#"{{"type":"signal","to":{b_id},"data":{{"kind":"description","sdp_type":"bogus","sdp":"v=0"}}}}"#
    );
    a.send_raw(Message::text(text)).await;
    a.expect_error(ErrorCode::BadMessage).await;
    b.expect_silence().await;
}

#[tokio::test]
async fn shutdown_closes_every_socket_with_1012() {
    let srv = TestServer::with_room().await;
    let (mut a, _) = srv.join("room1", "A").await;
    let mut waiting = srv.client().await;
    srv.state.shutdown.trigger();
    assert_eq!(a.expect_close_frame().await, close::RESTARTING);
    assert_eq!(waiting.expect_close_frame().await, close::RESTARTING);
}

/// Defect 6: names made of invisible characters, or reversing the text after them.
#[tokio::test]
async fn invisible_and_bidi_names_cannot_impersonate() {
    let srv = TestServer::with_room().await;
    let mut x = srv.client().await;
    x.send_join("room1", "\u{200B}\u{3164}", None).await;
    x.expect_error(ErrorCode::InvalidName).await;
    let (_a, _) = srv.join("room1", "A").await;
    let mut y = srv.client().await;
    y.send_join("room1", "\u{202E}rehcaeT", None).await;
    match y.recv().await {
        ServerMsg::Joined { .. } => {}
        other => panic!("expected joined, got {other:?}"),
    }
    // The attendance row is written right after the reply.
    let (joined, _) = common::wait_row_closed_or_open(&srv.pool, "rehcaeT").await;
    assert!(joined > 0, "stored without the override");
}

/// Found in review (session 27): a connection could loop `join` into refusal at its message
/// budget (50 a second), each attempt reading the room and 200 chat rows from the database that
/// every join, admin page and attendance write shares. Now what the room would refuse anyway (a
/// blank name, an overlong key) is refused before the database is read, and the fifth refusal
/// closes the connection.
#[tokio::test]
async fn a_connection_refused_five_joins_is_closed() {
    let srv = TestServer::with_room().await;
    let mut looping = srv.client().await;
    for _ in 0..3 {
        looping.send_join("nowhere", "Minji", None).await;
        looping.expect_error(ErrorCode::UnknownRoom).await;
    }
    looping.send_join("nowhere", " ", None).await;
    looping.expect_error(ErrorCode::InvalidName).await;
    let long_key = "k".repeat(4096);
    looping.send_join("room1", "Minji", Some(&long_key)).await;
    assert_eq!(looping.expect_close_frame().await, close::POLICY);
    // A person who gets it right on a new connection is let in; one refusal is no strike.
    let mut person = srv.client().await;
    person.send_join("room1", "Minji", Some("wrong")).await;
    person.expect_error(ErrorCode::BadTeacherKey).await;
    person.join("room1", "Minji").await;
}
