//! The media peer through the whole server: synthetic str0m browsers join over real WebSockets,
//! the room moves to the media server past `--mesh-size`, offers to peer 0 are answered, media
//! flows through the SFU's UDP port, and the room's rules (a teacher's mute, a leave) reach it.

mod common;
// The synthetic browser of `tests/sfu.rs`; this test uses part of it.
#[allow(dead_code)]
#[path = "sfu/client.rs"]
mod client;
#[path = "sfu_signaling/workers.rs"]
mod workers;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use classroom::protocol::{ClientMsg, ErrorCode, PeerId, ServerMsg, Signal, Topology, MEDIA_PEER};
use classroom::server::hub::queue;
use client::{run, Client, Signaling};
use common::TestServer;
use futures::StreamExt;
use str0m::media::MediaKind;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// One member's WebSocket, pumped by a task: what the synthetic client signals goes out as
/// `signal {to: 0}`; signals from the media peer come back to the client, the rest is logged.
struct Socket {
    out: mpsc::UnboundedSender<ClientMsg>,
    reply: Arc<Mutex<Option<queue::Tx>>>,
    log: Arc<Mutex<Vec<ServerMsg>>>,
}

impl Socket {
    fn pump(mut ws: common::Client) -> Socket {
        let (out, mut rx) = mpsc::unbounded_channel::<ClientMsg>();
        let reply: Arc<Mutex<Option<queue::Tx>>> = Arc::default();
        let log: Arc<Mutex<Vec<ServerMsg>>> = Arc::default();
        let (to_client, to_log) = (reply.clone(), log.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Some(msg) => ws.send(&msg).await,
                        None => return,
                    },
                    frame = ws.ws.next() => {
                        let Some(Ok(Message::Text(text))) = frame else { continue };
                        let msg: ServerMsg = serde_json::from_str(text.as_str()).unwrap();
                        if matches!(msg, ServerMsg::Signal { from: MEDIA_PEER, .. }) {
                            let tx = to_client.lock().unwrap().clone();
                            let _ = tx.expect("a signal before any offer").try_send(msg);
                        } else {
                            to_log.lock().unwrap().push(msg);
                        }
                    }
                }
            }
        });
        Socket { out, reply, log }
    }
}

/// Every member's socket, by peer id.
#[derive(Default)]
struct Sockets(HashMap<PeerId, Socket>);

impl Signaling for Sockets {
    fn signal(&self, _room: &str, peer: PeerId, data: Signal, reply: queue::Tx) {
        let socket = &self.0[&peer];
        *socket.reply.lock().unwrap() = Some(reply);
        let to = MEDIA_PEER;
        let from = None;
        socket
            .out
            .send(ClientMsg::Signal { to, from, data })
            .unwrap();
    }
}

fn topology(msg: &ServerMsg) -> Option<Topology> {
    match msg {
        ServerMsg::Joined { topology, .. } | ServerMsg::Topology { topology } => Some(*topology),
        _ => None,
    }
}

/// A made-up offer to the media peer is refused with `code`.
async fn offer_refused(client: &mut common::Client, code: ErrorCode) {
    let data = common::offer();
    let (to, from) = (MEDIA_PEER, None);
    client.send(&ClientMsg::Signal { to, from, data }).await;
    client.expect_error(code).await;
}

/// Steps the synthetic clients for `ms` on this (multi-threaded) runtime's worker.
fn play(sockets: &Sockets, clients: &mut [&mut Client], ms: u64) {
    tokio::task::block_in_place(|| run(sockets, clients, Duration::from_millis(ms)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_mesh_size_media_flows_through_the_media_peer_under_the_rooms_rules() {
    let srv = TestServer::start_with(&["--room-capacity", "5", "--mesh-size", "1"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let mut teacher = srv.client().await;
    teacher.send_join("room1", "Kim", Some("key1")).await;
    let joined = teacher.recv().await;
    assert_eq!(topology(&joined), Some(Topology::Mesh), "{joined:?}");
    let ServerMsg::Joined { you: t, .. } = joined else {
        unreachable!()
    };
    // A mesh room has no media peer.
    offer_refused(&mut teacher, ErrorCode::UnknownPeer).await;

    let mut student = srv.client().await;
    student.send_join("room1", "Lee", None).await;
    let joined = student.recv().await;
    assert_eq!(topology(&joined), Some(Topology::Sfu), "{joined:?}");
    let ServerMsg::Joined { you: s, .. } = joined else {
        unreachable!()
    };
    teacher.expect_peer_joined("Lee").await;
    assert_eq!(topology(&teacher.recv().await), Some(Topology::Sfu));

    // Something the media peer cannot parse is refused to its sender, not ignored.
    offer_refused(&mut teacher, ErrorCode::BadSignal).await;

    let mut sockets = Sockets::default();
    sockets.0.insert(t, Socket::pump(teacher));
    sockets.0.insert(s, Socket::pump(student));
    let mut lee = Client::join(&sockets, "room1", s, true);
    let mut kim = Client::join(&sockets, "room1", t, false);
    play(&sockets, &mut [&mut lee, &mut kim], 2500);
    let stream = s.to_string();
    let (audio, video) = (
        kim.frames(&stream, MediaKind::Audio),
        kim.frames(&stream, MediaKind::Video),
    );
    assert!(audio > 20 && video > 10, "{:?}", kim.received);

    // The teacher mutes the student: the media server stops forwarding their audio.
    let mute = ClientMsg::Mute { peer: s };
    sockets.0[&t].out.send(mute).unwrap();
    play(&sockets, &mut [&mut lee, &mut kim], 300);
    let muted_at = kim.frames(&stream, MediaKind::Audio);
    play(&sockets, &mut [&mut lee, &mut kim], 1500);
    assert_eq!(
        kim.frames(&stream, MediaKind::Audio),
        muted_at,
        "audio after the mute"
    );
    assert!(
        kim.frames(&stream, MediaKind::Video) > video + 20,
        "video goes on"
    );

    // The student leaves: its tracks are stopped at the teacher and nothing more arrives.
    sockets.0[&s].out.send(ClientMsg::Leave).unwrap();
    play(&sockets, &mut [&mut lee, &mut kim], 1500);
    let left_at = kim.frames(&stream, MediaKind::Video);
    play(&sockets, &mut [&mut lee, &mut kim], 1000);
    assert_eq!(kim.frames(&stream, MediaKind::Video), left_at);
    let last_offer = kim
        .offers
        .last()
        .expect("an offer stopping the student's m-lines");
    assert!(last_offer.contains("m=video 0 "), "{last_offer}");
    let log = sockets.0[&t].log.lock().unwrap().clone();
    assert!(log.contains(&ServerMsg::PeerLeft { peer: s }), "{log:?}");
}

/// A browser's offer to the media peer in a class: an m-line for every track it receives (made by
/// str0m here, smaller per m-line than Chromium's ~3 KB, so 60 participants' worth).
fn class_sized_offer() -> String {
    use str0m::media::Direction;
    let mut rtc = str0m::Rtc::builder().build(std::time::Instant::now());
    let mut change = rtc.sdp_api();
    for _ in 0..60 {
        change.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None);
        change.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
    }
    let (offer, _) = change.apply().expect("an offer");
    offer.to_sdp_string()
}

/// In the eight-browser end-to-end room a client's re-offer passed 64 KiB, was refused with
/// `too_large`, and that client could never renegotiate again (the next participant stayed dark).
/// A description to the media peer may be as large as a class needs; to anyone else it may not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_sized_offer_reaches_the_media_peer_but_not_another_member() {
    let srv = TestServer::start_with(&["--room-capacity", "5", "--mesh-size", "1"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let mut teacher = srv.client().await;
    teacher.send_join("room1", "Kim", Some("key1")).await;
    let _ = teacher.recv().await;
    let mut student = srv.client().await;
    student.send_join("room1", "Lee", None).await;
    let ServerMsg::Joined { you: s, .. } = student.recv().await else {
        panic!("the student is not let in")
    };
    teacher.expect_peer_joined("Lee").await;
    assert_eq!(topology(&teacher.recv().await), Some(Topology::Sfu));

    let sdp = class_sized_offer();
    assert!(
        sdp.len() > classroom::protocol::MAX_MESSAGE_BYTES,
        "{} bytes",
        sdp.len()
    );
    let data = Signal::Description {
        sdp_type: classroom::protocol::SdpType::Offer,
        sdp,
    };
    let (from, big) = (None, data.clone());
    teacher
        .send(&ClientMsg::Signal {
            to: s,
            from,
            data: big,
        })
        .await;
    teacher.expect_error(ErrorCode::TooLarge).await;
    teacher
        .send(&ClientMsg::Signal {
            to: MEDIA_PEER,
            from,
            data,
        })
        .await;
    match teacher.recv().await {
        ServerMsg::Signal {
            from: MEDIA_PEER,
            data: Signal::Description { sdp_type, sdp },
        } => {
            assert_eq!(sdp_type, classroom::protocol::SdpType::Answer);
            assert_eq!(sdp.matches("m=video").count(), 60);
        }
        other => panic!("expected the media peer's answer, got {other:?}"),
    }
}
