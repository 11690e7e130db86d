//! The reading side of a signaling connection: frames in, budget charged, messages to the
//! session; and why the connection ended.

use axum::extract::ws::{Message, WebSocket};
use futures::stream::SplitStream;
use futures::StreamExt;
use tokio::time::{sleep_until, Instant};

use super::session;
use crate::protocol::{close, ErrorCode, ServerMsg};
use crate::server::budget::{Budget, Verdict};
use crate::server::metrics;

/// How a connection ended, and what to tell the client.
pub(super) enum Ending {
    /// The client closed, vanished or its socket failed: nothing left to say.
    Gone,
    /// The client closed with 1001 (going away): the browser closed the page.
    PageGone,
    /// The send task said goodbye itself (after `ended`, or the hub let go of the connection).
    SentClose,
    /// The server ends it: close code, reason, and the metric label.
    Close(u16, &'static str, &'static str),
}

/// Reads until the client goes, falls silent, breaks the rules, or the send side ends. The send side
/// is only watched between messages, never while one is being handled, so a join's bookkeeping
/// always completes and the leave path knows about it.
pub(super) async fn receive(
    conn: &mut session::Session,
    stream: &mut SplitStream<WebSocket>,
    sender: &mut tokio::task::JoinHandle<bool>,
) -> Ending {
    let join_deadline = Instant::now() + conn.state.config.join_timeout();
    let shutdown = conn.state.shutdown.clone();
    // Pings (`--ws-ping-secs`, 5 s) and the silence after which a connection is lost
    // (`--ws-idle-secs`, 15 s, also the longest a write may take) come from the config: a client
    // that stalls for ten seconds — a busy laptop, a paused load generator — keeps its connection,
    // and a dead one is still found within 15 s (its member then keeps its place for the resume
    // grace). Only a connection quiet for a whole ping interval is pinged: a client that speaks
    // proves itself alive, and a ping and its pong cost as much as relaying a message (issue 11).
    let idle = conn.state.config.ws_idle();
    let ping = conn.state.config.ws_ping().min(idle);
    let mut budget = Budget::new();
    // One timer for the connection's life, moved only when it fires: re-arming a timeout for
    // every frame read costs a timer-wheel update per message. It fires a ping interval after the
    // client was last heard (never later than the idle limit): then it pings, or finds the
    // connection lost.
    let mut heard = Instant::now();
    let silence = sleep_until(heard + ping);
    tokio::pin!(silence);
    loop {
        let next = tokio::select! {
            next = stream.next() => {
                heard = Instant::now();
                Ok(next)
            }
            _ = &mut silence => {
                let now = Instant::now();
                if now >= heard + idle {
                    Err(())
                } else {
                    let next = if now >= heard + ping {
                        conn.ping();
                        now + ping
                    } else {
                        heard + ping
                    };
                    silence.as_mut().reset(next.min(heard + idle));
                    continue;
                }
            }
            sent = &mut *sender => {
                return if sent.unwrap_or(false) { Ending::SentClose } else { Ending::Gone };
            }
            _ = sleep_until(join_deadline), if !conn.is_joined() => {
                return Ending::Close(close::POLICY, "no join in time", "join_timeout");
            }
            _ = shutdown.wait() => {
                return Ending::Close(close::RESTARTING, "server restarting", "shutdown");
            }
        };
        let msg = match next {
            Err(()) => {
                metrics::dropped_connection("idle");
                conn.state.silence.note_drop(idle);
                return Ending::Gone;
            }
            Ok(Some(Ok(Message::Close(Some(frame))))) if frame.code == close::GOING_AWAY => {
                return Ending::PageGone
            }
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return Ending::Gone,
            Ok(Some(Err(e))) => return read_error(e),
            Ok(Some(Ok(msg))) => msg,
        };
        // Pings and pongs are paid for like messages: a browser only answers our pings (at most one
        // per ping interval) and never sends its own, so only a flood feels it — and a flood of
        // pings costs the server as much as one of messages, each answered with a pong.
        let (len, control) = match &msg {
            Message::Text(text) => (text.len(), false),
            Message::Binary(data) => (data.len(), false),
            Message::Ping(data) | Message::Pong(data) => (data.len(), true),
            Message::Close(_) => continue, // handled above
        };
        if !control {
            metrics::received(len);
        }
        match budget.charge(len) {
            Verdict::Admit if control => continue,
            Verdict::Admit => {}
            Verdict::Refuse => {
                metrics::rate_limited();
                // A control frame over budget gets no error (tungstenite has already queued its
                // pong): an error for each
                // would turn a flood of pings into a flood of replies.
                if !control {
                    conn.reply(ServerMsg::error(ErrorCode::RateLimited));
                }
                continue;
            }
            Verdict::Close => {
                return Ending::Close(close::POLICY, "rate limit exceeded", "rate_limit")
            }
        }
        match msg {
            Message::Text(text) => conn.on_text(text.as_str()).await,
            _ => conn.reply(ServerMsg::Error {
                code: ErrorCode::BadMessage,
                message: "messages are JSON text frames".into(),
            }),
        }
    }
}

/// A frame the transport could not read: say why when the protocol has a code for it.
fn read_error(e: axum::Error) -> Ending {
    match e.into_inner().downcast::<tungstenite::Error>().map(|e| *e) {
        Ok(tungstenite::Error::Utf8(_)) => Ending::Close(
            close::INVALID_DATA,
            "text frames must be UTF-8",
            "bad_frame",
        ),
        Ok(tungstenite::Error::Capacity(_)) => {
            Ending::Close(close::TOO_BIG, "frame larger than 1 MiB", "bad_frame")
        }
        _ => Ending::Gone,
    }
}
