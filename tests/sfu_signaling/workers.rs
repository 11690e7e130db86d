//! Several media workers (`--media-workers`): each room's media on one of them, rooms spread.

use std::collections::HashMap;

use classroom::protocol::{ClientMsg, PeerId, SdpType, ServerMsg, Signal, Topology, MEDIA_PEER};
use classroom::server::hub::queue;
use str0m::media::{Direction, MediaKind};

use super::client::{Client, Signaling};
use super::common::{self, TestServer};
use super::{topology, Socket, Sockets};

/// A browser's first offer to the media peer: a camera and a microphone.
fn camera_offer() -> String {
    let mut rtc = str0m::Rtc::builder().build(std::time::Instant::now());
    let mut change = rtc.sdp_api();
    change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, _) = change.apply().expect("an offer");
    offer.to_sdp_string()
}

/// The port of the one host candidate in the media peer's answer: the worker's UDP port.
fn candidate_port(answer: &str) -> u16 {
    let line = answer
        .lines()
        .find(|l| l.starts_with("a=candidate:"))
        .expect("a host candidate");
    // a=candidate:<foundation> <component> udp <priority> <address> <port> typ host
    let port = line.split_whitespace().nth(5).expect("a port");
    port.parse().expect("a numeric port")
}

/// A teacher and a student in `room`, moved to the media server: their ids and sockets.
async fn admitted(srv: &TestServer, room: &str) -> ([PeerId; 2], [common::Client; 2]) {
    let key = format!("{room}-key");
    srv.open_room(room, "Class", &key).await;
    let mut teacher = srv.client().await;
    teacher.send_join(room, "Kim", Some(&key)).await;
    let ServerMsg::Joined { you: t, .. } = teacher.recv().await else {
        panic!("the teacher is not in")
    };
    let mut student = srv.client().await;
    student.send_join(room, "Lee", None).await;
    let ServerMsg::Joined { you: s, .. } = student.recv().await else {
        panic!("the student is not let in")
    };
    teacher.expect_peer_joined("Lee").await;
    assert_eq!(topology(&teacher.recv().await), Some(Topology::Sfu));
    ([t, s], [teacher, student])
}

/// A class in `room` whose teacher's offer to the media peer is answered from the port of the
/// worker that carries the room. Both sockets are returned: the room ends with them.
async fn class(srv: &TestServer, room: &str) -> (u16, [common::Client; 2]) {
    let (_, [mut teacher, student]) = admitted(srv, room).await;
    let port = answered_port(&mut teacher).await;
    (port, [teacher, student])
}

/// `member` offers a camera to the media peer: the port its answer names.
async fn answered_port(member: &mut common::Client) -> u16 {
    let data = Signal::Description {
        sdp_type: SdpType::Offer,
        sdp: camera_offer(),
    };
    let (to, from) = (MEDIA_PEER, None);
    member.send(&ClientMsg::Signal { to, from, data }).await;
    match member.recv().await {
        ServerMsg::Signal {
            from: MEDIA_PEER,
            data: Signal::Description { sdp_type, sdp },
        } => {
            assert_eq!(sdp_type, SdpType::Answer);
            candidate_port(&sdp)
        }
        other => panic!("expected the media peer's answer, got {other:?}"),
    }
}

/// A server whose rooms move to the media server at their second member, with `workers` workers.
async fn server(workers: &str) -> TestServer {
    let flags = [
        "--room-capacity",
        "5",
        "--mesh-size",
        "1",
        "--media-workers",
        workers,
    ];
    TestServer::start_with(&flags).await
}

/// Two classes at once go to two workers (two ports), and another member's offer stays on its
/// room's worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn classes_spread_over_the_media_workers() {
    let srv = server("2").await;
    let (algebra, _a) = class(&srv, "algebra").await;
    let (biology, mut b) = class(&srv, "biology").await;
    assert_ne!(algebra, biology, "both classes on one worker");
    let student = answered_port(&mut b[1]).await;
    assert_eq!(student, biology, "a room is on one worker");
}

/// With one worker, every class shares its port (what `--media-workers 1` promises).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_media_worker_carries_every_class() {
    let srv = server("1").await;
    let (algebra, _a) = class(&srv, "algebra").await;
    let (biology, _b) = class(&srv, "biology").await;
    assert_eq!(algebra, biology);
}

/// Each room's sockets: signals of the synthetic clients go to their own room's.
struct Rooms(HashMap<String, Sockets>);

impl Signaling for Rooms {
    fn signal(&self, room: &str, peer: PeerId, data: Signal, reply: queue::Tx) {
        self.0[room].signal(room, peer, data, reply);
    }
}

/// Media in two classes at once, one on each worker: each student's camera reaches its own
/// teacher, and nothing crosses between the classes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_flows_in_two_classes_on_two_workers() {
    let srv = server("2").await;
    let mut rooms = Rooms(HashMap::new());
    let mut clients = Vec::new();
    for room in ["algebra", "biology"] {
        let ([t, s], [teacher, student]) = admitted(&srv, room).await;
        let mut sockets = Sockets::default();
        sockets.0.insert(t, Socket::pump(teacher));
        sockets.0.insert(s, Socket::pump(student));
        rooms.0.insert(room.to_owned(), sockets);
        let student = Client::join(&rooms, room, s, true);
        let teacher = Client::join(&rooms, room, t, false);
        clients.push((s, student, teacher));
    }
    let [(s1, a1, b1), (s2, a2, b2)] = &mut clients[..] else {
        unreachable!()
    };
    play_all(&rooms, &mut [a1, b1, a2, b2], 2500);
    for (student, teacher) in [(*s1, &*b1), (*s2, &*b2)] {
        let video = teacher.frames(&student.to_string(), MediaKind::Video);
        assert!(video > 10, "{:?}", teacher.received);
        assert_eq!(teacher.received.len(), 2, "only its own class's tracks");
    }
    let metrics = srv.metrics().await;
    for worker in ["0", "1"] {
        let gauge = format!("classroom_media_members{{worker=\"{worker}\"}}");
        assert!(metrics.contains(&gauge), "{gauge} missing from {metrics}");
    }
}

fn play_all(rooms: &Rooms, clients: &mut [&mut Client], ms: u64) {
    let time = std::time::Duration::from_millis(ms);
    tokio::task::block_in_place(|| super::client::run(rooms, clients, time));
}
