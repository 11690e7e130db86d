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

/// Waits until `sql` (a count) answers `want`, for up to 2 s.
async fn wait_count(pool: &sqlx::SqlitePool, sql: &str, want: i64) {
    for _ in 0..100 {
        if sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
            == want
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{sql} never gave {want}");
}

/// A class killed with `-9`: its teacher's stay is open and the room saved. Returns the server
/// (dead), the pool, the room, the teacher's id and token, the last heartbeat and when it died.
async fn killed_class(
    dir: &tempfile::TempDir,
) -> (sqlx::SqlitePool, String, u64, String, i64, i64) {
    let mut server = Server::start(dir, "info");
    let (room, key) = server.create_room().await;
    let (_teacher, id, token) = server.teacher_with_token(&room, &key).await;
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let pool = classroom::server::db::connect(&url).await.unwrap();
    wait_count(
        &pool,
        "SELECT count(*) FROM participations WHERE left_at IS NULL",
        1,
    )
    .await;
    wait_count(&pool, "SELECT count(*) FROM live_rooms", 1).await;
    let beat: i64 = sqlx::query_scalar("SELECT at FROM server_heartbeat")
        .fetch_one(&pool)
        .await
        .expect("the running server wrote a heartbeat");
    server.signal("-KILL");
    let _ = server.child.wait();
    let killed_at = classroom::server::db::now_ms();
    (pool, room, id, token, beat, killed_at)
}

/// Attendance across a crash nobody comes back from: a `kill -9` leaves the stay and the session
/// open; the next start restores the room, and when the grace period passes with nobody resuming,
/// closes them at the last heartbeat (not at the restart, which would count the downtime as
/// presence) and marks them.
#[tokio::test]
async fn a_kill_9_nobody_resumes_from_ends_at_the_last_heartbeat_marked() {
    let dir = tempfile::TempDir::new().unwrap();
    let (pool, room, _, _, beat, killed_at) = killed_class(&dir).await;
    let again = Server::start_with(&dir, "info", &["--resume-grace", "1"]);
    assert!(
        again.log().contains("restored the rooms of the last run"),
        "{}",
        again.log()
    );
    let closed = "SELECT count(*) FROM participations WHERE left_at IS NOT NULL";
    wait_count(&pool, closed, 0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    wait_count(&pool, closed, 1).await;
    let (joined, left, marked): (i64, i64, bool) = sqlx::query_as(
        "SELECT joined_at, left_at, closed_at_restart FROM participations WHERE room_id = ?",
    )
    .bind(&room)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(marked, "the row says it was closed at a restart");
    assert_eq!(left, joined.max(beat), "closed at the last heartbeat");
    assert!(left < killed_at);
    wait_count(
        &pool,
        "SELECT count(*) FROM class_sessions WHERE ended_at IS NOT NULL",
        1,
    )
    .await;
    let (ended, reason): (i64, String) =
        sqlx::query_as("SELECT ended_at, end_reason FROM class_sessions WHERE room_id = ?")
            .bind(&room)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((ended, reason.as_str()), (left, "restart"));
    wait_count(&pool, "SELECT count(*) FROM live_rooms", 0).await;
    again.signal("-KILL");
}

/// The same crash, and the teacher's browser resumes: the same participant, one stay running on.
#[tokio::test]
async fn after_a_kill_9_the_teacher_resumes_the_same_place() {
    let dir = tempfile::TempDir::new().unwrap();
    let (pool, room, id, token, _, _) = killed_class(&dir).await;
    let again = Server::start(&dir, "info");
    let mut teacher = again.connect().await;
    teacher
        .send(&classroom::protocol::ClientMsg::Resume {
            room: room.clone(),
            token,
            media: Default::default(),
        })
        .await;
    match teacher.recv().await {
        ServerMsg::Joined {
            you, role, resumed, ..
        } => {
            assert_eq!((you, role, resumed), (id, Role::Teacher, true))
        }
        other => panic!("expected joined, got {other:?}"),
    }
    let open = "SELECT count(*) FROM participations WHERE left_at IS NULL";
    wait_count(&pool, open, 1).await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM participations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "one stay through the crash");
    again.signal("-KILL");
}
