//! Speaking rights and limits of the classroom over real sockets: locked microphones, the chat's rate
//! limit, rooms created with or without the waiting room.

mod common;

use classroom::protocol::{ClientMsg, ErrorCode, ServerMsg};
use common::class::{admitted, class, teacher};
use common::TestServer;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn rooms_made_by_the_api_wait_unless_asked_to_let_students_in() {
    let srv = TestServer::start().await;
    let json = [("content-type", "application/json")];
    let mut ids = Vec::new();
    for body in [r#"{"name":"Math"}"#, r#"{"name":"Art","auto_admit":true}"#] {
        let res = srv.http("POST", "/api/rooms", &json, body).await;
        assert_eq!(res.status, 201, "{}", res.body);
        let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let mut waits = srv.client().await;
    waits.send_join(&ids[0], "Minji", None).await;
    assert!(matches!(waits.recv().await, ServerMsg::Waiting { .. }));
    let mut enters = srv.client().await;
    enters.send_join(&ids[1], "Minji", None).await;
    assert!(matches!(enters.recv().await, ServerMsg::Joined { .. }));
    let bad = srv
        .http(
            "POST",
            "/api/rooms",
            &json,
            r#"{"name":"Math","auto_admit":"yes"}"#,
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}

#[tokio::test]
async fn locked_microphones_refuse_a_students_unmute_until_the_word_is_given() {
    use classroom::protocol::{MediaState, SettingsChange};
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (mut s, s_id) = admitted(&srv, &mut t, "Minji").await;
    let lock = SettingsChange {
        mics_locked: Some(true),
        ..Default::default()
    };
    t.send(&ClientMsg::Settings(lock)).await;
    assert!(matches!(s.recv().await, ServerMsg::Settings { settings, .. } if settings.mics_locked));
    assert!(
        matches!(s.recv().await, ServerMsg::PeerUpdated { peer, .. } if !peer.may_speak && !peer.media.audio)
    );
    let unmute = MediaState {
        audio: true,
        video: true,
        screen: false,
    };
    s.send(&ClientMsg::Media(unmute)).await;
    s.expect_error(ErrorCode::Forbidden).await;
    // A flood of tries changes nothing either: the teacher hears of none of them.
    for _ in 0..20 {
        s.send(&ClientMsg::Media(unmute)).await;
    }
    for _ in 0..20 {
        s.expect_error(ErrorCode::Forbidden).await;
    }
    t.send(&ClientMsg::AllowSpeak { peer: s_id }).await;
    assert!(matches!(s.recv().await, ServerMsg::PeerUpdated { peer, .. } if peer.may_speak));
    s.send(&ClientMsg::Media(unmute)).await;
    let mut told = Vec::new();
    while let Some(msg) = t.next_frame(common::SILENCE).await {
        if let Message::Text(text) = msg {
            told.push(serde_json::from_str::<ServerMsg>(text.as_str()).unwrap());
        }
    }
    let media: Vec<_> = told
        .iter()
        .filter(|m| matches!(m, ServerMsg::Media { .. }))
        .collect();
    let unmuted = ServerMsg::Media {
        peer: s_id,
        media: unmute,
    };
    assert_eq!(
        media,
        vec![&unmuted],
        "only the allowed unmute reached the teacher"
    );
    assert!(!told.iter().any(|m| matches!(m, ServerMsg::Error { .. })));
}

#[tokio::test]
async fn a_chat_flood_is_refused_with_a_clear_message() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (mut s, _) = admitted(&srv, &mut t, "Minji").await;
    for i in 0..8 {
        s.send(&ClientMsg::Chat {
            text: format!("spam {i}"),
        })
        .await;
    }
    let mut lines = 0;
    let mut refusals = Vec::new();
    for _ in 0..8 {
        match s.recv().await {
            ServerMsg::Chat { .. } => lines += 1,
            ServerMsg::Error { code, message } => refusals.push((code, message)),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(lines, 5);
    assert_eq!(refusals.len(), 3);
    assert!(refusals
        .iter()
        .all(|(code, message)| *code == ErrorCode::RateLimited && message.contains("too fast")));
}
