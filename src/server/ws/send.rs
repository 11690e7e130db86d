//! The writing side of a signaling connection: a batch from the outbound queue (pings included),
//! written with one flush.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::SinkExt;
use std::time::Duration;
use tokio::time::timeout;

use crate::protocol::{close, ServerMsg};
use crate::server::hub::queue::{Outbound, Rx};
use crate::server::metrics;

/// Most queued messages written before one flush: enough to turn a burst (a join's offers and
/// candidates) into a few writes, few enough that reading is not held back long.
const BATCH: usize = 32;

/// How a batch went.
pub(super) enum Written {
    /// Written and flushed.
    All,
    /// Written, and the last message was `ended`: the connection closes with this frame.
    LastWords(CloseFrame),
    /// The write failed, or took longer than the write timeout (the client stopped reading and
    /// its TCP window is full).
    Failed,
}

/// Writes `first` and whatever else is queued already (up to [`BATCH`]) with one flush: one write
/// per wake-up instead of one per message.
pub(super) async fn write_batch(
    socket: &mut WebSocket,
    first: Outbound,
    rx: &mut Rx,
    write_timeout: Duration,
) -> Written {
    let mut last_words = None;
    let written = timeout(write_timeout, async {
        let mut next = Some(first);
        for _ in 0..BATCH {
            let Some(out) = next.take() else { break };
            if let Some(frame) = encode(out, &mut last_words) {
                socket.feed(frame).await?;
            }
            if last_words.is_some() {
                break;
            }
            next = rx.try_next().ok();
        }
        socket.flush().await
    });
    match written.await {
        Ok(Ok(())) => last_words.map_or(Written::All, Written::LastWords),
        Ok(Err(_)) => Written::Failed,
        Err(_) => {
            metrics::dropped_connection("write_timeout");
            Written::Failed
        }
    }
}

/// Writes out what the socket holds — the pong tungstenite queued for a client's ping — within
/// `write_timeout`, as any write. `false` if it failed or timed out.
pub(super) async fn flush(socket: &mut WebSocket, write_timeout: Duration) -> bool {
    match timeout(write_timeout, socket.flush()).await {
        Ok(Ok(())) => true,
        Ok(Err(_)) => false,
        Err(_) => {
            metrics::dropped_connection("write_timeout");
            false
        }
    }
}

/// One queued item as a frame (`None` if it cannot be serialized). After `ended` the
/// connection closes with the reason: `last_words` is set.
fn encode(out: Outbound, last_words: &mut Option<CloseFrame>) -> Option<Message> {
    let msg = match out {
        Outbound::Msg(msg) => msg,
        Outbound::Ping => return Some(Message::Ping(Default::default())),
    };
    if let ServerMsg::Ended { reason, .. } = &*msg {
        // A teacher ended this stay: say so, then close with the reason.
        let reason = reason.close_text().into();
        *last_words = Some(CloseFrame {
            code: close::NORMAL,
            reason,
        });
    }
    let text = serde_json::to_string(&msg).ok()?;
    metrics::sent(text.len());
    Some(Message::Text(text.into()))
}
