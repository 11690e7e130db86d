//! Delete: refused until confirmed, then the room goes with its chat, attendance and hands.

use classroom::api::admin_actions::ActionReply;
use classroom::protocol::{ClientMsg, EndedReason, ErrorCode, ServerMsg};

use super::{act, call, class, expect_sent_off, join_refused, kept, rooms_named_c1, DELETE};
use crate::common::class::{admitted, teacher};

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
