//! One signaling WebSocket: parse, hand to the hub, send what comes back.
//!
//! The socket is split: a spawned task writes the outbound queue (and pings), this task reads.
//! Whichever side ends first, the leave path below runs, so a closed tab, a dead network or a
//! kicked client all leave the room the same way.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::protocol::{ClientMsg, ErrorCode, PeerId, ServerMsg, MAX_MESSAGE_BYTES};
use crate::server::hub::{Joined, Tx, QUEUE_DEPTH};
use crate::server::room::RoomSpec;
use crate::server::{store, AppState};

/// How often the server pings; browsers answer pings by themselves.
const PING_EVERY: Duration = Duration::from_secs(2);
/// Silence after which a connection counts as lost and its tile disappears for the others.
const IDLE_TIMEOUT: Duration = Duration::from_secs(6);
/// Frames above this are cut off by the transport. Between [`MAX_MESSAGE_BYTES`] and this, the
/// client gets a `too_large` error and stays connected.
const TRANSPORT_LIMIT: usize = 1024 * 1024;

/// `GET /ws`: upgrades to a signaling connection.
pub async fn upgrade(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    ws.max_message_size(TRANSPORT_LIMIT)
        .max_frame_size(TRANSPORT_LIMIT)
        .on_upgrade(move |socket| run(socket, state))
}

/// Where a joined connection is, for the leave path.
struct Membership {
    room_id: String,
    participation: Option<i64>,
}

struct Connection {
    state: AppState,
    peer: PeerId,
    /// The queue's sender while not in a room; once joined the hub holds it and we keep a weak one,
    /// so the hub dropping it (leave, kick) closes the queue and ends the connection.
    tx: Option<Tx>,
    weak: mpsc::WeakSender<ServerMsg>,
    membership: Option<Membership>,
}

async fn run(socket: WebSocket, state: AppState) {
    let peer = state.hub.next_peer_id();
    let (sink, stream) = socket.split();
    let (tx, rx) = mpsc::channel(QUEUE_DEPTH);
    let mut sender = tokio::spawn(send_loop(sink, rx));
    let mut conn = Connection {
        state,
        peer,
        weak: tx.downgrade(),
        tx: Some(tx),
        membership: None,
    };
    tracing::debug!(peer, "connected");
    conn.receive(stream, &mut sender).await;
    conn.leave().await;
    sender.abort();
    tracing::debug!(peer, "disconnected");
}

async fn send_loop(
    mut sink: futures::stream::SplitSink<WebSocket, Message>,
    mut rx: mpsc::Receiver<ServerMsg>,
) {
    let mut ping = tokio::time::interval(PING_EVERY);
    loop {
        let frame = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => Message::Text(serde_json::to_string(&msg).expect("ServerMsg serializes").into()),
                None => break,
            },
            _ = ping.tick() => Message::Ping(Default::default()),
        };
        if sink.send(frame).await.is_err() {
            return;
        }
    }
    // The hub let go of us: the peer left or could not keep up.
    let close = CloseFrame {
        code: 1000,
        reason: "left the room".into(),
    };
    let _ = sink.send(Message::Close(Some(close))).await;
}

impl Connection {
    /// Reads until the client goes, falls silent, or the send side ends (queue dropped, socket
    /// dead). The send side is only watched between messages, never while one is being handled, so
    /// a join's bookkeeping always completes and the leave path knows about it.
    async fn receive(
        &mut self,
        mut stream: futures::stream::SplitStream<WebSocket>,
        sender: &mut tokio::task::JoinHandle<()>,
    ) {
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout(IDLE_TIMEOUT, stream.next()) => next,
                _ = &mut *sender => return,
            };
            let msg = match next {
                Err(_) => return tracing::info!(peer = self.peer, "connection idle; dropping"),
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return,
                Ok(Some(Ok(msg))) => msg,
            };
            match msg {
                Message::Text(text) => self.on_text(text.as_str()).await,
                Message::Binary(_) => self.reply(ServerMsg::Error {
                    code: ErrorCode::BadMessage,
                    message: "messages are JSON text frames".into(),
                }),
                _ => {} // ping/pong: liveness only, already counted by the timeout
            }
        }
    }

    async fn on_text(&mut self, text: &str) {
        if text.len() > MAX_MESSAGE_BYTES {
            return self.reply(ServerMsg::error(ErrorCode::TooLarge));
        }
        let msg: ClientMsg = match serde_json::from_str(text) {
            Ok(msg) => msg,
            Err(e) => {
                let message = format!("not a valid message: {e}");
                return self.reply(ServerMsg::Error {
                    code: ErrorCode::BadMessage,
                    message,
                });
            }
        };
        match (&self.membership, msg) {
            (None, msg @ ClientMsg::Join { .. }) => self.join(msg).await,
            (None, _) => self.reply(ServerMsg::error(ErrorCode::NotJoined)),
            (Some(_), ClientMsg::Join { .. }) => {
                self.reply(ServerMsg::error(ErrorCode::AlreadyJoined))
            }
            (Some(m), msg) => self.state.hub.handle(&m.room_id, self.peer, msg),
        }
    }

    async fn join(&mut self, msg: ClientMsg) {
        let ClientMsg::Join { room, .. } = &msg else {
            return;
        };
        let row = match store::open_room(&self.state.pool, room).await {
            Ok(Some(row)) => row,
            Ok(None) => return self.reply(ServerMsg::error(ErrorCode::UnknownRoom)),
            Err(e) => {
                tracing::error!(error = %e, "room lookup failed");
                return self.reply(ServerMsg::error(ErrorCode::Internal));
            }
        };
        let spec = RoomSpec {
            id: row.id,
            name: row.name,
            teacher_key_hash: row.teacher_key_hash,
            capacity: self.state.config.room_capacity.into(),
            ice_servers: self.state.config.ice_servers.clone(),
        };
        let room_id = spec.id.clone();
        let tx = self
            .tx
            .take()
            .expect("not yet joined, so we hold the queue");
        match self.state.hub.join(spec, self.peer, msg, tx) {
            Joined::No(tx) => self.tx = Some(tx),
            Joined::Yes(info) => {
                tracing::info!(peer = self.peer, room = %room_id, role = ?info.role, "joined");
                let participation =
                    store::start_participation(&self.state.pool, &room_id, &info.name, info.role)
                        .await
                        .inspect_err(|e| tracing::error!(error = %e, "attendance not recorded"))
                        .ok();
                self.membership = Some(Membership {
                    room_id,
                    participation,
                });
            }
        }
    }

    /// The leave path: runs once, however the connection ended.
    async fn leave(&mut self) {
        let Some(m) = self.membership.take() else {
            return;
        };
        self.state.hub.leave(&m.room_id, self.peer);
        tracing::info!(peer = self.peer, room = %m.room_id, "left");
        if let Some(id) = m.participation {
            if let Err(e) = store::end_participation(&self.state.pool, id).await {
                tracing::error!(error = %e, "leave time not recorded");
            }
        }
    }

    /// Queues a reply to this connection only; dropped if its queue is full (it is not reading).
    fn reply(&self, msg: ServerMsg) {
        let tx = self.tx.clone().or_else(|| self.weak.upgrade());
        if let Some(tx) = tx {
            let _ = tx.try_send(msg);
        }
    }
}
