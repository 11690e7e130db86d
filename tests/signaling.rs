//! Relaying on the signaling socket against a real server: who receives what, and what is refused.

mod common;

use classroom::protocol::{ClientMsg, ErrorCode, MediaState, Role, ServerMsg};
use common::{offer, TestServer};

#[tokio::test]
async fn join_tells_everyone_who_is_there() {
    let srv = TestServer::with_room().await;
    let mut a = srv.client().await;
    a.send_join("room1", "  A  ", None).await;
    let a_id = match a.recv().await {
        ServerMsg::Joined {
            you,
            role,
            room,
            peers,
            ..
        } => {
            assert_eq!(role, Role::Student);
            assert_eq!(
                (room.id.as_str(), room.name.as_str(), room.capacity),
                ("room1", "Algebra II", 3)
            );
            assert!(peers.is_empty(), "first joiner sees nobody: {peers:?}");
            you
        }
        other => panic!("expected joined, got {other:?}"),
    };
    let mut b = srv.client().await;
    b.send_join("room1", "B", None).await;
    let b_id = match b.recv().await {
        ServerMsg::Joined { you, peers, .. } => {
            assert_eq!(peers.len(), 1);
            assert_eq!(
                (peers[0].id, peers[0].name.as_str(), peers[0].role),
                (a_id, "A", Role::Student)
            );
            you
        }
        other => panic!("expected joined, got {other:?}"),
    };
    assert_ne!(a_id, b_id);
    let peer = a.expect_peer_joined("B").await;
    assert_eq!(peer.id, b_id);
    b.expect_silence().await;
}

#[tokio::test]
async fn a_signal_reaches_only_the_addressed_peer() {
    let srv = TestServer::with_room().await;
    let [(mut a, a_id), (mut b, b_id), (mut c, _)] = srv.three_in_room().await;

    a.send(&ClientMsg::Signal {
        to: b_id,
        from: Some(a_id),
        data: offer(),
    })
    .await;
    assert_eq!(
        b.recv().await,
        ServerMsg::Signal {
            from: a_id,
            data: offer()
        }
    );
    c.expect_silence().await;
    a.expect_silence().await;
}

#[tokio::test]
async fn a_spoofed_sender_is_refused_and_the_socket_stays_up() {
    let srv = TestServer::with_room().await;
    let [(mut a, a_id), (mut b, b_id), (mut c, c_id)] = srv.three_in_room().await;

    a.send(&ClientMsg::Signal {
        to: b_id,
        from: Some(c_id),
        data: offer(),
    })
    .await;
    a.expect_error(ErrorCode::SpoofedSender).await;
    b.expect_silence().await;
    c.expect_silence().await;

    a.send(&ClientMsg::Signal {
        to: b_id,
        from: None,
        data: offer(),
    })
    .await;
    assert_eq!(
        b.recv().await,
        ServerMsg::Signal {
            from: a_id,
            data: offer()
        }
    );
}

#[tokio::test]
async fn a_peer_in_another_room_cannot_be_reached() {
    let srv = TestServer::with_room().await;
    srv.open_room("room2", "Biology", "key2").await;
    let (mut a, a_id) = srv.join("room1", "A").await;
    let (mut d, d_id) = srv.join("room2", "D").await;

    a.send(&ClientMsg::Signal {
        to: d_id,
        from: None,
        data: offer(),
    })
    .await;
    a.expect_error(ErrorCode::UnknownPeer).await;
    d.expect_silence().await;
    // Nor can a peer signal itself.
    a.send(&ClientMsg::Signal {
        to: a_id,
        from: None,
        data: offer(),
    })
    .await;
    a.expect_error(ErrorCode::UnknownPeer).await;
}

#[tokio::test]
async fn a_full_room_refuses_but_keeps_the_connection() {
    let srv = TestServer::with_room().await;
    let [(mut a, a_id), (mut b, b_id), (mut c, c_id)] = srv.three_in_room().await;

    let mut d = srv.client().await;
    d.send_join("room1", "D", None).await;
    d.expect_error(ErrorCode::RoomFull).await;
    a.expect_silence().await;
    d.send(&ClientMsg::Media(MediaState::default())).await;
    d.expect_error(ErrorCode::NotJoined).await;

    c.send(&ClientMsg::Leave).await;
    a.expect_peer_left(c_id).await;
    b.expect_peer_left(c_id).await;
    d.send_join("room1", "D", None).await;
    match d.recv().await {
        ServerMsg::Joined { peers, .. } => {
            let ids: Vec<_> = peers.iter().map(|p| p.id).collect();
            assert_eq!(ids, vec![a_id, b_id]);
        }
        other => panic!("expected joined after a seat freed up, got {other:?}"),
    }
    a.expect_peer_joined("D").await;
}

#[tokio::test]
async fn media_changes_go_to_the_others_only() {
    let srv = TestServer::with_room().await;
    let (mut a, a_id) = srv.join("room1", "A").await;
    let (mut b, _) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;

    let media = MediaState {
        audio: false,
        video: true,
        screen: false,
    };
    a.send(&ClientMsg::Media(media)).await;
    assert_eq!(b.recv().await, ServerMsg::Media { peer: a_id, media });
    a.expect_silence().await;
    // A later joiner sees the current state, not the one A joined with.
    let mut c = srv.client().await;
    c.send_join("room1", "C", None).await;
    match c.recv().await {
        ServerMsg::Joined { peers, .. } => {
            let seen = peers.iter().find(|p| p.id == a_id).expect("A listed");
            assert_eq!(seen.media, media);
        }
        other => panic!("expected joined, got {other:?}"),
    }
}
