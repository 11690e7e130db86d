//! The hub with channel queues instead of sockets: who keeps their place when queues fill up.

use super::queue::{channel, Rx};
use super::*;
use crate::protocol::{ErrorCode, MediaState, SdpType, ServerMsg, Signal};
use crate::server::records::Recorder;
use crate::server::room::RoomSpec;
use crate::server::secret;
use tokio::sync::mpsc::error::TryRecvError;

mod teacher;

pub(super) fn spec(id: &str) -> RoomSpec {
    RoomSpec {
        id: id.into(),
        name: "Math".into(),
        teacher_key_hash: secret::hash("key"),
        capacity: 6,
        mesh_size: 6,
        ice_servers: vec![],
        turn: None,
        // These tests are about queues, not the waiting room: students come straight in.
        auto_admit: true,
        chat: vec![],
        resume_grace: 15_000,
    }
}

pub(super) fn hub() -> Hub {
    Hub::new(Recorder::discard())
}

fn request(peer: PeerId, msg: ClientMsg) -> JoinRequest {
    JoinRequest {
        peer,
        address: "10.0.0.1".into(),
        msg,
    }
}

fn join(name: &str) -> ClientMsg {
    ClientMsg::Join {
        room: "r".into(),
        name: name.into(),
        teacher_key: None,
        media: MediaState::default(),
        attendee: None,
    }
}

pub(super) fn signal(to: PeerId) -> ClientMsg {
    ClientMsg::Signal {
        to,
        from: None,
        data: Signal::Description {
            sdp_type: SdpType::Offer,
            sdp: "v=0".into(),
        },
    }
}

/// Joins `peer` into room `id` with a fresh queue of `depth`; returns the queue's receiving end.
pub(super) fn member(hub: &Hub, id: &str, peer: PeerId, depth: usize) -> Rx {
    let (tx, rx) = channel(depth);
    assert!(matches!(
        hub.join(spec(id), request(peer, join("M")), tx),
        Joined::Yes(_)
    ));
    rx
}

pub(super) fn drain(rx: &mut Rx) -> Vec<ServerMsg> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

/// Defect 1 of the hardening issue: a refused join whose reply does not fit in the joiner's full
/// queue made `Hub::join` panic under the lock shared by every room.
#[test]
fn a_refused_join_with_a_full_queue_keeps_the_queue_and_the_hub() {
    let hub = hub();
    let (tx, mut rx) = channel(1);
    tx.try_send(ServerMsg::error(ErrorCode::NotJoined)).unwrap();
    let kept = tx.clone();
    let Joined::No(back) = hub.join(spec("r1"), request(1, join("   ")), tx) else {
        panic!("a blank name is refused");
    };
    assert!(
        back.same_channel(&kept),
        "the connection gets its own queue back"
    );
    assert_eq!(
        drain(&mut rx).len(),
        1,
        "the refusal did not fit and was dropped, nothing else"
    );
    let mut rx = member(&hub, "r2", 2, 8);
    assert!(matches!(drain(&mut rx)[..], [ServerMsg::Joined { .. }]));
    assert_eq!(hub.counts(), (1, 1));
}

/// The same path for an honest client whose socket died while its room was being looked up.
#[test]
fn a_join_whose_socket_already_died_leaves_nothing_behind() {
    let hub = hub();
    let mut a = member(&hub, "r1", 1, 8);
    let (tx, rx) = channel(8);
    drop(rx);
    assert!(matches!(
        hub.join(spec("r1"), request(2, join("Gone")), tx),
        Joined::No(_)
    ));
    let told: Vec<_> = drain(&mut a);
    assert!(matches!(
        told[..],
        [
            ServerMsg::Joined { .. },
            ServerMsg::PeerJoined { .. },
            ServerMsg::PeerLeft { peer: 2 }
        ]
    ));
    assert_eq!(hub.counts(), (1, 1));
}

/// Defect 2: one member's burst of signals filled a receiver's queue and the hub removed the
/// receiver. Now the receiver stays and the sender is told to slow down.
#[test]
fn a_flooding_sender_is_throttled_and_the_receiver_keeps_its_place() {
    let hub = hub();
    let mut teacher = member(&hub, "r1", 1, 4);
    let mut flooder = member(&hub, "r1", 2, 64);
    drain(&mut teacher);
    drain(&mut flooder);
    for _ in 0..20 {
        hub.handle("r1", 2, 2, signal(1));
    }
    assert_eq!(hub.counts(), (1, 2), "nobody was removed");
    assert_eq!(drain(&mut teacher).len(), 4, "the teacher got what fit");
    let told = drain(&mut flooder);
    assert!(!told.is_empty());
    assert!(told.iter().all(|m| matches!(
        m,
        ServerMsg::Error {
            code: ErrorCode::RateLimited,
            ..
        }
    )));
    hub.handle("r1", 2, 2, signal(1));
    assert!(matches!(
        drain(&mut teacher)[..],
        [ServerMsg::Signal { from: 2, .. }]
    ));
}

/// A member that reads nothing at all is still found out by room events, and removed.
#[test]
fn a_member_that_never_reads_loses_its_connection_on_a_room_event_and_keeps_its_place() {
    let hub = hub();
    let mut stuck = member(&hub, "r1", 1, 1); // its one slot holds the `joined` reply
    let mut b = member(&hub, "r1", 2, 8);
    assert!(matches!(stuck.try_recv(), Ok(ServerMsg::Joined { .. })));
    assert!(
        matches!(stuck.try_recv(), Err(TryRecvError::Disconnected)),
        "peer_joined did not fit: its queue is dropped, which ends its connection"
    );
    assert_eq!(
        hub.counts(),
        (1, 2),
        "its place is kept for the grace period"
    );
    assert!(
        !drain(&mut b)
            .iter()
            .any(|m| matches!(m, ServerMsg::PeerLeft { .. })),
        "nobody is told it left: it may resume"
    );
}

#[test]
fn leaving_twice_or_from_an_unknown_room_is_harmless() {
    let hub = hub();
    let _a = member(&hub, "r1", 1, 8);
    hub.leave("r1", 1, 1);
    hub.leave("r1", 1, 1);
    hub.leave("nowhere", 7, 7);
    hub.handle("nowhere", 7, 7, ClientMsg::Leave);
    assert_eq!(hub.counts(), (0, 0));
}
