//! One signaling WebSocket: parse, charge the sender's budget, hand to the hub, send what comes back.
//!
//! One task per connection both reads the socket and writes its outbound queue (pings included).
//! However the connection ends, the leave path below runs, so a closed tab, a dead network, a
//! kicked client or a server shutdown all leave the room the same way. When the server ends a
//! connection it says why with a close code (docs/protocol.md).

use std::time::Duration;

use std::net::SocketAddr;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use futures::{SinkExt, StreamExt};
use tokio::time::timeout;

use crate::protocol::close;
use crate::server::hub::{queue, QUEUE_DEPTH};
use crate::server::listen::{client_key, ConnectionGuard};
use crate::server::{metrics, rooms, AppState};

mod receive;
mod send;
mod session;
mod silence;

use receive::{serve, Ending};
pub use silence::SilenceWatch;

/// Frames above this are cut off by the transport (close 1009). Between
/// [`crate::protocol::MAX_MESSAGE_BYTES`] and this, the client gets `too_large` and stays.
const TRANSPORT_LIMIT: usize = 1024 * 1024;
/// How long a closing connection waits for the client's close frame.
const CLOSE_HANDSHAKE: Duration = Duration::from_secs(2);
/// Outgoing bytes are written once this many are buffered (each batch is flushed anyway). Small:
/// tungstenite's write buffer keeps the largest size it ever reached for the connection's life,
/// and at 8 KiB a join's burst left ~3 KiB more per connection; candidates still go out together.
const WRITE_BUFFER: usize = 2 * 1024;

/// The most a connection's write buffer may hold: a batch's worth and the largest message we send
/// (an SFU offer for a whole class is tens of KiB).
const MAX_WRITE_BUFFER: usize = WRITE_BUFFER + TRANSPORT_LIMIT;

/// `GET /ws`: upgrades to a signaling connection. The connection's slot in the server's caps
/// (`guard`) is held until the socket ends.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    guard: Option<Extension<ConnectionGuard>>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    let peer_addr = addr.map(|Extension(ConnectInfo(a))| a);
    // Only the room's "turned away" memory uses it: keyed like the other per-address budgets, so
    // a fresh address from the same IPv6 /64 does not make a student someone new.
    let address = rooms::client_ip(&state.config, peer_addr, &headers)
        .map(|ip| client_key(ip).to_string())
        .unwrap_or_default();
    let read_buffer = state.config.ws_read_buffer;
    // axum's upgrade task keeps the callback's captures for the connection's whole life: one
    // pointer rather than the whole state.
    let setup = Box::new((state, address, guard));
    ws.max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        // tungstenite reserves its read buffer up front for every socket (128 KiB by default);
        // signaling messages are a few KiB, and a larger one just takes a few more reads.
        .read_buffer_size(read_buffer)
        .write_buffer_size(WRITE_BUFFER)
        // tungstenite queues a pong for every ping it reads, written or not: without a ceiling a
        // client that pings and never reads grows this buffer without end.
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .on_upgrade(move |socket| {
            let (state, address, guard) = *setup;
            // A task of our own rather than axum's: axum's future around ours would stay
            // reserved, upgrade state and all, for the connection's whole life.
            tokio::spawn(start(socket, state, address, guard));
            std::future::ready(())
        })
}

/// Sets a connection up and returns its task. Not `async`: what is only needed here (the state
/// before the session holds it) stays out of the task, which lives as long as the connection.
fn start(
    socket: WebSocket,
    state: AppState,
    address: String,
    guard: Option<Extension<ConnectionGuard>>,
) -> impl std::future::Future<Output = ()> + Send {
    let peer = state.hub.next_peer_id();
    let (tx, rx) = queue::channel(QUEUE_DEPTH);
    let conn = session::Session::new(state, peer, address, tx);
    tracing::debug!(peer, "connected");
    run(
        conn,
        Link {
            socket,
            rx,
            _guard: guard,
        },
    )
}

/// What a connection's task holds besides its session.
pub(super) struct Link {
    pub socket: WebSocket,
    /// The outbound queue: the hub's messages for this client and our own pings.
    pub rx: queue::Rx,
    /// The connection's slot in the server's caps, given back when the task ends.
    _guard: Option<Extension<ConnectionGuard>>,
}

/// The connection's task: serves until it ends, then the leave path and the goodbye. Not an
/// `async fn`: one of those keeps its arguments twice (as given, and as its own variables), and
/// this future lives as long as the connection; the block below keeps them once.
fn run(mut conn: session::Session, mut link: Link) -> impl std::future::Future<Output = ()> + Send {
    async move {
        let peer = conn.conn();
        let write_timeout = conn.state.config.ws_idle();
        let ending = serve(&mut conn, &mut link).await;
        // Only a broken rule ends the stay at once; a restart, a lost network or a closed tab keep the
        // place for the grace period (the member may resume).
        let departure = match ending {
            Ending::Close(code, ..) if code != close::RESTARTING => session::Departure::Gone,
            Ending::PageGone => session::Departure::Gone,
            _ => session::Departure::Lost,
        };
        let answer_close = matches!(ending, Ending::PageGone | Ending::Closed);
        let goodbye = match ending {
            Ending::Close(code, reason, label) => {
                tracing::info!(peer, code, reason, "closing connection");
                metrics::dropped_connection(label);
                Some(CloseFrame {
                    code,
                    reason: reason.into(),
                })
            }
            Ending::Released(frame) => Some(frame),
            Ending::Gone | Ending::PageGone | Ending::Closed => None,
        };
        // Out of the room first: the others need not wait for the goodbye below.
        conn.leave(departure).await;
        if answer_close {
            // tungstenite queued the reply to the client's close; dropping the socket unflushed
            // would end it with a reset (1006, not clean, in a browser).
            let _ = timeout(CLOSE_HANDSHAKE, link.socket.flush()).await;
        }
        if let Some(frame) = goodbye {
            let said = timeout(write_timeout, link.socket.send(Message::Close(Some(frame)))).await;
            if matches!(said, Ok(Ok(()))) {
                // Read on until the client answers the close: a socket closed with unread data in it
                // is reset, and the client would never see our close frame and its reason.
                let _ = timeout(CLOSE_HANDSHAKE, async {
                    while let Some(Ok(msg)) = link.socket.next().await {
                        if matches!(msg, Message::Close(_)) {
                            break;
                        }
                    }
                })
                .await;
            }
        }
        tracing::debug!(peer, "disconnected");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn future_size<A, B, F: std::future::Future>(_: impl Fn(A, B) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    /// A connection's task is its future in a tokio task cell (~130 bytes more, in multiples of
    /// 128) in one of jemalloc's size classes (1,536, 1,792, 2,048 …): 40 bytes more here can
    /// cost 256 per connection (issue 11, docs/BENCHMARKS.md).
    #[test]
    fn a_connection_task_fits_its_size_class() {
        let task = future_size(run);
        assert!(task <= 1_400, "the connection's future is {task} bytes");
        // What it holds for the connection's whole life.
        assert!(std::mem::size_of::<session::Session>() <= 128);
        assert!(std::mem::size_of::<Link>() <= 400);
    }
}
