//! The teacher-led classroom over real sockets: the waiting room holds, students cannot act as
//! teachers, removal and ending disconnect with a reason, the chat is kept across a restart.

mod common;

use classroom::protocol::{ClientMsg, EndedReason, ErrorCode, ServerMsg};
use common::class::{admitted, class, knock, teacher};
use common::offer;
use tokio_tungstenite::tungstenite::Message;

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
    // She closes her tab (a lost connection would keep her place through the restart).
    t.close_page().await;
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
