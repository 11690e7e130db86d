//! TURN with shared-secret credentials over real sockets: what `joined.ice_servers` gives each
//! participant, checked against the HMAC that coturn's `use-auth-secret` computes.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use classroom::protocol::{IceServer, PeerId, ServerMsg};
use common::{Client, TestServer, RECV_TIMEOUT};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "integration-turn-secret-7f3a";
const TURN_URL: &str = "turn:127.0.0.1:3478";
const STUN_URL: &str = "stun:stun.example.org:3478";

/// Every text frame `c` receives is checked not to carry the secret; returns the next message.
async fn recv_clean(c: &mut Client) -> ServerMsg {
    match c.next_frame(RECV_TIMEOUT).await {
        Some(Message::Text(t)) => {
            assert!(!t.contains(SECRET), "the TURN secret was sent: {t}");
            serde_json::from_str(t.as_str()).expect("a server message")
        }
        other => panic!("expected a text frame, got {other:?}"),
    }
}

/// Joins room1 (students come straight in) and returns the id and the ICE servers of `joined`.
async fn join(srv: &TestServer, name: &str) -> (Client, PeerId, Vec<IceServer>) {
    let mut c = srv.client().await;
    c.send_join("room1", name, None).await;
    match recv_clean(&mut c).await {
        ServerMsg::Joined {
            you, ice_servers, ..
        } => (c, you, ice_servers),
        other => panic!("{name} expected joined, got {other:?}"),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// base64(HMAC-SHA1(secret, username)), as coturn checks it.
fn expected_credential(username: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The TURN entry: its url, and a username `expiry:peer` whose password verifies.
fn check_turn_entry(servers: &[IceServer], peer: PeerId, ttl: u64) -> String {
    let turn = servers
        .iter()
        .find(|s| s.urls.iter().any(|u| u.starts_with("turn:")))
        .expect("a TURN entry in joined.ice_servers");
    assert_eq!(turn.urls, vec![TURN_URL]);
    let username = turn.username.clone().expect("a username");
    let (expiry, who) = username
        .split_once(':')
        .expect("username is expiry:participant");
    assert_eq!(who, peer.to_string(), "the participant part is the peer id");
    let expiry: u64 = expiry.parse().expect("expiry in Unix seconds");
    let want = unix_now() + ttl;
    assert!(
        expiry.abs_diff(want) <= 5,
        "expiry {expiry} is not now + {ttl} s ({want})"
    );
    assert_eq!(
        turn.credential.as_deref(),
        Some(expected_credential(&username).as_str())
    );
    username
}

#[tokio::test]
async fn each_participant_gets_turn_credentials_that_verify_against_the_secret() {
    let srv = TestServer::start_with(&[
        "--ice-server",
        STUN_URL,
        "--turn-url",
        TURN_URL,
        "--turn-secret",
        SECRET,
        "--turn-ttl",
        "600",
    ])
    .await;
    srv.open_room("room1", "Algebra II", "key1").await;

    let (mut a, a_id, a_servers) = join(&srv, "A").await;
    assert_eq!(a_servers.len(), 2);
    assert_eq!(
        a_servers[0].urls,
        vec![STUN_URL],
        "static servers stay, first"
    );
    assert_eq!(a_servers[0].username, None);
    let a_user = check_turn_entry(&a_servers, a_id, 600);

    let (mut b, b_id, b_servers) = join(&srv, "B").await;
    let b_user = check_turn_entry(&b_servers, b_id, 600);
    assert_ne!(a_user, b_user, "two participants, two usernames");

    // Nothing else anyone is sent carries the secret either.
    assert!(matches!(recv_clean(&mut a).await, ServerMsg::PeerJoined { peer } if peer.id == b_id));
    for c in [&mut a, &mut b] {
        if let Some(Message::Text(t)) = c.next_frame(common::SILENCE).await {
            assert!(!t.contains(SECRET), "the TURN secret was sent: {t}");
        }
    }
}

#[tokio::test]
async fn without_turn_flags_no_turn_entry_appears() {
    let srv = TestServer::start_with(&["--ice-server", STUN_URL]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (_a, _, servers) = join(&srv, "A").await;
    assert_eq!(
        servers,
        vec![IceServer {
            urls: vec![STUN_URL.into()],
            username: None,
            credential: None,
        }]
    );
}

#[tokio::test]
async fn the_default_ttl_is_an_hour() {
    let srv = TestServer::start_with(&["--turn-url", TURN_URL, "--turn-secret", SECRET]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (_a, id, servers) = join(&srv, "A").await;
    assert_eq!(servers.len(), 1);
    check_turn_entry(&servers, id, 3600);
}

/// A resume hands out fresh credentials: a call that resumes near the end of its TTL keeps relaying.
#[tokio::test]
async fn a_resume_refreshes_the_turn_credentials() {
    let srv = TestServer::start_with(&[
        "--turn-url",
        TURN_URL,
        "--turn-secret",
        SECRET,
        "--turn-ttl",
        "600",
        "--resume-grace",
        "15",
    ])
    .await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let mut c = srv.client().await;
    c.send_join("room1", "A", None).await;
    let (id, first, token) = match recv_clean(&mut c).await {
        ServerMsg::Joined {
            you,
            ice_servers,
            resume: Some(token),
            ..
        } => (you, check_turn_entry(&ice_servers, you, 600), token),
        other => panic!("expected joined, got {other:?}"),
    };
    drop(c);
    // Expiries are in whole seconds.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut c = srv.client().await;
    c.send(&classroom::protocol::ClientMsg::Resume {
        room: "room1".into(),
        token,
        media: Default::default(),
    })
    .await;
    match recv_clean(&mut c).await {
        ServerMsg::Joined {
            you, ice_servers, ..
        } => {
            assert_eq!(you, id);
            let again = check_turn_entry(&ice_servers, id, 600);
            assert!(again > first, "a later expiry: {again} after {first}");
        }
        other => panic!("expected joined, got {other:?}"),
    }
}
