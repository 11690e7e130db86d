//! Signaling server figures for docs/BENCHMARKS.md: memory per idle WebSocket, and the CPU cost of
//! relaying a message with the per-connection budget in place. Runs the real release binary.
//!
//! `cargo bench --features ssr --bench signaling` (env: `BENCH_CONNECTIONS`, default 1000).

#[path = "common/procfs.rs"]
mod procfs;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(read_buffer: usize) -> Server {
        let dir = tempfile::TempDir::new().unwrap();
        let db = format!("sqlite://{}", dir.path().join("b.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
            .args([
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &db,
                "--room-capacity",
                "50",
            ])
            .args(["--join-timeout", "600", "--max-connections", "15000"])
            .args([
                "--max-connections-per-ip",
                "15000",
                "--rooms-per-minute",
                "100000",
            ])
            .env("CLASSROOM_WS_READ_BUFFER", read_buffer.to_string())
            .env("RUST_LOG", "warn,classroom=info")
            .env("LEPTOS_OUTPUT_NAME", "classroom")
            .stdout(Stdio::piped())
            .spawn()
            .expect("server binary");
        let out = BufReader::new(child.stdout.take().unwrap());
        let mut addr = String::new();
        for line in out.lines().map_while(Result::ok) {
            if let Some(a) = line.split("running at http://").nth(1) {
                addr = a.trim().to_string();
                break;
            }
        }
        Server {
            child,
            addr,
            _dir: dir,
        }
    }

    /// (resident KiB, CPU seconds used so far) of the server process.
    fn usage(&self) -> (u64, f64) {
        let pid = self.child.id().to_string();
        (
            procfs::rss_kib(&pid),
            procfs::cpu_secs(&format!("/proc/{pid}")),
        )
    }

    async fn connect(&self) -> Ws {
        tokio_tungstenite::connect_async(format!("ws://{}/ws", self.addr))
            .await
            .unwrap()
            .0
    }

    /// A new room: its id and the teacher key (everyone in the benchmarks joins as a teacher, so
    /// nobody waits to be admitted).
    async fn create_room(&self) -> (String, String) {
        let client = tokio::net::TcpStream::connect(&self.addr).await.unwrap();
        let body = r#"{"name":"Bench"}"#;
        let req = format!(
            "POST /api/rooms HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut client = client;
        client.write_all(req.as_bytes()).await.unwrap();
        let mut raw = String::new();
        client.read_to_string(&mut raw).await.unwrap();
        let json: serde_json::Value =
            serde_json::from_str(raw.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        let link = json["teacher_link"].as_str().unwrap();
        let key = link.split("#teacher=").nth(1).unwrap().to_string();
        (json["id"].as_str().unwrap().to_string(), key)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn join(ws: &mut Ws, (room, key): &(String, String), name: &str) -> u64 {
    let join =
        format!(r#"{{"type":"join","room":"{room}","name":"{name}","teacher_key":"{key}"}}"#);
    ws.send(Message::text(join)).await.unwrap();
    loop {
        if let Some(Ok(Message::Text(t))) = ws.next().await {
            let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
            if v["type"] == "joined" {
                return v["you"].as_u64().unwrap();
            }
        }
    }
}

/// KiB of server memory per idle connection: not joined, and joined in pairs.
async fn idle_memory(read_buffer: usize, n: usize) {
    let srv = Server::start(read_buffer);
    let _warm = srv.connect().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (base, _) = srv.usage();
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        sockets.push(srv.connect().await);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (open, _) = srv.usage();
    let mut room = (String::new(), String::new());
    for (i, ws) in sockets.iter_mut().enumerate() {
        if i % 2 == 0 {
            room = srv.create_room().await;
        }
        join(ws, &room, "P").await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (joined, _) = srv.usage();
    println!(
        "read buffer {:>6} B: {n} idle sockets: {:.1} KiB each (not joined), {:.1} KiB each (joined in pairs)",
        read_buffer,
        (open - base) as f64 / n as f64,
        (joined - base) as f64 / n as f64
    );
}

/// Server CPU per relayed signal: `pairs` pairs, each sender within its burst budget.
async fn relay_cost(read_buffer: usize, pairs: usize, per_sender: usize) {
    let srv = Server::start(read_buffer);
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for _ in 0..pairs {
        let room = srv.create_room().await;
        let mut a = srv.connect().await;
        let mut b = srv.connect().await;
        join(&mut a, &room, "A").await;
        let b_id = join(&mut b, &room, "B").await;
        senders.push((a, b_id));
        receivers.push(b);
    }
    let offer = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n".repeat(40); // ~1.3 KB, like a small SDP
    let (_, cpu0) = srv.usage();
    let start = Instant::now();
    let readers: Vec<_> = receivers
        .into_iter()
        .map(|mut b| {
            tokio::spawn(async move {
                let mut got = 0;
                while got < per_sender {
                    match b.next().await {
                        Some(Ok(Message::Text(t))) if t.as_str().contains("\"signal\"") => got += 1,
                        Some(Ok(_)) => {}
                        _ => break,
                    }
                }
                got
            })
        })
        .collect();
    for (a, to) in senders.iter_mut() {
        let msg = format!(
            r#"{{"type":"signal","to":{to},"data":{{"kind":"description","sdp_type":"offer","sdp":"{offer}"}}}}"#
        );
        for _ in 0..per_sender {
            a.feed(Message::text(msg.clone())).await.unwrap();
        }
        a.flush().await.unwrap();
    }
    let mut delivered = 0;
    for r in readers {
        delivered += r.await.unwrap();
    }
    let elapsed = start.elapsed();
    let (_, cpu1) = srv.usage();
    println!(
        "read buffer {:>6} B: relay of {delivered} signals of {} B in {:.2} s wall, server CPU {:.1} µs per message",
        read_buffer,
        offer.len() + 80,
        elapsed.as_secs_f64(),
        (cpu1 - cpu0) * 1e6 / delivered as f64
    );
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    idle_memory(128 * 1024, n).await;
    idle_memory(8 * 1024, n).await;
    relay_cost(128 * 1024, 50, 400).await;
    relay_cost(8 * 1024, 50, 400).await;
}
