//! The live rooms of this server and the outbound queue of each connected member.
//!
//! The hub owns the only lock: it runs a [`Room`] transition and hands the resulting messages to the
//! members' queues without awaiting, so a slow socket never holds up a room.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::mpsc::{self, error::TrySendError};

use crate::protocol::{ClientMsg, PeerId, PeerInfo, ServerMsg};
use crate::server::room::{Outbox, Room, RoomSpec};

/// Messages a connection may have queued before it counts as stuck. A join in a full room makes a
/// few dozen (SDP and ICE for each peer); hundreds unread means the client stopped reading.
pub const QUEUE_DEPTH: usize = 256;

/// Sending half of a connection's outbound queue.
pub type Tx = mpsc::Sender<ServerMsg>;

struct LiveRoom {
    room: Room,
    queues: HashMap<PeerId, Tx>,
}

/// All rooms that have somebody in them.
#[derive(Default)]
pub struct Hub {
    rooms: Mutex<HashMap<String, LiveRoom>>,
    next_peer: AtomicU64,
}

/// Result of [`Hub::join`].
pub enum Joined {
    /// The peer is in; the hub now holds its queue.
    Yes(PeerInfo),
    /// Refused (the reason was queued to the peer); the queue is handed back.
    No(Tx),
}

impl Hub {
    /// A fresh peer id, unique for the life of the process.
    pub fn next_peer_id(&self) -> PeerId {
        self.next_peer.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs a `join` for `peer` in the room described by `spec` (made live if nobody is in it).
    pub fn join(&self, spec: RoomSpec, peer: PeerId, msg: ClientMsg, tx: Tx) -> Joined {
        let mut rooms = self.rooms.lock().expect("hub lock poisoned");
        let room_id = spec.id.clone();
        let live = rooms.entry(room_id.clone()).or_insert_with(|| LiveRoom {
            room: Room::new(spec),
            queues: HashMap::new(),
        });
        live.queues.insert(peer, tx);
        let out = live.room.handle(peer, msg);
        let kicked = deliver(live, out);
        let result = match live.room.member(peer) {
            Some(info) => Joined::Yes(info.clone()),
            None => Joined::No(live.queues.remove(&peer).expect("queue inserted above")),
        };
        self.after(&mut rooms, &room_id, kicked);
        result
    }

    /// Runs any message but `join` from a member of `room_id`.
    pub fn handle(&self, room_id: &str, peer: PeerId, msg: ClientMsg) {
        let mut rooms = self.rooms.lock().expect("hub lock poisoned");
        let Some(live) = rooms.get_mut(room_id) else {
            return;
        };
        let out = live.room.handle(peer, msg);
        let kicked = deliver(live, out);
        if live.room.member(peer).is_none() {
            // It left: dropping its queue ends its connection's send task.
            live.queues.remove(&peer);
        }
        self.after(&mut rooms, room_id, kicked);
    }

    /// Removes `peer` whatever the reason its connection ended. Idempotent.
    pub fn leave(&self, room_id: &str, peer: PeerId) {
        let mut rooms = self.rooms.lock().expect("hub lock poisoned");
        self.after(&mut rooms, room_id, vec![peer]);
    }

    /// Removes the given peers (and whoever that makes stuck, in turn), then forgets an empty room.
    fn after(&self, rooms: &mut HashMap<String, LiveRoom>, room_id: &str, mut gone: Vec<PeerId>) {
        let Some(live) = rooms.get_mut(room_id) else {
            return;
        };
        while let Some(peer) = gone.pop() {
            live.queues.remove(&peer);
            let out = live.room.leave(peer);
            gone.extend(deliver(live, out));
        }
        if live.room.is_empty() {
            rooms.remove(room_id);
        }
    }
}

/// Queues each message; returns the peers whose queue is full or closed, to be removed.
fn deliver(live: &mut LiveRoom, out: Outbox) -> Vec<PeerId> {
    let mut stuck = Vec::new();
    for (to, msg) in out {
        let Some(tx) = live.queues.get(&to) else {
            continue;
        };
        match tx.try_send(msg) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => {
                tracing::warn!(peer = to, "outbound queue full or closed; removing peer");
                live.queues.remove(&to);
                stuck.push(to);
            }
        }
    }
    stuck
}
