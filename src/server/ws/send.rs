//! The writing half of a signaling connection: the outbound queue, pings, and the goodbye.

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::stream::SplitSink;
use futures::SinkExt;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

use tokio::time::timeout;

use crate::protocol::{close, ServerMsg};
use crate::server::metrics;

/// How often the send side pings, and the longest one write may take (a longer one means the
/// client stopped reading and its TCP window is full).
pub(super) struct Timing {
    pub ping: Duration,
    pub write: Duration,
}

/// Writes the outbound queue and pings. Returns whether it sent a close frame.
pub(super) async fn send_loop(
    mut sink: SplitSink<WebSocket, Message>,
    mut rx: mpsc::Receiver<ServerMsg>,
    mut close_rx: oneshot::Receiver<CloseFrame>,
    timing: Timing,
) -> bool {
    let Timing {
        ping: ping_every,
        write: write_timeout,
    } = timing;
    let mut ping = tokio::time::interval(ping_every);
    // After a slow write, ping once rather than in a burst for every missed tick.
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
            msg = rx.recv() => {
                if let Some(ServerMsg::Ended { reason, .. }) = &msg {
                    // A teacher ended this stay: say so, then close with the reason.
                    let reason = reason.close_text().into();
                    last_words = Some(CloseFrame { code: close::NORMAL, reason });
                }
                match msg.map(|m| serde_json::to_string(&m)) {
                    Some(Ok(text)) => {
                        metrics::sent(text.len());
                        Message::Text(text.into())
                    }
                    Some(Err(_)) => continue,
                    // The hub let go of us: the peer left or could not keep up.
                    None => break CloseFrame { code: close::NORMAL, reason: "left the room".into() },
                }
            }
            _ = ping.tick() => Message::Ping(Default::default()),
        };
        match timeout(write_timeout, sink.send(frame)).await {
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
