//! The outbound queue: order, back-pressure, closing, waking, and its size.

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
        Outbound::Msg(Box::new(ServerMsg::PeerLeft { peer: 1 }))
    );
    assert_eq!(next(&mut rx), Outbound::Ping);
    assert_eq!(
        next(&mut rx),
        Outbound::Msg(Box::new(ServerMsg::PeerLeft { peer: 2 }))
    );
    // A full queue drops the ping rather than wait.
    let (tx, mut rx) = channel(1);
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    tx.ping();
    assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 1 }));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn a_dropped_reader_refuses_further_messages() {
    let (tx, rx) = channel(4);
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    drop(rx);
    let msg = ServerMsg::PeerLeft { peer: 2 };
    assert!(matches!(tx.try_send(msg.clone()), Err(TrySendError::Closed(m)) if m == msg));
}

#[test]
fn a_burst_gives_its_room_back_once_written() {
    let (tx, mut rx) = channel(64);
    for peer in 0..40 {
        tx.try_send(ServerMsg::PeerLeft { peer }).unwrap();
    }
    assert!(rx.0.lock().slots.capacity() >= 40);
    while rx.try_recv().is_ok() {}
    assert_eq!(rx.0.lock().slots.capacity(), 0);
    // A queue that never holds more than a few keeps its ring.
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    rx.try_recv().unwrap();
    assert!(rx.0.lock().slots.capacity() > 0);
}

#[test]
fn a_closed_queue_refuses_new_messages_and_still_gives_the_queued_ones() {
    let (tx, mut rx) = channel(4);
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    rx.close();
    assert!(matches!(
        tx.try_send(ServerMsg::PeerLeft { peer: 2 }),
        Err(TrySendError::Closed(_))
    ));
    assert_eq!(rx.sender_strong_count(), 1);
    assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 1 }));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[tokio::test]
async fn the_reader_wakes_for_a_message_and_for_the_last_sender_going() {
    let (tx, mut rx) = channel(4);
    let weak = tx.downgrade();
    let reader = tokio::spawn(async move {
        let first = rx.recv().await;
        let second = rx.recv().await;
        (first, second)
    });
    tokio::task::yield_now().await;
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    tokio::task::yield_now().await;
    let again = weak.upgrade().expect("a strong sender is left");
    drop(tx);
    drop(again);
    // A reader that is never woken fails here rather than hang the suite.
    let (first, second) = tokio::time::timeout(std::time::Duration::from_secs(5), reader)
        .await
        .expect("the reader was woken")
        .unwrap();
    assert_eq!(
        first,
        Some(Outbound::Msg(Box::new(ServerMsg::PeerLeft { peer: 1 })))
    );
    assert_eq!(second, None);
    assert!(weak.upgrade().is_none());
}

#[test]
fn an_empty_queue_is_small() {
    // What every connection pays for its queue while nothing waits in it.
    assert!(
        std::mem::size_of::<Shared>() <= 112,
        "{}",
        std::mem::size_of::<Shared>()
    );
}

#[test]
fn a_queue_slot_is_a_pointer() {
    // What the channel allocates per slot, whatever the largest message is.
    assert_eq!(std::mem::size_of::<Option<Box<ServerMsg>>>(), 8);
    assert!(std::mem::size_of::<ServerMsg>() > 200, "still worth boxing");
}

/// The hub lets go of a connection while the media server still holds a sender for the member
/// (it answers offers on it): the connection must end all the same.
#[test]
fn a_released_queue_is_read_out_then_ends_whoever_else_holds_a_sender() {
    let (tx, mut rx) = channel(4);
    let media_server = tx.clone();
    tx.try_send(ServerMsg::PeerLeft { peer: 1 }).unwrap();
    tx.release();
    drop(tx);
    let late = ServerMsg::PeerLeft { peer: 2 };
    assert!(
        matches!(media_server.try_send(late.clone()), Err(TrySendError::Closed(m)) if m == late)
    );
    assert_eq!(rx.try_recv(), Ok(ServerMsg::PeerLeft { peer: 1 }));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[tokio::test]
async fn a_waiting_reader_hears_of_its_release() {
    let (tx, mut rx) = channel(4);
    let media_server = tx.clone();
    let reader = tokio::spawn(async move { rx.recv().await });
    tokio::task::yield_now().await;
    tx.release();
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), reader)
        .await
        .expect("the reader was woken")
        .unwrap();
    assert_eq!(read, None);
    drop(media_server);
}

/// A finished connection's task must not be kept alive by senders that outlive its reader.
#[test]
fn a_dropped_reader_lets_go_of_its_waker() {
    use futures::task::{waker, ArcWake};
    use std::future::Future;
    use std::sync::Arc;

    struct Task;
    impl ArcWake for Task {
        fn wake_by_ref(_: &Arc<Self>) {}
    }
    let task = Arc::new(Task);
    let (tx, mut rx) = channel(4);
    {
        let w = waker(task.clone());
        let mut cx = std::task::Context::from_waker(&w);
        let mut recv = Box::pin(rx.recv());
        assert!(recv.as_mut().poll(&mut cx).is_pending());
    }
    drop(rx);
    assert_eq!(
        Arc::strong_count(&task),
        1,
        "the queue still holds the reader's waker"
    );
    drop(tx);
}
