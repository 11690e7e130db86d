//! Churn: while the rooms run, extra students keep joining and leaving (a leave message, a closed
//! tab, a connection that just drops and so keeps its place for the resume grace). A leak in any
//! of those paths shows as memory, file descriptors or threads that grow with the joins.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::time::{sleep, sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
use tokio_tungstenite::tungstenite::Message;

use crate::server::Server;

/// A room the churners come into: its id and its teacher's peer id (they offer to the teacher).
#[derive(Clone)]
pub struct Room {
    pub id: String,
    pub teacher: u64,
}

/// How one churner's stay ended.
pub type Outcome = Result<(), String>;

/// Begins stays at a steady rate and counts how they end.
#[derive(Clone)]
pub struct Churner(Arc<Inner>);

struct Inner {
    addr: String,
    rooms: Vec<Room>,
    ips: usize,
    hold_ms: u64,
    started: AtomicUsize,
    done: AtomicUsize,
    failed: Mutex<Vec<String>>,
}

impl Churner {
    /// Churn into `rooms` on the server at `addr`, from `ips` source addresses.
    pub fn new(addr: String, rooms: Vec<Room>, ips: usize, hold_ms: u64) -> Churner {
        Churner(Arc::new(Inner {
            addr,
            rooms,
            ips,
            hold_ms: hold_ms.max(2),
            started: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            failed: Mutex::new(Vec::new()),
        }))
    }

    /// Begins `rate` stays a second from `from` to `until`, round-robin over the rooms, then
    /// waits for the last ones to end.
    pub async fn drive(self, from: Instant, until: Instant, rate: f64) {
        let period = Duration::from_secs_f64(1.0 / rate);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0.. {
            let at = from + period * i as u32;
            if at >= until || self.0.rooms.is_empty() {
                break;
            }
            sleep_until(at).await;
            let me = self.clone();
            let room = self.0.rooms[i % self.0.rooms.len()].clone();
            // Stays of half to one and a half times the hold, spread by index.
            let hold =
                Duration::from_millis(self.0.hold_ms / 2 + (i as u64 * 7919) % self.0.hold_ms);
            let ip = 1 + (i % self.0.ips) as u8;
            self.0.started.fetch_add(1, Ordering::Relaxed);
            tasks.spawn(async move {
                match stay(me.0.addr.clone(), ip, room, i, hold).await {
                    Ok(()) => me.0.done.fetch_add(1, Ordering::Relaxed),
                    Err(e) => {
                        me.0.failed.lock().unwrap().push(e);
                        0
                    }
                };
            });
            while tasks.try_join_next().is_some() {}
        }
        while tasks.join_next().await.is_some() {}
    }

    /// The server's reading now, with the counts so far; `since` is the time zero.
    pub fn sample(&self, srv: &Server, since: Instant) -> Sample {
        let failed = self.0.failed.lock().unwrap().len();
        Sample::take(
            srv,
            since.elapsed(),
            self.0.started.load(Ordering::Relaxed),
            self.0.done.load(Ordering::Relaxed),
            failed,
        )
    }

    /// Why the failed stays failed.
    pub fn failures(&self) -> Vec<String> {
        self.0.failed.lock().unwrap().clone()
    }
}

/// One stay: connect, join as a student, offer to the teacher, stay `hold`, then leave the way
/// `n` picks (one in three of each).
pub async fn stay(addr: String, ip: u8, room: Room, n: usize, hold: Duration) -> Outcome {
    let mut ws = crate::connect(&addr, ip)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    crate::join(&mut ws, &room.id, None, &format!("C{n}"))
        .await
        .map_err(|e| format!("join: {e}"))?;
    let offer = crate::peer::offer(room.teacher);
    ws.send(Message::text(offer))
        .await
        .map_err(|e| format!("send: {e}"))?;
    // Read what the room says meanwhile (pings included), as a browser does.
    let until = Instant::now() + hold;
    loop {
        tokio::select! {
            frame = ws.next() => match frame {
                Some(Ok(Message::Close(_))) | None => return Err("closed by the server".into()),
                Some(Err(e)) => return Err(format!("read: {e}")),
                Some(Ok(_)) => {}
            },
            _ = sleep_until(until) => break,
        }
    }
    match n % 3 {
        0 => {
            let _ = ws.send(Message::text(r#"{"type":"leave"}"#)).await;
            let _ = ws.close(None).await;
        }
        1 => {
            let frame = CloseFrame {
                code: CloseCode::Away,
                reason: "".into(),
            };
            let _ = ws.close(Some(frame)).await;
        }
        // A lost network: no goodbye; the server keeps the place for the resume grace.
        _ => return Ok(()),
    }
    // Wait for the server's side of the close so its socket is really gone.
    let _ = timeout(Duration::from_secs(5), async {
        while ws.next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// One reading of the server while it churns.
pub struct Sample {
    pub at: Duration,
    pub started: usize,
    pub done: usize,
    pub failed: usize,
    pub rss_kib: u64,
    pub fds: usize,
    pub threads: usize,
    pub cpu_secs: f64,
}

impl Sample {
    /// Reads the server now.
    pub fn take(srv: &Server, at: Duration, started: usize, done: usize, failed: usize) -> Sample {
        let (rss_kib, cpu_secs) = srv.usage();
        let (fds, threads) = srv.handles();
        Sample {
            at,
            started,
            done,
            failed,
            rss_kib,
            fds,
            threads,
            cpu_secs,
        }
    }

    /// A row of the churn table; `prev` gives the CPU share since the previous row.
    pub fn row(&self, prev: Option<&Sample>) -> String {
        let cpu = prev.map_or(0.0, |p| {
            (self.cpu_secs - p.cpu_secs) * 100.0 / (self.at - p.at).as_secs_f64().max(1e-3)
        });
        format!(
            "| {:>5.0} s | {:>7} | {:>7} | {:>5} | {:>8.1} MiB | {:>6} | {:>3} | {:>5.1} % |",
            self.at.as_secs_f64(),
            self.started,
            self.done,
            self.failed,
            self.rss_kib as f64 / 1024.0,
            self.fds,
            self.threads,
            cpu
        )
    }
}

/// Header of the churn table.
pub const HEADER: &str =
    "| time | stays begun | ended | failed | server RSS | fds | threads | CPU |";

/// Waits out the resume grace of the last dropped connections, so a settled reading follows.
pub async fn settle(grace: Duration) {
    sleep(grace + Duration::from_secs(3)).await;
}
