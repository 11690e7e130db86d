//! The writing half of a signaling connection: the outbound queue (pings included), and the goodbye.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::stream::SplitSink;
use futures::SinkExt;
use std::time::Duration;
use tokio::sync::oneshot;

use tokio::time::timeout;

use crate::protocol::{close, ServerMsg};
use crate::server::hub::queue::{Outbound, Rx};
use crate::server::metrics;

/// Most queued messages written before one flush: enough to turn a burst (a join's offers and
/// candidates) into a few writes, few enough that the first of them is not held back long.
const BATCH: usize = 32;

/// Writes the outbound queue, pings included, each write taking at most `write_timeout` (a longer
/// one means the client stopped reading and its TCP window is full). Returns whether it sent a
/// close frame.
pub(super) async fn send_loop(
    mut sink: SplitSink<WebSocket, Message>,
    mut rx: Rx,
    mut close_rx: oneshot::Receiver<CloseFrame>,
    write_timeout: Duration,
) -> bool {
    let mut last_words = None;
    let close = loop {
        if let Some(frame) = last_words.take() {
            break frame;
        }
        let frame = tokio::select! {
            // A close decided by the receive side wins over the queue ending (which follows it).
            biased;
            close = &mut close_rx => match close {
                Ok(frame) => break frame,
                Err(_) => return false,
            },
            msg = rx.recv() => match msg {
                Some(msg) => match encode(msg, &mut last_words) {
                    Some(frame) => frame,
                    None => continue,
                },
                // The hub let go of us: the peer left or could not keep up.
                None => break CloseFrame { code: close::NORMAL, reason: "left the room".into() },
            },
        };
        // This frame and whatever else is queued already go out with one flush: one write per
        // wake-up instead of one per message.
        let written = timeout(write_timeout, async {
            sink.feed(frame).await?;
            for _ in 1..BATCH {
                if last_words.is_some() {
                    break;
                }
                let Ok(msg) = rx.try_next() else { break };
                if let Some(frame) = encode(msg, &mut last_words) {
                    sink.feed(frame).await?;
                }
            }
            sink.flush().await
        });
        match written.await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return false,
            Err(_) => {
                metrics::dropped_connection("write_timeout");
                return false;
            }
        }
    };
    matches!(
        timeout(write_timeout, sink.send(Message::Close(Some(close)))).await,
        Ok(Ok(()))
    )
}

/// One queued item as a frame (`None` if it cannot be serialized). After `ended` the
/// connection closes with the reason: `last_words` is set.
fn encode(out: Outbound, last_words: &mut Option<CloseFrame>) -> Option<Message> {
    let msg = match out {
        Outbound::Msg(msg) => msg,
        Outbound::Ping => return Some(Message::Ping(Default::default())),
    };
    if let ServerMsg::Ended { reason, .. } = &msg {
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
