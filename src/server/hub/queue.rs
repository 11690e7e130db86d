//! A connection's outbound queue: a lock around a ring of boxed messages, and the reader's waker.
//!
//! Nearly every queue is empty nearly all the time, and there is one per connection, so its size
//! is what counts (issue 11). tokio's bounded channel reserved ~0.8 KiB for each (cache-padded
//! counters, a first block of 32 slots); this one is ~100 bytes until a message waits, and gives a
//! burst's room back once it is written. Only the hub sends (from whichever thread handles a room)
//! and only the connection's task reads, so a plain mutex is never contended for long.
//!
//! The connection's own reader also queues its pings here (an empty slot), so that a ping never
//! overtakes a message queued before it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use futures::task::AtomicWaker;
pub use tokio::sync::mpsc::error::{TryRecvError, TrySendError};

use crate::protocol::ServerMsg;

/// A queue of at most `depth` messages.
pub fn channel(depth: usize) -> (Tx, Rx) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            slots: VecDeque::new(),
            depth,
            senders: 1,
            closed: false,
        }),
        reader: AtomicWaker::new(),
    });
    (Tx(shared.clone()), Rx(shared))
}

/// A slot: a message, or `None` for a ping (one pointer wide, however large a message is).
type Slot = Option<Box<ServerMsg>>;

/// A ring that grew past this many slots in a burst is given back once it is empty.
const KEPT_SLOTS: usize = 8;

struct Shared {
    state: Mutex<State>,
    /// The connection's task, when it waits for a message.
    reader: AtomicWaker,
}

struct State {
    slots: VecDeque<Slot>,
    depth: usize,
    /// Strong senders: the queue ends for the reader when the last one goes.
    senders: usize,
    /// The reader closed the queue or is gone, or the hub released it: sends fail as `Closed`, so
    /// the hub learns it at once, and the reader ends once it has read what is queued.
    closed: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock, but a poisoned queue is still a valid queue.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the connection writes next.
#[derive(Debug, PartialEq)]
pub enum Outbound {
    /// A message for the client (still boxed: the connection's task holds it across a write).
    Msg(Box<ServerMsg>),
    /// A WebSocket ping: the connection has been quiet for a ping interval.
    Ping,
}

impl From<Slot> for Outbound {
    fn from(slot: Slot) -> Self {
        slot.map_or(Outbound::Ping, Outbound::Msg)
    }
}

/// The sending half (the hub holds one per member).
pub struct Tx(Arc<Shared>);

/// A sender that does not keep the queue open (the connection's own, once the hub holds it).
#[derive(Clone)]
pub struct WeakTx(Arc<Shared>);

/// The receiving half (the connection's task).
pub struct Rx(Arc<Shared>);

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl Clone for Tx {
    fn clone(&self) -> Self {
        self.0.lock().senders += 1;
        Tx(self.0.clone())
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let last = {
            let mut state = self.0.lock();
            state.senders -= 1;
            state.senders == 0
        };
        if last {
            self.0.reader.wake();
        }
    }
}

impl Tx {
    /// Queues `msg` unless the queue is full or its reader gone; the message comes back in the
    /// error.
    pub fn try_send(&self, msg: ServerMsg) -> Result<(), TrySendError<ServerMsg>> {
        self.push(Some(Box::new(msg))).map_err(|e| match e {
            TrySendError::Full(slot) => TrySendError::Full(*slot.expect("sent a message")),
            TrySendError::Closed(slot) => TrySendError::Closed(*slot.expect("sent a message")),
        })
    }

    /// Queues a connection's last message (`ended`) even if the queue is full: the reason must
    /// reach the client. The caller releases the queue right after, so it is one message past the
    /// depth at most.
    pub fn send_last(&self, msg: ServerMsg) {
        let queued = {
            let mut state = self.0.lock();
            if !state.closed {
                state.slots.push_back(Some(Box::new(msg)));
            }
            !state.closed
        };
        if queued {
            self.0.reader.wake();
        }
    }

    /// Queues a ping behind whatever is queued; dropped if the queue is full (a full queue means
    /// the hub is letting the connection go anyway).
    pub fn ping(&self) {
        let _ = self.push(None);
    }

    fn push(&self, slot: Slot) -> Result<(), TrySendError<Slot>> {
        {
            let mut state = self.0.lock();
            if state.closed {
                return Err(TrySendError::Closed(slot));
            }
            if state.slots.len() >= state.depth {
                return Err(TrySendError::Full(slot));
            }
            state.slots.push_back(slot);
        }
        self.0.reader.wake();
        Ok(())
    }

    /// Whether both send to the same queue.
    pub fn same_channel(&self, other: &Tx) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Lets the reader go: it reads what is queued, then hears that nothing more will come —
    /// whoever else still holds a sender (the media server keeps one per member of a class). Nothing
    /// more can be queued. The hub calls this when it lets go of a connection.
    pub fn release(&self) {
        self.0.lock().closed = true;
        self.0.reader.wake();
    }

    /// A sender that does not keep the queue open.
    pub fn downgrade(&self) -> WeakTx {
        WeakTx(self.0.clone())
    }
}

impl WeakTx {
    /// The sender, while some strong one still exists.
    pub fn upgrade(&self) -> Option<Tx> {
        let mut state = self.0.lock();
        if state.senders == 0 {
            return None;
        }
        state.senders += 1;
        Some(Tx(self.0.clone()))
    }
}

mod rx;

#[cfg(test)]
mod tests;
