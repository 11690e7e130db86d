//! A connection's outbound queue, holding each message boxed.
//!
//! tokio's bounded channel allocates its slots in blocks of 32 items. `ServerMsg` is 264 bytes (its
//! `joined` variant carries the whole room), so every connection's first block was ~8.4 KiB, a third
//! of the memory of a joined peer (issue 11), although a queue is empty nearly all the time. Boxed,
//! a block is 32 pointers, and each queued message costs one allocation until it is written.

use tokio::sync::mpsc::{self, error::TryRecvError, error::TrySendError};

use crate::protocol::ServerMsg;

/// A queue of at most `depth` messages.
pub fn channel(depth: usize) -> (Tx, Rx) {
    let (tx, rx) = mpsc::channel(depth);
    (Tx(tx), Rx(rx))
}

/// The sending half (the hub holds one per member).
#[derive(Clone, Debug)]
pub struct Tx(mpsc::Sender<Box<ServerMsg>>);

/// A sender that does not keep the queue open (the connection's own, once the hub holds it).
#[derive(Clone, Debug)]
pub struct WeakTx(mpsc::WeakSender<Box<ServerMsg>>);

/// The receiving half (the connection's send task).
#[derive(Debug)]
pub struct Rx(mpsc::Receiver<Box<ServerMsg>>);

impl Tx {
    /// Queues `msg` unless the queue is full or closed; the message comes back in the error.
    pub fn try_send(&self, msg: ServerMsg) -> Result<(), TrySendError<ServerMsg>> {
        self.0.try_send(Box::new(msg)).map_err(|e| match e {
            TrySendError::Full(msg) => TrySendError::Full(*msg),
            TrySendError::Closed(msg) => TrySendError::Closed(*msg),
        })
    }

    /// Whether both send to the same queue.
    pub fn same_channel(&self, other: &Tx) -> bool {
        self.0.same_channel(&other.0)
    }

    /// A sender that does not keep the queue open.
    pub fn downgrade(&self) -> WeakTx {
        WeakTx(self.0.downgrade())
    }
}

impl WeakTx {
    /// The sender, while some strong one still exists.
    pub fn upgrade(&self) -> Option<Tx> {
        self.0.upgrade().map(Tx)
    }
}

impl Rx {
    /// The next message; `None` once every sender is gone and the queue is empty.
    pub async fn recv(&mut self) -> Option<ServerMsg> {
        self.0.recv().await.map(|msg| *msg)
    }

    /// The next message if one is queued.
    pub fn try_recv(&mut self) -> Result<ServerMsg, TryRecvError> {
        self.0.try_recv().map(|msg| *msg)
    }

    /// Takes no more messages; those already queued can still be read.
    pub fn close(&mut self) {
        self.0.close();
    }

    /// How many senders keep the queue open.
    pub fn sender_strong_count(&self) -> usize {
        self.0.sender_strong_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorCode;

    #[test]
    fn messages_go_through_in_order_and_a_full_queue_gives_them_back() {
        let (tx, mut rx) = channel(2);
        tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
        tx.try_send(ServerMsg::PeerLeft { peer: 2 }).unwrap();
        let refused = ServerMsg::error(ErrorCode::RateLimited);
        assert!(matches!(tx.try_send(refused.clone()), Err(TrySendError::Full(m)) if m == refused));
        assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 1 }));
        assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 2 }));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    }

    #[test]
    fn the_queue_closes_when_only_weak_senders_are_left() {
        let (tx, mut rx) = channel(2);
        let weak = tx.downgrade();
        assert!(weak.upgrade().is_some());
        drop(tx);
        assert!(weak.upgrade().is_none());
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    }

    #[test]
    fn a_queue_slot_is_a_pointer() {
        // What the channel allocates per slot, whatever the largest message is.
        assert_eq!(std::mem::size_of::<Box<ServerMsg>>(), 8);
        assert!(std::mem::size_of::<ServerMsg>() > 200, "still worth boxing");
    }
}
