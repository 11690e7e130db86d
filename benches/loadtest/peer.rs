//! One simulated participant: joins, takes part in the negotiation burst, then sends addressed
//! `signal`s at a steady rate and times the ones it receives (a timestamp rides in the payload).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::time::{sleep_until, Instant};
use tokio_tungstenite::tungstenite::Message;

/// A client WebSocket.
pub type Ws = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// The timeline every peer follows, shared by all of them.
#[derive(Clone, Copy)]
pub struct Plan {
    /// Zero point of every timestamp in a payload (one process, so one clock).
    pub epoch: Instant,
    /// When the negotiation burst starts.
    pub burst: Instant,
    /// When the steady rate starts (messages stamped from here on are timed and counted).
    pub steady: Instant,
    /// When the peer stops.
    pub end: Instant,
    /// Time between two of this peer's signals (`None`: send nothing after the burst).
    pub period: Option<Duration>,
    /// The generator stops reading and writing for this window (a stalled client).
    pub stall: Option<(Instant, Instant)>,
}

/// What one peer saw.
#[derive(Default)]
pub struct Report {
    /// Its connection was still open at the end.
    pub held: bool,
    /// Steady-phase signals it sent and received.
    pub sent: u64,
    pub received: u64,
    /// All signals received, burst included.
    pub received_all: u64,
    /// Relay latency of steady signals in µs, sent and received outside the stall.
    pub latencies: Vec<u32>,
    /// Longest latency of a signal caught in the stall.
    pub stalled_max: u32,
    /// `error` messages by code, `peer_left` seen, and how the socket ended.
    pub errors: Vec<String>,
    pub peer_left: u64,
    pub closed: Option<String>,
}

fn now_us(plan: &Plan) -> u64 {
    plan.epoch.elapsed().as_micros() as u64
}

/// An SDP-sized description (~3 KB, like a browser's audio+video offer) stamped with `ts`.
fn description(to: u64, kind: &str, ts: u64) -> String {
    let lines =
        "a=rtpmap:111 opus/48000/2\\r\\na=fmtp:111 minptime=10;useinbandfec=1\\r\\n".repeat(40);
    format!(
        r#"{{"type":"signal","to":{to},"data":{{"kind":"description","sdp_type":"{kind}","sdp":"v=0\r\no=- ts={ts} 2 IN IP4 127.0.0.1\r\n{lines}"}}}}"#
    )
}

/// An unstamped offer to `to` (a newcomer's, sent before the timed phase's clock matters).
pub fn offer(to: u64) -> String {
    description(to, "offer", 0)
}

/// An ICE candidate (~200 B) stamped with `ts`.
fn candidate(to: u64, ts: u64) -> String {
    format!(
        r#"{{"type":"signal","to":{to},"data":{{"kind":"candidate","candidate":"candidate:842163049 1 udp 1677729535 192.0.2.1 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag x9Qs network-cost 999 ts={ts}","sdp_mid":"0","sdp_m_line_index":0}}}}"#
    )
}

/// The timestamp after `ts=` in a relayed payload.
fn stamp(text: &str) -> Option<u64> {
    stamp_after(text, "ts=")
}

/// The number right after the first `key` in `text`.
fn stamp_after(text: &str, key: &str) -> Option<u64> {
    let rest = &text[text.find(key)? + key.len()..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Runs one peer: `me` is its id, `mates` the others in its room, `n` its index (spreads sends).
pub async fn run(mut ws: Ws, me: u64, mates: Vec<u64>, n: usize, plan: Plan) -> Report {
    let mut r = Report::default();
    let in_stall = |t: Instant| plan.stall.is_some_and(|(a, b)| t >= a && t < b);
    let stall_at = plan.stall.map(|(a, _)| a);
    let mut burst_done = false;
    let mut next_send = plan
        .period
        .map(|p| plan.steady + p.mul_f64((n % 1000) as f64 / 1000.0));
    let mut target = n;
    loop {
        if let Some((_, until)) = plan.stall.filter(|_| in_stall(Instant::now())) {
            sleep_until(until).await;
            // Sends missed while stalled are skipped, not caught up.
            if let (Some(next), Some(p)) = (&mut next_send, plan.period) {
                while *next < until {
                    *next += p;
                }
            }
        }
        let send_at = next_send.unwrap_or(plan.end);
        tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(t))) => {
                    let t = t.as_str();
                    if t.starts_with(r#"{"type":"signal""#) {
                        r.received_all += 1;
                        if t.contains(r#""sdp_type":"offer""#) {
                            let from = stamp_after(t, r#""from":"#).unwrap_or(0);
                            let ts = now_us(&plan);
                            let _ = ws.feed(Message::text(description(from, "answer", ts))).await;
                            for _ in 0..2 {
                                let _ = ws.feed(Message::text(candidate(from, ts))).await;
                            }
                            let _ = ws.flush().await;
                        }
                        if let Some(ts) = stamp(t) {
                            let sent = plan.epoch + Duration::from_micros(ts);
                            if sent >= plan.steady {
                                r.received += 1;
                                let lat = (now_us(&plan).saturating_sub(ts)) as u32;
                                let near_stall = plan.stall.is_some_and(|(a, b)| {
                                    sent >= a - Duration::from_secs(1) && sent < b + Duration::from_secs(1)
                                });
                                if near_stall || in_stall(Instant::now()) {
                                    r.stalled_max = r.stalled_max.max(lat);
                                } else {
                                    r.latencies.push(lat);
                                }
                            }
                        }
                    } else if t.starts_with(r#"{"type":"peer_left""#) {
                        r.peer_left += 1;
                    } else if t.starts_with(r#"{"type":"error""#) {
                        let code = t.split(r#""code":""#).nth(1).and_then(|c| c.split('"').next());
                        r.errors.push(code.unwrap_or("?").to_string());
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    r.closed = Some(frame.map_or("close".into(), |f| format!("close {} {}", u16::from(f.code), f.reason)));
                    return r;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    r.closed = Some(format!("error: {e}"));
                    return r;
                }
                None => {
                    r.closed = Some("eof".into());
                    return r;
                }
            },
            _ = sleep_until(plan.burst), if !burst_done => {
                burst_done = true;
                // Like a newcomer, each peer offers to the mates with a larger id; they answer.
                let ts = now_us(&plan);
                for &to in mates.iter().filter(|&&m| m > me) {
                    let _ = ws.feed(Message::text(description(to, "offer", ts))).await;
                    for _ in 0..4 {
                        let _ = ws.feed(Message::text(candidate(to, ts))).await;
                    }
                }
                let _ = ws.flush().await;
            }
            _ = sleep_until(send_at), if next_send.is_some() && !mates.is_empty() => {
                let to = mates[target % mates.len()];
                target += 1;
                r.sent += 1;
                if let Err(e) = ws.send(Message::text(candidate(to, now_us(&plan)))).await {
                    r.closed = Some(format!("send error: {e}"));
                    return r;
                }
                next_send = Some(send_at + plan.period.unwrap_or_default());
            }
            _ = sleep_until(stall_at.unwrap_or(plan.end)), if stall_at.is_some_and(|a| Instant::now() < a) => {}
            _ = sleep_until(plan.end) => break,
        }
    }
    r.held = true;
    r
}
