//! One signaling WebSocket: parse, charge the sender's budget, hand to the hub, send what comes back.
//!
//! The socket is split: a spawned task writes the outbound queue, this task reads (and queues a
//! ping when the client has been quiet).
//! Whichever side ends first, the leave path below runs, so a closed tab, a dead network, a kicked
//! client or a server shutdown all leave the room the same way. When the server ends a connection
//! it says why with a close code (docs/protocol.md).

use std::time::Duration;

use std::net::SocketAddr;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use futures::stream::SplitStream;
use futures::StreamExt;
use tokio::sync::oneshot;
use tokio::time::timeout;

use crate::protocol::close;
use crate::server::hub::{queue, QUEUE_DEPTH};
use crate::server::listen::ConnectionGuard;
use crate::server::{metrics, rooms, AppState};

mod receive;
mod send;
mod session;
mod silence;

use receive::{receive, Ending};
use send::send_loop;
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
    let address = rooms::client_ip(&state.config, peer_addr, &headers)
        .map(|ip| ip.to_string())
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
        .on_upgrade(move |socket| {
            let (state, address, guard) = *setup;
            start(socket, state, address, guard)
        })
}

/// Sets a connection up and returns its task. Not `async`: what is only needed here (the socket
/// before it is split, the state before the session holds it) stays out of the task, which lives
/// as long as the connection.
fn start(
    socket: WebSocket,
    state: AppState,
    address: String,
    guard: Option<Extension<ConnectionGuard>>,
) -> impl std::future::Future<Output = ()> + Send {
    let peer = state.hub.next_peer_id();
    let (sink, stream) = socket.split();
    let (tx, rx) = queue::channel(QUEUE_DEPTH);
    let (close_tx, close_rx) = oneshot::channel();
    let write_timeout = state.config.ws_idle();
    let sender = tokio::spawn(send_loop(sink, rx, close_rx, write_timeout));
    let conn = session::Session::new(state, peer, address, tx);
    tracing::debug!(peer, "connected");
    let link = Link {
        stream,
        sender,
        close_tx,
        write_timeout,
        _guard: guard,
    };
    run(conn, link)
}

/// A connection's socket halves, kept by its task.
struct Link {
    stream: SplitStream<WebSocket>,
    /// The send task: returns whether it sent a close frame.
    sender: tokio::task::JoinHandle<bool>,
    /// The close frame the send task should end with.
    close_tx: oneshot::Sender<CloseFrame>,
    write_timeout: Duration,
    /// The connection's slot in the server's caps, given back when the task ends.
    _guard: Option<Extension<ConnectionGuard>>,
}

/// The connection's task: reads until it ends, then the leave path and the goodbye.
async fn run(mut conn: session::Session, mut link: Link) {
    let peer = conn.conn();
    let ending = receive(&mut conn, &mut link.stream, &mut link.sender).await;
    // Only a broken rule ends the stay at once; a restart, a lost network or a closed tab keep the
    // place for the grace period (the member may resume).
    let departure = match ending {
        Ending::Close(code, ..) if code != close::RESTARTING => session::Departure::Gone,
        Ending::PageGone => session::Departure::Gone,
        _ => session::Departure::Lost,
    };
    let closing = match ending {
        Ending::Close(code, reason, label) => {
            tracing::info!(peer, code, reason, "closing connection");
            metrics::dropped_connection(label);
            let _ = link.close_tx.send(CloseFrame {
                code,
                reason: reason.into(),
            });
            true
        }
        Ending::SentClose => true,
        // Nothing to say: the send task stops without a close frame.
        Ending::Gone | Ending::PageGone => {
            drop(link.close_tx);
            false
        }
    };
    // Out of the room first: the others need not wait for the goodbye below.
    conn.leave(departure).await;
    if closing {
        // Read on until the client answers the close: a socket closed with unread data in it is
        // reset, and the client would never see our close frame and its reason.
        let _ = timeout(CLOSE_HANDSHAKE, async {
            while let Some(Ok(msg)) = link.stream.next().await {
                if matches!(msg, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
    // Let the send task say goodbye (bounded by its write timeout), then make sure it is gone. A
    // finished handle must not be awaited again: `receive` may already have seen it end.
    let sender = &mut link.sender;
    if !sender.is_finished() && timeout(link.write_timeout, &mut *sender).await.is_err() {
        sender.abort();
    }
    tracing::debug!(peer, "disconnected");
}
