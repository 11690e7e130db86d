//! The reading end of the queue: what the connection's task writes next, and how it ends.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::task::Poll;

use super::{Outbound, Rx, Slot, State, TryRecvError, KEPT_SLOTS};
use crate::protocol::ServerMsg;

impl std::fmt::Debug for Rx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Rx")
    }
}

impl Rx {
    /// What to write next; `None` once the queue is empty and every sender is gone or it was
    /// released.
    pub async fn recv(&mut self) -> Option<Outbound> {
        poll_fn(|cx| {
            let mut state = self.0.lock();
            match state.pop() {
                Ok(slot) => Poll::Ready(Some(slot.into())),
                Err(TryRecvError::Disconnected) => Poll::Ready(None),
                Err(TryRecvError::Empty) => {
                    // Registered under the lock: a sender pushes under it and wakes after, so
                    // no message can slip in between the look and the registration.
                    self.0.reader.register(cx.waker());
                    Poll::Pending
                }
            }
        })
        .await
    }

    /// What to write next, if anything is queued.
    pub fn try_next(&mut self) -> Result<Outbound, TryRecvError> {
        self.0.lock().pop().map(Outbound::from)
    }

    /// The next message if one is queued, skipping pings (for the hub's and the media peer's
    /// own readers, which never see one).
    pub fn try_recv(&mut self) -> Result<ServerMsg, TryRecvError> {
        loop {
            if let Outbound::Msg(msg) = self.try_next()? {
                return Ok(*msg);
            }
        }
    }
}

impl Rx {
    /// Takes no more messages; those already queued can still be read.
    pub fn close(&mut self) {
        self.0.lock().closed = true;
    }

    /// How many senders keep the queue open.
    pub fn sender_strong_count(&self) -> usize {
        self.0.lock().senders
    }
}

impl Drop for Rx {
    fn drop(&mut self) {
        {
            let mut state = self.0.lock();
            state.closed = true;
            state.slots = VecDeque::new();
        }
        // The waker holds the reader's task (its whole allocation): senders may outlive it.
        drop(self.0.reader.take());
    }
}

impl State {
    fn pop(&mut self) -> Result<Slot, TryRecvError> {
        match self.slots.pop_front() {
            Some(slot) => {
                if self.slots.is_empty() && self.slots.capacity() > KEPT_SLOTS {
                    self.slots = VecDeque::new();
                }
                Ok(slot)
            }
            // Closed by the reader, or no sender left: nothing more will come.
            None if self.senders == 0 || self.closed => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}
