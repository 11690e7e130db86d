//! A class on the test server: room `c1` behind the waiting room, a teacher, knocking and admitted
//! students.

use classroom::protocol::{ClientMsg, PeerId, ServerMsg};

use super::{Client, TestServer};

/// A server with room `c1` (waiting room on, teacher key `tk`).
pub async fn class() -> TestServer {
    let srv = TestServer::start().await;
    srv.room("c1", "Korean 2-3", "tk").await;
    srv
}

pub async fn teacher(srv: &TestServer, name: &str) -> (Client, PeerId) {
    let mut c = srv.client().await;
    c.send_join("c1", name, Some("tk")).await;
    match c.recv().await {
        ServerMsg::Joined { you, .. } => (c, you),
        other => panic!("teacher expected joined, got {other:?}"),
    }
}

/// A student who knocks; returns once they are told to wait.
pub async fn knock(srv: &TestServer, name: &str) -> (Client, PeerId) {
    let mut c = srv.client().await;
    c.send_join("c1", name, None).await;
    match c.recv().await {
        ServerMsg::Waiting { you, .. } => (c, you),
        other => panic!("{name} expected waiting, got {other:?}"),
    }
}

/// A student let in by `t`.
pub async fn admitted(srv: &TestServer, t: &mut Client, name: &str) -> (Client, PeerId) {
    let (mut s, id) = knock(srv, name).await;
    assert!(matches!(t.recv().await, ServerMsg::Knock { knock } if knock.id == id));
    t.send(&ClientMsg::Admit { peer: id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: id });
    assert!(matches!(t.recv().await, ServerMsg::PeerJoined { peer } if peer.id == id));
    assert!(matches!(s.recv().await, ServerMsg::Joined { .. }));
    (s, id)
}

/// Knocks as `name` with attendee token `token`; returns once teacher `t` saw the knock.
pub async fn knock_as(
    srv: &TestServer,
    t: &mut Client,
    name: &str,
    token: &str,
) -> (Client, PeerId) {
    let mut s = srv.client().await;
    s.send_join_as("c1", name, None, Some(token)).await;
    let ServerMsg::Waiting { you, .. } = s.recv().await else {
        panic!("{name} should wait");
    };
    assert!(matches!(t.recv().await, ServerMsg::Knock { knock } if knock.id == you));
    (s, you)
}

/// A student with attendee token `token`, let in by `t`.
pub async fn let_in(srv: &TestServer, t: &mut Client, name: &str, token: &str) -> Client {
    let (mut s, id) = knock_as(srv, t, name, token).await;
    t.send(&ClientMsg::Admit { peer: id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: id });
    assert!(matches!(t.recv().await, ServerMsg::PeerJoined { .. }));
    assert!(matches!(s.recv().await, ServerMsg::Joined { .. }));
    s
}
