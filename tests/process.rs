//! The real `classroom` binary: what it logs at the most verbose level, how it stops, and what a
//! `kill -9` leaves behind in the attendance.
//!
//! This file: running the binary and talking to it; the tests are in `tests/process/`.

mod common;

#[path = "process/crash.rs"]
mod crash;
#[path = "process/shutdown.rs"]
mod shutdown;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use classroom::protocol::{Role, ServerMsg};
use common::Client;

/// One run of the binary on a database, with everything it printed.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(dir: &tempfile::TempDir, rust_log: &str) -> Server {
        Self::start_with(dir, rust_log, &[])
    }

    fn start_with(dir: &tempfile::TempDir, rust_log: &str, flags: &[&str]) -> Server {
        let db = format!("sqlite://{}", dir.path().join("c.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
            .args(["--bind", "127.0.0.1:0", "--database-url", &db])
            .args(["--udp-port", "0", "--media-address", "127.0.0.1"])
            .args(flags)
            .env("RUST_LOG", rust_log)
            .env("LEPTOS_OUTPUT_NAME", "classroom")
            .env("LEPTOS_SITE_ROOT", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (addr_tx, addr_rx) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let (log, addr_tx) = (log.clone(), addr_tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(addr) = line.split("running at http://").nth(1) {
                        let _ = addr_tx.send(addr.trim().to_string());
                    }
                    log.lock().unwrap().push_str(&line);
                    log.lock().unwrap().push('\n');
                }
            });
        }
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server says where it listens");
        Server { child, addr, log }
    }

    /// Creates a room through the API; returns its id and teacher key.
    async fn create_room(&self) -> (String, String) {
        let addr = self.addr.clone();
        let created = tokio::task::spawn_blocking(move || {
            let body = r#"{"name":"Math"}"#;
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "POST /api/rooms HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            let mut raw = String::new();
            s.read_to_string(&mut raw).unwrap();
            raw
        })
        .await
        .unwrap();
        let json = created.split("\r\n\r\n").nth(1).expect("a body");
        let json: serde_json::Value = serde_json::from_str(json).expect("JSON");
        let link = json["teacher_link"].as_str().unwrap();
        let key = link.split("#teacher=").nth(1).unwrap().to_string();
        (json["id"].as_str().unwrap().to_string(), key)
    }

    /// A teacher in `room`.
    async fn teacher(&self, room: &str, key: &str) -> Client {
        self.teacher_with_token(room, key).await.0
    }

    /// A teacher in `room`, with its peer id and resume token.
    async fn teacher_with_token(&self, room: &str, key: &str) -> (Client, u64, String) {
        let mut teacher = self.connect().await;
        teacher.send_join(room, "Ms. Kim", Some(key)).await;
        match teacher.recv().await {
            ServerMsg::Joined {
                role,
                you,
                resume: Some(token),
                ..
            } => {
                assert_eq!(role, Role::Teacher);
                (teacher, you, token)
            }
            other => panic!("expected joined, got {other:?}"),
        }
    }

    async fn connect(&self) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", self.addr))
            .await
            .unwrap();
        Client { ws }
    }

    fn signal(&self, sig: &str) {
        let sent = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
