//! The connection's loop: frames in (budget charged, messages to the session), the outbound queue
//! out, pings and silence; and why the connection ended.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::{FutureExt, StreamExt};
use tokio::time::{sleep_until, Instant};

use super::send::{flush, write_batch, Written};
use super::{session, Link};
use crate::protocol::{close, ErrorCode, ServerMsg};
use crate::server::budget::{Budget, Verdict};
use crate::server::metrics;

/// How a connection ended, and what to tell the client.
pub(super) enum Ending {
    /// The client closed, vanished or its socket failed: nothing left to say.
    Gone,
    /// The client closed with 1001 (going away): the browser closed the page.
    PageGone,
    /// The client closed with another code: its close is answered, then the socket dropped.
    Closed,
    /// The hub let go of the connection (the member left, was sent off or could not keep up): the
    /// queue is written out, and this close frame ends it.
    Released(CloseFrame),
    /// The server ends it: close code, reason, and the metric label.
    Close(u16, &'static str, &'static str),
}

/// Serves the connection until the client goes, falls silent, breaks the rules, or the hub lets it
/// go. A message is handled to the end before anything else happens, so a join's bookkeeping
/// always completes and the leave path knows about it; while it is, writes wait (the queue holds
/// them), and while a batch is written, reads wait (the socket buffers them).
pub(super) async fn serve(conn: &mut session::Session, link: &mut Link) -> Ending {
    let join_deadline = Instant::now() + conn.state.config.join_timeout();
    // Pings (`--ws-ping-secs`, 5 s) and the silence after which a connection is lost
    // (`--ws-idle-secs`, 15 s, also the longest a write may take) come from the config: a client
    // that stalls for ten seconds — a busy laptop, a paused load generator — keeps its connection,
    // and a dead one is still found within 15 s (its member then keeps its place for the resume
    // grace). Only a connection quiet for a whole ping interval is pinged: a client that speaks
    // proves itself alive, and a ping and its pong cost as much as relaying a message (issue 11).
    // (Read from the config where used rather than kept: this future lives as long as the
    // connection, and every byte kept across its awaits is kept per connection.)
    let mut budget = Budget::new();
    // One timer for the connection's life, moved only when it fires: re-arming a timeout for
    // every frame read costs a timer-wheel update per message. It fires a ping interval after the
    // client was last heard (never later than the idle limit): then it pings, or finds the
    // connection lost.
    let mut heard = Instant::now();
    let silence = sleep_until(heard + timing(conn).1);
    tokio::pin!(silence);
    loop {
        let next = tokio::select! {
            next = link.socket.next() => {
                heard = Instant::now();
                next
            }
            out = link.rx.recv() => {
                let Some(out) = out else {
                    // The hub let go of us: the peer left or could not keep up.
                    return Ending::Released(CloseFrame {
                        code: close::NORMAL,
                        reason: "left the room".into(),
                    });
                };
                let write_timeout = conn.state.config.ws_idle();
                match write_batch(&mut link.socket, out, &mut link.rx, write_timeout).await {
                    Written::All => continue,
                    Written::LastWords(frame) => return Ending::Released(frame),
                    Written::Failed => return Ending::Gone,
                }
            }
            _ = &mut silence => {
                let now = Instant::now();
                let (idle, ping) = timing(conn);
                if now >= heard + idle {
                    // Frames may have waited in the socket while a long batch was written (reads
                    // wait then): what is there counts before the connection is called silent.
                    if let Some(next) = link.socket.next().now_or_never() {
                        heard = now;
                        silence.as_mut().reset(now + ping);
                        next
                    } else {
                        metrics::dropped_connection("idle");
                        conn.state.silence.note_drop(idle);
                        return Ending::Gone;
                    }
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
            _ = sleep_until(join_deadline), if !conn.is_joined() => {
                return Ending::Close(close::POLICY, "no join in time", "join_timeout");
            }
            _ = conn.state.shutdown.wait() => {
                return Ending::Close(close::RESTARTING, "server restarting", "shutdown");
            }
        };
        let msg = match next {
            Some(Ok(Message::Close(Some(frame)))) if frame.code == close::GOING_AWAY => {
                return Ending::PageGone
            }
            Some(Ok(Message::Close(_))) => return Ending::Closed,
            None => return Ending::Gone,
            Some(Err(e)) => return read_error(e),
            Some(Ok(msg)) => msg,
        };
        if let Some(ending) = on_frame(conn, &mut budget, msg, &mut link.socket).await {
            return ending;
        }
    }
}

/// The silence after which a connection is lost, and the one after which it is pinged.
fn timing(conn: &session::Session) -> (std::time::Duration, std::time::Duration) {
    let idle = conn.state.config.ws_idle();
    (idle, conn.state.config.ws_ping().min(idle))
}

/// One frame from the client: charged to its budget, then handled.
async fn on_frame(
    conn: &mut session::Session,
    budget: &mut Budget,
    msg: Message,
    socket: &mut WebSocket,
) -> Option<Ending> {
    // Pings and pongs are paid for like messages: a browser only answers our pings (at most one
    // per ping interval) and never sends its own, so only a flood feels it — and a flood of
    // pings costs the server as much as one of messages, each answered with a pong.
    let (len, control) = match &msg {
        Message::Text(text) => (text.len(), false),
        Message::Binary(data) => (data.len(), false),
        Message::Ping(data) | Message::Pong(data) => (data.len(), true),
        Message::Close(_) => return None, // handled by the caller
    };
    if !control {
        metrics::received(len);
    }
    let verdict = budget.charge(len);
    if control && verdict != Verdict::Close {
        if verdict == Verdict::Refuse {
            // No error for a control frame (tungstenite has already queued its pong): an error
            // for each would turn a flood of pings into a flood of replies.
            metrics::rate_limited();
        }
        // A client that pings is heard, so silence never ends it; if it stops reading, only the
        // write of its pongs can tell. (Boxed: browsers never ping, and the connection's future
        // would keep room for this write's timer for good.)
        if matches!(msg, Message::Ping(_))
            && !Box::pin(flush(socket, conn.state.config.ws_idle())).await
        {
            return Some(Ending::Gone);
        }
        return None;
    }
    match verdict {
        Verdict::Admit => {}
        Verdict::Refuse => {
            metrics::rate_limited();
            conn.reply(ServerMsg::error(ErrorCode::RateLimited));
            return None;
        }
        Verdict::Close => {
            return Some(Ending::Close(
                close::POLICY,
                "rate limit exceeded",
                "rate_limit",
            ))
        }
    }
    match msg {
        Message::Text(text) => {
            conn.on_text(text.as_str()).await;
            if conn.refused_too_often() {
                return Some(Ending::Close(
                    close::POLICY,
                    "too many refused joins",
                    "refused_joins",
                ));
            }
        }
        _ => conn.reply(ServerMsg::Error {
            code: ErrorCode::BadMessage,
            message: "messages are JSON text frames".into(),
        }),
    }
    None
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
