//! The server under load: the release binary started with limits wide enough for the run, or one
//! already running (`BENCH_ADDR` + `BENCH_PID`), and its resident memory and CPU from `/proc`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The server process the load runs against.
pub struct Server {
    child: Option<Child>,
    pid: u32,
    /// `host:port` of its HTTP listener.
    pub addr: String,
    /// Lines it logged at `WARN` or `ERROR` so far (its log is read on a thread: a pipe nobody
    /// reads would block the server once 64 KiB are in it).
    pub warnings: Arc<AtomicUsize>,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts `BENCH_SERVER` (default: this crate's release binary) with room for `peers`
    /// connections and rooms of `capacity`, plus the flags in `BENCH_SERVER_ARGS`; or attaches to
    /// `BENCH_ADDR`/`BENCH_PID`.
    pub fn start(peers: usize, capacity: usize) -> Server {
        if let (Ok(addr), Ok(pid)) = (std::env::var("BENCH_ADDR"), std::env::var("BENCH_PID")) {
            let pid = pid.parse().expect("BENCH_PID is a number");
            let warnings = Arc::new(AtomicUsize::new(0));
            return Server {
                child: None,
                pid,
                addr,
                warnings,
                _dir: None,
            };
        }
        let bin = std::env::var("BENCH_SERVER").unwrap_or(env!("CARGO_BIN_EXE_classroom").into());
        let dir = tempfile::TempDir::new().unwrap();
        let db = format!("sqlite://{}", dir.path().join("load.db").display());
        let cap = (peers + 1000).to_string();
        let extra = std::env::var("BENCH_SERVER_ARGS").unwrap_or_default();
        let mut child = Command::new(&bin)
            .args(["--bind", "127.0.0.1:0", "--database-url", &db])
            .args(["--room-capacity", &capacity.max(2).to_string()])
            .args(["--join-timeout", "600", "--max-connections", &cap])
            .args([
                "--max-connections-per-ip",
                &cap,
                "--rooms-per-minute",
                "1000000",
            ])
            .args(extra.split_whitespace())
            .env("RUST_LOG", "warn,classroom=info")
            .env("LEPTOS_OUTPUT_NAME", "classroom")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {bin}: {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| Some(l.split("running at http://").nth(1)?.trim().to_string()))
            .expect("the server says where it listens");
        let warnings = Arc::new(AtomicUsize::new(0));
        let seen = warnings.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let loud = line.contains("WARN") || line.contains("ERROR");
                if loud && seen.fetch_add(1, Ordering::Relaxed) < 5 {
                    eprintln!("server: {line}");
                }
            }
        });
        let pid = child.id();
        Server {
            child: Some(child),
            pid,
            addr,
            warnings,
            _dir: Some(dir),
        }
    }

    /// (resident KiB, CPU seconds used so far) of the server process.
    pub fn usage(&self) -> (u64, f64) {
        let pid = self.pid.to_string();
        (
            crate::procfs::rss_kib(&pid),
            crate::procfs::cpu_secs(&format!("/proc/{pid}")),
        )
    }

    /// (open file descriptors, threads) of the server process.
    pub fn handles(&self) -> (usize, usize) {
        let pid = self.pid.to_string();
        (
            crate::procfs::fd_count(&pid),
            crate::procfs::thread_count(&pid),
        )
    }

    /// A new room whose students come straight in: its id and teacher key.
    pub async fn create_room(&self) -> (String, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let body = r#"{"name":"Load","auto_admit":true}"#;
        let req = format!(
            "POST /api/rooms HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let mut client = tokio::net::TcpStream::connect(&self.addr).await.unwrap();
        client.write_all(req.as_bytes()).await.unwrap();
        let mut raw = String::new();
        client.read_to_string(&mut raw).await.unwrap();
        let json: serde_json::Value = serde_json::from_str(raw.split("\r\n\r\n").nth(1).unwrap())
            .unwrap_or_else(|_| panic!("room creation answered {raw}"));
        let link = json["teacher_link"].as_str().unwrap();
        let key = link.split("#teacher=").nth(1).unwrap().to_string();
        (json["id"].as_str().unwrap().to_string(), key)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
