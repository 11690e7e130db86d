//! A connection's outbound queue, holding each message boxed.
//!
//! tokio's bounded channel allocates its slots in blocks of 32 items. `ServerMsg` is 264 bytes (its
//! `joined` variant carries the whole room), so every connection's first block was ~8.4 KiB, a third
//! of the memory of a joined peer (issue 11), although a queue is empty nearly all the time. Boxed,
//! a block is 32 pointers, and each queued message costs one allocation until it is written.
//!
//! The connection's own reader also queues its pings here (an empty slot), so that the send task
//! needs no timer of its own and a ping never overtakes a message queued before it.

use tokio::sync::mpsc::{self, error::TryRecvError, error::TrySendError};

use crate::protocol::ServerMsg;

/// A queue of at most `depth` messages.
pub fn channel(depth: usize) -> (Tx, Rx) {
    let (tx, rx) = mpsc::channel(depth);
    (Tx(tx), Rx(rx))
}

/// A slot: a message, or `None` for a ping (still one pointer wide).
type Slot = Option<Box<ServerMsg>>;

/// What the send task writes next.
#[derive(Debug, PartialEq)]
pub enum Outbound {
    /// A message for the client.
    Msg(ServerMsg),
    /// A WebSocket ping: the connection has been quiet for a ping interval.
    Ping,
}

impl From<Slot> for Outbound {
    fn from(slot: Slot) -> Self {
        slot.map_or(Outbound::Ping, |msg| Outbound::Msg(*msg))
    }
}

/// The sending half (the hub holds one per member).
#[derive(Clone, Debug)]
pub struct Tx(mpsc::Sender<Slot>);

/// A sender that does not keep the queue open (the connection's own, once the hub holds it).
#[derive(Clone, Debug)]
pub struct WeakTx(mpsc::WeakSender<Slot>);

/// The receiving half (the connection's send task).
#[derive(Debug)]
pub struct Rx(mpsc::Receiver<Slot>);

impl Tx {
    /// Queues `msg` unless the queue is full or closed; the message comes back in the error.
    pub fn try_send(&self, msg: ServerMsg) -> Result<(), TrySendError<ServerMsg>> {
        self.0.try_send(Some(Box::new(msg))).map_err(|e| match e {
            TrySendError::Full(msg) => TrySendError::Full(*msg.expect("sent a message")),
            TrySendError::Closed(msg) => TrySendError::Closed(*msg.expect("sent a message")),
        })
    }

    /// Queues a ping behind whatever is queued; dropped if the queue is full or closed (a full
    /// queue means the hub is letting the connection go anyway).
    pub fn ping(&self) {
        let _ = self.0.try_send(None);
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
    /// What to write next; `None` once every sender is gone and the queue is empty.
    pub async fn recv(&mut self) -> Option<Outbound> {
        self.0.recv().await.map(Outbound::from)
    }

    /// What to write next, if anything is queued.
    pub fn try_next(&mut self) -> Result<Outbound, TryRecvError> {
        self.0.try_recv().map(Outbound::from)
    }

    /// The next message if one is queued, skipping pings (for the hub's and the media peer's
    /// own readers, which never see one).
    pub fn try_recv(&mut self) -> Result<ServerMsg, TryRecvError> {
        loop {
            if let Outbound::Msg(msg) = self.try_next()? {
                return Ok(msg);
            }
        }
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
    fn a_ping_keeps_its_place_behind_queued_messages() {
        let (tx, mut rx) = channel(4);
        tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
        tx.ping();
        tx.try_send(ServerMsg::PeerLeft { peer: 2 }).unwrap();
        let next = |rx: &mut Rx| rx.try_next().unwrap();
        assert_eq!(
            next(&mut rx),
            Outbound::Msg(ServerMsg::PeerLeft { peer: 1 })
        );
        assert_eq!(next(&mut rx), Outbound::Ping);
        assert_eq!(
            next(&mut rx),
            Outbound::Msg(ServerMsg::PeerLeft { peer: 2 })
        );
        // A full queue drops the ping rather than wait.
        let (tx, mut rx) = channel(1);
        tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
        tx.ping();
        assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 1 }));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    }

    #[test]
    fn a_queue_slot_is_a_pointer() {
        // What the channel allocates per slot, whatever the largest message is.
        assert_eq!(std::mem::size_of::<Option<Box<ServerMsg>>>(), 8);
        assert!(std::mem::size_of::<ServerMsg>() > 200, "still worth boxing");
    }
}
