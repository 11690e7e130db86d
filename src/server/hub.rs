//! The live rooms of this server and the outbound queue of each connected member.
//!
//! The hub runs each room's pure state machine ([`Room::step`]) and carries out its outputs: messages
//! into queues, closes, records to the [`Recorder`], wake-ups for the ticker.
//!
//! One lock guards the map of rooms. It is held only while a [`Room`] transition runs and its
//! messages are handed to queues with `try_send` — microseconds, never across an await — so one
//! lock for all rooms costs nothing measurable (docs/BENCHMARKS.md) and keeps joins and leaves
//! simple. It cannot take every room down: no code under it unwraps anything a client controls,
//! each room transition runs inside `catch_unwind` (a panic ends that room only, whose members are
//! told `internal` and disconnected), and a poisoned lock is entered anyway.
//!
//! Back-pressure blames the sender: whatever a member's message causes (a relayed signal, a media or
//! hand update, a chat line) that does not fit in another member's queue is dropped and the *sender*
//! gets `rate_limited`; the receiver keeps its place. Only what joins and leaves cause, which no single
//! client can produce quickly, finds out a receiver that stopped reading; it is then removed.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::protocol::{ClientMsg, PeerId, UnixMillis};
use crate::server::db::now_ms;
use crate::server::records::Recorder;
use crate::server::room::{Input, Room};

/// Messages a connection may have queued. A join into a full room makes a few dozen; senders are
/// held to a budget (ws.rs), so hundreds unread means the client stopped reading.
pub const QUEUE_DEPTH: usize = 512;

/// Sending half of a connection's outbound queue.
pub use queue::Tx;

/// A connection's number: the peer id it was given when it connected. A member keeps its peer id
/// across connections (resume), so the leave path of an old connection says which one it was.
pub type ConnId = u64;

/// A member's connection: which one, and its queue.
struct Link {
    conn: ConnId,
    tx: Tx,
}

struct LiveRoom {
    room: Room,
    queues: HashMap<PeerId, Link>,
    /// When the room asked to be ticked next.
    wake: Option<UnixMillis>,
}

impl LiveRoom {
    /// Lets go of `peer`'s connection: it writes what is queued and ends, even while the media
    /// server still holds a sender for it.
    fn let_go(&mut self, peer: PeerId) {
        if let Some(link) = self.queues.remove(&peer) {
            link.tx.release();
        }
    }
}

#[derive(Default)]
struct Rooms {
    live: HashMap<String, LiveRoom>,
    /// Rooms whose class a teacher or the administrator ended (or that the administrator deleted)
    /// while this process runs: refused at once, even before the database says so.
    ended: HashSet<String>,
    /// Teacher key hashes the administrator set while this process runs (see `hub/admin.rs`).
    rekeyed: HashMap<String, String>,
}

/// All rooms that have somebody in them.
pub struct Hub {
    rooms: Mutex<Rooms>,
    next_peer: AtomicU64,
    recorder: Recorder,
    media: Option<Arc<dyn MediaServer>>,
}

/// Result of [`Hub::join`] and [`Hub::resume`].
pub enum Joined {
    /// The connection is this member of the room (admitted or waiting); the hub now holds its
    /// queue.
    Yes(PeerId),
    /// Refused (the reason was queued to the peer); the queue is handed back.
    No(Tx),
}

impl Hub {
    /// A hub whose rooms' records go to `recorder`.
    pub fn new(recorder: Recorder) -> Self {
        Hub {
            rooms: Mutex::default(),
            next_peer: AtomicU64::new(0),
            recorder,
            media: None,
        }
    }

    /// Where records go (to wait for them at shutdown).
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// A fresh peer id, unique for the life of the process.
    pub fn next_peer_id(&self) -> PeerId {
        self.next_peer.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs any message but `join` from connection `conn` of member `peer` of `room_id`. A
    /// connection the member has replaced by resuming speaks for it no more.
    pub fn handle(&self, room_id: &str, peer: PeerId, conn: ConnId, msg: ClientMsg) {
        self.step(room_id, Some((peer, conn)), Input::Message(peer, msg));
    }

    /// The connection `conn` of member `peer` ended without `leave`: its place is kept for the grace
    /// period. Nothing happens if the member has another connection by now (it resumed).
    pub fn lost(&self, room_id: &str, peer: PeerId, conn: ConnId) {
        self.end_link(room_id, peer, conn, Input::Lost(peer));
    }

    /// The connection `conn` of member `peer` was closed by the server (a rule broken): the member
    /// goes now. Nothing happens if the member has another connection by now.
    pub fn leave(&self, room_id: &str, peer: PeerId, conn: ConnId) {
        self.end_link(room_id, peer, conn, Input::Disconnect(peer));
    }

    fn end_link(&self, room_id: &str, peer: PeerId, conn: ConnId, input: Input) {
        let mut rooms = self.lock();
        let Some(live) = rooms.live.get_mut(room_id) else {
            return;
        };
        // No link: the room already let the member go, or already knows it is away.
        if live.queues.get(&peer).is_none_or(|l| l.conn != conn) {
            return;
        }
        live.queues.remove(&peer);
        match self.run(live, room_id, None, input) {
            Some(gone) => self.settle(&mut rooms, room_id, gone),
            None => self.tear_down(&mut rooms, room_id),
        }
    }

    /// Ticks every room whose wake-up time has come.
    pub fn tick(&self) {
        let now = now_ms();
        let due: Vec<String> = {
            let rooms = self.lock();
            rooms
                .live
                .iter()
                .filter(|(_, r)| r.wake.is_some_and(|t| t <= now))
                .map(|(id, _)| id.clone())
                .collect()
        };
        for room_id in due {
            self.step(&room_id, None, Input::Tick);
        }
    }

    /// Numbers of live rooms and of their members, read by /metrics when it is scraped (not kept up to
    /// date on every message: that would walk every room on the relay path).
    pub fn counts(&self) -> (usize, usize) {
        let rooms = self.lock();
        let live = &rooms.live;
        (live.len(), live.values().map(|r| r.room.len()).sum())
    }

    /// Connections the hub holds a queue of (members away within their grace period have none).
    pub fn connected(&self) -> usize {
        self.lock().live.values().map(|r| r.queues.len()).sum()
    }

    /// Runs one input of `sender` (a member and its connection; none for a tick) and carries out
    /// what the room decided.
    fn step(&self, room_id: &str, sender: Option<(PeerId, ConnId)>, input: Input) {
        let mut rooms = self.lock();
        let Some(live) = rooms.live.get_mut(room_id) else {
            return;
        };
        if let Some((peer, conn)) = sender {
            if live.queues.get(&peer).is_none_or(|l| l.conn != conn) {
                return;
            }
        }
        let sender = sender.map(|(peer, _)| peer);
        if matches!(input, Input::Tick) {
            live.wake = None;
        }
        // A member's own message makes it the culprit of what follows (see `apply`).
        let culprit = sender.filter(|_| matches!(input, Input::Message(..)));
        let Some(mut gone) = self.run(live, room_id, culprit, input) else {
            return self.tear_down(&mut rooms, room_id);
        };
        if let Some(sender) = sender.filter(|&s| !live.room.contains(s)) {
            // It left: dropping its queue ends its connection.
            gone.push(sender);
        }
        self.settle(&mut rooms, room_id, gone);
    }

    fn lock(&self) -> MutexGuard<'_, Rooms> {
        // Nothing under this lock can panic on client input; should anything else ever panic
        // while holding it, the map is still consistent (every change to it is one insert or one
        // remove), so going on beats refusing every room from then on.
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

mod admin;
mod apply;
mod join;
mod media;
mod presence;
pub mod queue;
mod resume;
use apply::guarded;
pub use join::JoinRequest;
pub use media::MediaServer;
pub use presence::Presence;
pub use resume::ResumeRequest;

#[cfg(test)]
mod tests;
