//! The real `classroom` binary: what it logs at the most verbose level, how it stops, and what a
//! `kill -9` leaves behind in the attendance.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use classroom::protocol::{close, Role, ServerMsg};
use common::Client;

/// One run of the binary on a database, with everything it printed.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(dir: &tempfile::TempDir, rust_log: &str) -> Server {
        let db = format!("sqlite://{}", dir.path().join("c.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_classroom"))
            .args(["--bind", "127.0.0.1:0", "--database-url", &db])
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
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", self.addr))
            .await
            .unwrap();
        let mut teacher = Client { ws };
        teacher.send_join(room, "Ms. Kim", Some(key)).await;
        match teacher.recv().await {
            ServerMsg::Joined { role, .. } => assert_eq!(role, Role::Teacher),
            other => panic!("expected joined, got {other:?}"),
        }
        teacher
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

/// Defect 5: at `RUST_LOG=trace` the WebSocket library logged the `join` frame, teacher key and
/// all. Also: SIGTERM closes signaling sockets with 1012 and the process exits cleanly.
#[tokio::test]
async fn the_teacher_key_never_reaches_the_logs_and_sigterm_says_restarting() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut server = Server::start(&dir, "trace");
    let (room, key) = server.create_room().await;
    let mut teacher = server.teacher(&room, &key).await;

    server.signal("-TERM");
    assert_eq!(teacher.expect_close_frame().await, close::RESTARTING);
    let status = tokio::task::spawn_blocking(move || server.child.wait().map(|s| (s, server)))
        .await
        .unwrap()
        .unwrap();
    assert!(status.0.success(), "exit status {}", status.0);

    std::thread::sleep(Duration::from_millis(200));
    let log = status.1.log();
    assert!(log.contains(" DEBUG "), "verbose logging was on:\n{log}");
    assert!(!log.contains(&key), "the teacher key was logged:\n{log}");
}

/// Attendance across a crash: a `kill -9` leaves the stay and the session open; the next start
/// closes them at the last heartbeat (not at the restart, which would count the downtime as
/// presence) and marks them.
#[tokio::test]
async fn a_kill_9_leaves_attendance_that_the_next_start_closes_and_marks() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut server = Server::start(&dir, "info");
    let (room, key) = server.create_room().await;
    let _teacher = server.teacher(&room, &key).await;
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let pool = classroom::server::db::connect(&url).await.unwrap();
    let open = "SELECT count(*) FROM participations WHERE left_at IS NULL";
    for _ in 0..100 {
        if sqlx::query_scalar::<_, i64>(open)
            .fetch_one(&pool)
            .await
            .unwrap()
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let beat: i64 = sqlx::query_scalar("SELECT at FROM server_heartbeat")
        .fetch_one(&pool)
        .await
        .expect("the running server wrote a heartbeat");

    server.signal("-KILL");
    let _ = server.child.wait();
    let killed_at = classroom::server::db::now_ms();
    assert_eq!(
        sqlx::query_scalar::<_, i64>(open)
            .fetch_one(&pool)
            .await
            .unwrap(),
        1,
        "the killed server could not close its row"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;

    let again = Server::start(&dir, "info");
    let (joined, left, marked): (i64, i64, bool) = sqlx::query_as(
        "SELECT joined_at, left_at, closed_at_restart FROM participations WHERE room_id = ?",
    )
    .bind(&room)
    .fetch_one(&pool)
    .await
    .expect("the row is closed before the server listens");
    assert!(marked, "the row says it was closed at a restart");
    assert_eq!(left, joined.max(beat), "closed at the last heartbeat");
    assert!(left < killed_at);
    let (ended, reason): (i64, String) =
        sqlx::query_as("SELECT ended_at, end_reason FROM class_sessions WHERE room_id = ?")
            .bind(&room)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((ended, reason.as_str()), (left, "restart"));
    assert!(
        again
            .log()
            .contains("closed attendance left open by the last run"),
        "{}",
        again.log()
    );
    again.signal("-KILL");
}
