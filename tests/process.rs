//! The real `classroom` binary: what it logs at the most verbose level, and how it stops.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use classroom::protocol::{close, Role, ServerMsg};
use common::Client;

/// Defect 5: at `RUST_LOG=trace` the WebSocket library logged the `join` frame, teacher key and
/// all. Also: SIGTERM closes signaling sockets with 1012 and the process exits cleanly.
#[tokio::test]
async fn the_teacher_key_never_reaches_the_logs_and_sigterm_says_restarting() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
        .args(["--bind", "127.0.0.1:0", "--database-url", &db])
        .env("RUST_LOG", "trace")
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

    let created = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || {
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
        }
    })
    .await
    .unwrap();
    let json = created.split("\r\n\r\n").nth(1).expect("a body");
    let json: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let (room, link) = (
        json["id"].as_str().unwrap(),
        json["teacher_link"].as_str().unwrap(),
    );
    let key = link.split("#teacher=").nth(1).unwrap().to_string();

    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
        .await
        .unwrap();
    let mut teacher = Client { ws };
    teacher.send_join(room, "Ms. Kim", Some(&key)).await;
    match teacher.recv().await {
        ServerMsg::Joined { role, .. } => assert_eq!(role, Role::Teacher),
        other => panic!("expected joined, got {other:?}"),
    }

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert_eq!(teacher.expect_close_frame().await, close::RESTARTING);
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit status {status}");

    std::thread::sleep(Duration::from_millis(200));
    let log = log.lock().unwrap().clone();
    assert!(log.contains(" DEBUG "), "verbose logging was on:\n{log}");
    assert!(!log.contains(&key), "the teacher key was logged:\n{log}");
}
