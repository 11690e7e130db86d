//! The teacher-led classroom over real sockets: the waiting room holds, students cannot act as
//! teachers, the chat is kept across a restart.

mod common;

use classroom::protocol::{ClientMsg, EndedReason, ErrorCode, PeerId, ServerMsg};
use common::{offer, Client, TestServer};
use tokio_tungstenite::tungstenite::Message;

/// A server with room `c1` (waiting room on, teacher key `tk`).
async fn class() -> TestServer {
    let srv = TestServer::start().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    srv
}

async fn teacher(srv: &TestServer, name: &str) -> (Client, PeerId) {
    let mut c = srv.client().await;
    c.send_join("c1", name, Some("tk")).await;
    match c.recv().await {
        ServerMsg::Joined { you, .. } => (c, you),
        other => panic!("teacher expected joined, got {other:?}"),
    }
}

/// A student who knocks; returns once they are told to wait.
async fn knock(srv: &TestServer, name: &str) -> (Client, PeerId) {
    let mut c = srv.client().await;
    c.send_join("c1", name, None).await;
    match c.recv().await {
        ServerMsg::Waiting { you, .. } => (c, you),
        other => panic!("{name} expected waiting, got {other:?}"),
    }
}

/// A student let in by `t`.
async fn admitted(srv: &TestServer, t: &mut Client, name: &str) -> (Client, PeerId) {
    let (mut s, id) = knock(srv, name).await;
    assert!(matches!(t.recv().await, ServerMsg::Knock { knock } if knock.id == id));
    t.send(&ClientMsg::Admit { peer: id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: id });
    assert!(matches!(t.recv().await, ServerMsg::PeerJoined { peer } if peer.id == id));
    assert!(matches!(s.recv().await, ServerMsg::Joined { .. }));
    (s, id)
}

#[tokio::test]
async fn a_waiting_student_gets_no_peer_list_relay_or_chat() {
    let srv = class().await;
    // Early: no teacher yet, and the student just waits.
    let (mut early, early_id) = knock(&srv, "Early").await;
    let (mut t, t_id) = teacher(&srv, "Kim").await;
    let (mut s, s_id) = admitted(&srv, &mut t, "Minji").await;
    t.send(&ClientMsg::Chat {
        text: "Welcome".into(),
    })
    .await;
    assert!(matches!(t.recv().await, ServerMsg::Chat { .. }));
    // Minji's next message is the chat: nothing about Early reached her.
    assert!(matches!(s.recv().await, ServerMsg::Chat { .. }));
    t.send(&ClientMsg::Signal {
        to: s_id,
        from: None,
        data: offer(),
    })
    .await;
    assert!(matches!(s.recv().await, ServerMsg::Signal { from, .. } if from == t_id));
    // Nobody can reach the waiting student, and it can reach nobody.
    t.send(&ClientMsg::Signal {
        to: early_id,
        from: None,
        data: offer(),
    })
    .await;
    t.expect_error(ErrorCode::UnknownPeer).await;
    early
        .send(&ClientMsg::Signal {
            to: t_id,
            from: None,
            data: offer(),
        })
        .await;
    early.expect_error(ErrorCode::NotAdmitted).await;
    early
        .send(&ClientMsg::Chat {
            text: "let me in".into(),
        })
        .await;
    early.expect_error(ErrorCode::NotAdmitted).await;
    early.expect_silence().await;
    t.expect_silence().await;
}

#[tokio::test]
async fn a_student_forging_any_teacher_action_is_refused() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (mut s, s_id) = admitted(&srv, &mut t, "Minji").await;
    let (mut other, other_id) = admitted(&srv, &mut t, "Joon").await;
    assert!(matches!(s.recv().await, ServerMsg::PeerJoined { .. }));
    let (mut waiting, waiting_id) = knock(&srv, "Hana").await;
    let forged = [
        format!(r#"{{"type":"admit","peer":{waiting_id}}}"#),
        format!(r#"{{"type":"deny","peer":{waiting_id}}}"#),
        r#"{"type":"admit_all"}"#.to_string(),
        format!(r#"{{"type":"mute","peer":{other_id}}}"#),
        r#"{"type":"mute_all"}"#.to_string(),
        format!(r#"{{"type":"allow_speak","peer":{s_id}}}"#),
        format!(r#"{{"type":"revoke_speak","peer":{other_id}}}"#),
        format!(r#"{{"type":"remove","peer":{other_id}}}"#),
        r#"{"type":"settings","mics_locked":true,"auto_admit":true}"#.to_string(),
        r#"{"type":"end_class"}"#.to_string(),
        format!(r#"{{"type":"lower_hand","peer":{other_id}}}"#),
    ];
    for msg in &forged {
        s.send_raw(Message::text(msg.as_str())).await;
        let reply = s.recv().await;
        assert!(
            matches!(
                reply,
                ServerMsg::Error {
                    code: ErrorCode::Forbidden,
                    ..
                }
            ),
            "{msg}: {reply:?}"
        );
    }
    // Nothing happened: nobody else heard a thing and the knock is still pending.
    t.recv().await; // the knock of Hana
    t.expect_silence().await;
    other.expect_silence().await;
    waiting.expect_silence().await;
    t.send(&ClientMsg::Deny { peer: waiting_id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: waiting_id });
}

#[tokio::test]
async fn removed_and_denied_students_are_told_and_disconnected() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (mut s, s_id) = admitted(&srv, &mut t, "Minji").await;
    t.send(&ClientMsg::Remove { peer: s_id }).await;
    let ended = ServerMsg::Ended {
        reason: EndedReason::Removed,
        by: Some("Kim".into()),
    };
    assert_eq!(s.recv().await, ended);
    assert_eq!(s.expect_close_frame().await, 1000);
    // Knocking again puts them back in the waiting room.
    let (mut again, again_id) = knock(&srv, "Minji").await;
    t.recv().await; // peer_left
    assert!(matches!(t.recv().await, ServerMsg::Knock { knock } if knock.id == again_id));
    t.send(&ClientMsg::Deny { peer: again_id }).await;
    assert!(matches!(
        again.recv().await,
        ServerMsg::Ended {
            reason: EndedReason::Denied,
            ..
        }
    ));
    assert_eq!(again.expect_close_frame().await, 1000);
    // And not again for a minute.
    let mut third = srv.client().await;
    third.send_join("c1", "Minji", None).await;
    third.expect_error(ErrorCode::TryLater).await;
}

#[tokio::test]
async fn end_class_disconnects_everyone_and_closes_the_room() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (mut s, _) = admitted(&srv, &mut t, "Minji").await;
    let (mut w, _) = knock(&srv, "Hana").await;
    t.send(&ClientMsg::EndClass).await;
    for c in [&mut t, &mut s, &mut w] {
        loop {
            match c.recv().await {
                ServerMsg::Ended { reason, .. } => {
                    break assert_eq!(reason, EndedReason::ClassEnded)
                }
                ServerMsg::Knock { .. } => continue,
                other => panic!("expected ended, got {other:?}"),
            }
        }
        assert_eq!(c.expect_close_frame().await, 1000);
    }
    srv.flush().await;
    assert_eq!(srv.http("GET", "/r/c1", &[], "").await.status, 410);
    let mut late = srv.client().await;
    late.send_join("c1", "Kim", Some("tk")).await;
    late.expect_error(ErrorCode::UnknownRoom).await;
}

#[tokio::test]
async fn chat_history_survives_a_server_restart() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    t.send(&ClientMsg::Chat {
        text: "Homework: page 12 <b>".into(),
    })
    .await;
    assert!(matches!(t.recv().await, ServerMsg::Chat { .. }));
    drop(t);
    let srv = srv.restart().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let (_, _) = admitted(&srv, &mut t, "Minji").await;
    let mut c = srv.client().await;
    c.send_join("c1", "Lee", Some("tk")).await;
    let ServerMsg::Joined { chat, .. } = c.recv().await else {
        panic!("teacher joins")
    };
    assert_eq!(chat.len(), 1);
    assert_eq!(
        (chat[0].name.as_str(), chat[0].text.as_str()),
        ("Kim", "Homework: page 12 <b>")
    );
}

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
