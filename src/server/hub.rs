//! The live rooms of this server and the outbound queue of each connected member.
//!
//! One lock guards the map of rooms. It is held only while a [`Room`] transition runs and its
//! messages are handed to queues with `try_send` — microseconds, never across an await — so one
//! lock for all rooms costs nothing measurable (docs/BENCHMARKS.md) and keeps joins and leaves
//! simple. It cannot take every room down: no code under it unwraps anything a client controls,
//! each room transition runs inside `catch_unwind` (a panic ends that room only, whose members are
//! told `internal` and disconnected), and a poisoned lock is entered anyway.
//!
//! Back-pressure blames the sender: a relayed signal or media update that does not fit in the
//! receiver's queue is dropped and its *sender* gets `rate_limited`; the receiver keeps its place.
//! Only room events (`peer_joined`, `peer_left`), which no single client can produce quickly, find
//! out a receiver that stopped reading; it is then removed.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc::{self, error::TrySendError};

use crate::protocol::{ClientMsg, ErrorCode, PeerId, PeerInfo, ServerMsg};
use crate::server::metrics;
use crate::server::room::{Outbox, Room, RoomSpec};

/// Messages a connection may have queued. A join into a full room makes a few dozen; senders are
/// held to a budget (ws.rs), so hundreds unread means the client stopped reading.
pub const QUEUE_DEPTH: usize = 512;

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
    /// A refused join gives the queue back untouched but for the refusal, whatever else happens.
    pub fn join(&self, spec: RoomSpec, peer: PeerId, msg: ClientMsg, tx: Tx) -> Joined {
        let mut rooms = self.lock();
        let room_id = spec.id.clone();
        let live = rooms.entry(room_id.clone()).or_insert_with(|| LiveRoom {
            room: Room::new(spec),
            queues: HashMap::new(),
        });
        let Some(out) = guarded(&room_id, || live.room.handle(peer, msg)) else {
            tear_down(&mut rooms, &room_id);
            let _ = tx.try_send(ServerMsg::error(ErrorCode::Internal));
            return Joined::No(tx);
        };
        let Some(info) = live.room.member(peer).cloned() else {
            for (_, msg) in out.into_iter().filter(|(to, _)| *to == peer) {
                metrics::count_refusal(&msg);
                let _ = tx.try_send(msg);
            }
            settle(&mut rooms, &room_id, Vec::new());
            return Joined::No(tx);
        };
        live.queues.insert(peer, tx.clone());
        let gone = deliver(live, peer, out);
        let stuck_self = gone.contains(&peer);
        settle(&mut rooms, &room_id, gone);
        if stuck_self {
            // Its own queue was already full (it sent a flood before joining and read nothing):
            // it has been taken out again, and keeps its connection and queue.
            return Joined::No(tx);
        }
        Joined::Yes(info)
    }

    /// Runs any message but `join` from a member of `room_id`.
    pub fn handle(&self, room_id: &str, peer: PeerId, msg: ClientMsg) {
        let mut rooms = self.lock();
        let Some(live) = rooms.get_mut(room_id) else {
            return;
        };
        let Some(out) = guarded(room_id, || live.room.handle(peer, msg)) else {
            return tear_down(&mut rooms, room_id);
        };
        let mut gone = deliver(live, peer, out);
        if live.room.member(peer).is_none() {
            // It left: dropping its queue ends its connection's send task.
            gone.push(peer);
        }
        settle(&mut rooms, room_id, gone);
    }

    /// Removes `peer` whatever the reason its connection ended. Idempotent.
    pub fn leave(&self, room_id: &str, peer: PeerId) {
        let mut rooms = self.lock();
        settle(&mut rooms, room_id, vec![peer]);
    }

    /// Numbers of live rooms and of their members, read by /metrics when it is scraped (not kept up to
    /// date on every message: that would walk every room on the relay path).
    pub fn counts(&self) -> (usize, usize) {
        let rooms = self.lock();
        (rooms.len(), rooms.values().map(|r| r.room.len()).sum())
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, LiveRoom>> {
        // Nothing under this lock can panic on client input; should anything else ever panic
        // while holding it, the map is still consistent (every change to it is one insert or one
        // remove), so going on beats refusing every room from then on.
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs a room transition; `None` if it panicked (a bug, logged), in which case the room is torn down.
fn guarded(room_id: &str, transition: impl FnOnce() -> Outbox) -> Option<Outbox> {
    match catch_unwind(AssertUnwindSafe(transition)) {
        Ok(out) => Some(out),
        Err(_) => {
            tracing::error!(room = %room_id, "room transition panicked; closing the room");
            None
        }
    }
}

/// Ends a room whose state can no longer be trusted: every member is told and disconnected.
fn tear_down(rooms: &mut HashMap<String, LiveRoom>, room_id: &str) {
    if let Some(live) = rooms.remove(room_id) {
        for tx in live.queues.values() {
            let _ = tx.try_send(ServerMsg::error(ErrorCode::Internal));
        }
    }
}

/// Removes the given peers (and whoever that makes stuck, in turn), then forgets an empty room.
fn settle(rooms: &mut HashMap<String, LiveRoom>, room_id: &str, mut gone: Vec<PeerId>) {
    let Some(live) = rooms.get_mut(room_id) else {
        return;
    };
    while let Some(peer) = gone.pop() {
        live.queues.remove(&peer);
        match guarded(room_id, || live.room.leave(peer)) {
            Some(out) => gone.extend(deliver(live, peer, out)),
            None => return tear_down(rooms, room_id),
        }
    }
    if live.room.is_empty() {
        rooms.remove(room_id);
    }
}

/// Queues the messages that `sender`'s input produced; returns the peers to remove (their queue is
/// closed, or full of room events they did not read).
fn deliver(live: &mut LiveRoom, sender: PeerId, out: Outbox) -> Vec<PeerId> {
    let mut gone = Vec::new();
    let mut sender_throttled = false;
    for (to, msg) in out {
        let Some(tx) = live.queues.get(&to) else {
            continue;
        };
        metrics::count_refusal(&msg);
        let relayed = matches!(msg, ServerMsg::Signal { .. } | ServerMsg::Media { .. });
        match tx.try_send(msg) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) if relayed && to != sender => sender_throttled = true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => {
                tracing::warn!(peer = to, "outbound queue full or closed; removing peer");
                metrics::dropped_connection("queue_full");
                live.queues.remove(&to);
                gone.push(to);
            }
        }
    }
    if sender_throttled {
        metrics::rate_limited();
        if let Some(tx) = live.queues.get(&sender) {
            let _ = tx.try_send(ServerMsg::error(ErrorCode::RateLimited));
        }
    }
    gone
}

#[cfg(test)]
mod tests;
