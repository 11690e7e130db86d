//! A real Classroom server on 127.0.0.1:0 with a throwaway SQLite file, and small WebSocket and
//! HTTP clients to talk to it.
#![allow(dead_code)]

pub mod admin;
pub mod class;
pub mod http;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::Duration;

use clap::Parser;
use classroom::protocol::{
    ClientMsg, ErrorCode, MediaState, PeerId, PeerInfo, SdpType, ServerMsg, Signal,
};
use classroom::server::{self, db, listen, metrics, secret, store, AppState, Config};
use futures::{SinkExt, StreamExt};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::SqlitePool;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

/// How long `recv` waits before failing the test.
pub const RECV_TIMEOUT: Duration = Duration::from_secs(5);
/// How long "nothing arrives" is watched for.
pub const SILENCE: Duration = Duration::from_millis(300);

pub struct TestServer {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub state: AppState,
    _dir: Option<TempDir>,
    /// The extra flags it was started with (a restart keeps them).
    flags: Vec<String>,
}

/// Panics outside the test code itself: the server's, in a task whose panic tokio would otherwise
/// swallow. Any of them fails the test that owns a [`TestServer`] (no client may make it panic).
static SERVER_PANICS: AtomicUsize = AtomicUsize::new(0);

fn install_panic_guard() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_tests = info
                .location()
                .is_some_and(|l| l.file().starts_with("tests/"));
            if !in_tests {
                SERVER_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let panics = SERVER_PANICS.load(Ordering::SeqCst);
            assert_eq!(
                panics, 0,
                "the server panicked {panics} time(s): see the output"
            );
        }
    }
}

/// The process-wide metrics recorder, installed by the first server a test binary starts.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| metrics::install().expect("metrics recorder"))
        .clone()
}

impl TestServer {
    /// Starts a server with room capacity 3.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts a server with room capacity 3 and these extra flags.
    pub async fn start_with(flags: &[&str]) -> Self {
        Self::start_in(TempDir::new().expect("temp dir"), flags).await
    }

    /// Stops this server as SIGTERM would (connections closed with 1012, records written) and starts
    /// a new one on the same database.
    pub async fn restart(self) -> Self {
        self.restart_after(|| async {}).await
    }

    /// [`Self::restart`], running `meanwhile` while no server runs (on the database, say).
    pub async fn restart_after<F: std::future::Future<Output = ()>>(
        mut self,
        meanwhile: impl FnOnce() -> F,
    ) -> Self {
        self.state.shutdown.trigger();
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.flush().await;
        meanwhile().await;
        self.pool.close().await;
        let dir = self._dir.take().expect("a database directory");
        let flags = std::mem::take(&mut self.flags);
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        Self::start_in(dir, &flags).await
    }

    async fn start_in(dir: TempDir, flags: &[&str]) -> Self {
        install_panic_guard();
        let url = format!("sqlite://{}", dir.path().join("classroom.db").display());
        let mut args = vec!["classroom", "--database-url", url.as_str()];
        if !flags.contains(&"--room-capacity") {
            args.extend_from_slice(&["--room-capacity", "3"]);
        }
        // A lost connection keeps its place for 1 s here (15 s by default): tests that drop a
        // client see it leave soon; `tests/resume.rs` sets its own where it matters.
        if !flags.contains(&"--resume-grace") {
            args.extend_from_slice(&["--resume-grace", "1"]);
        }
        // Any free UDP port for the media server, reached on loopback only.
        if !flags.contains(&"--udp-port") {
            args.extend_from_slice(&["--udp-port", "0", "--media-address", "127.0.0.1"]);
        }
        args.extend_from_slice(flags);
        let config = Config::try_parse_from(args).expect("config parses");
        let pool = db::connect(&url).await.expect("database opens");
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("classroom")
            .build();
        let limits = listen::Limits::new(config.max_connections, config.max_connections_per_ip);
        let header_timeout = config.header_timeout();
        let state = AppState::new(leptos_options, pool.clone(), config, Some(recorder()))
            .expect("media server starts");
        server::restore::restore_and_log(&state).await;
        server::housekeeping::spawn_room_clock(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("bound address");
        let shutdown = state.shutdown.clone();
        let router = {
            let _one_at_a_time = http::PAGES.lock().await;
            server::router(state.clone())
        };
        tokio::spawn(listen::serve(
            listener,
            router,
            limits,
            header_timeout,
            shutdown.clone(),
        ));
        TestServer {
            addr,
            pool,
            state,
            _dir: Some(dir),
            flags: flags.iter().map(|f| f.to_string()).collect(),
        }
    }

    /// Stores an open room whose teacher key is `key`.
    pub async fn room(&self, id: &str, name: &str, key: &str) {
        store::create_room(&self.pool, id, name, &secret::hash(key), false)
            .await
            .expect("room stored");
    }

    /// Stores an open room whose students come straight in (auto-admit on): for tests of signaling
    /// rather than of the waiting room.
    pub async fn open_room(&self, id: &str, name: &str, key: &str) {
        store::create_room(&self.pool, id, name, &secret::hash(key), true)
            .await
            .expect("room stored");
    }

    /// Starts a server with one open room: `room1`, "Algebra II", teacher key `key1`, students let in
    /// automatically.
    pub async fn with_room() -> Self {
        let srv = Self::start().await;
        srv.open_room("room1", "Algebra II", "key1").await;
        srv
    }

    /// A connected, not yet joined, signaling client.
    pub async fn client(&self) -> Client {
        let (ws, _) = connect_async(format!("ws://{}/ws", self.addr))
            .await
            .expect("websocket connects");
        Client { ws }
    }

    /// Waits until every record rooms asked to keep so far (attendance, chat) is in the database.
    pub async fn flush(&self) {
        self.state.hub.recorder().flush().await;
    }

    /// The text of `GET /metrics`.
    pub async fn metrics(&self) -> String {
        self.http("GET", "/metrics", &[], "").await.body
    }

    /// Connects and joins `room` as a student; returns the client and its peer id.
    pub async fn join(&self, room: &str, name: &str) -> (Client, PeerId) {
        let mut c = self.client().await;
        let id = c.join(room, name).await;
        (c, id)
    }

    /// A, B and C in room1 (a full room at capacity 3), every join notice already read.
    pub async fn three_in_room(&self) -> [(Client, PeerId); 3] {
        let (mut a, a_id) = self.join("room1", "A").await;
        let (mut b, b_id) = self.join("room1", "B").await;
        let (c, c_id) = self.join("room1", "C").await;
        a.expect_peer_joined("B").await;
        a.expect_peer_joined("C").await;
        b.expect_peer_joined("C").await;
        [(a, a_id), (b, b_id), (c, c_id)]
    }
}

/// An SDP offer with non-ASCII text, to check data is relayed byte for byte.
pub fn offer() -> Signal {
    Signal::Description {
        sdp_type: SdpType::Offer,
        sdp: "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=수업 ✓\r\n".into(),
    }
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    /// Closes as a browser whose page is closed does (1001, going away): it leaves at once.
    pub async fn close_page(mut self) {
        use tokio_tungstenite::tungstenite::protocol::{frame::coding::CloseCode, CloseFrame};
        let frame = CloseFrame {
            code: CloseCode::Away,
            reason: "".into(),
        };
        let _ = self.ws.close(Some(frame)).await;
        // Read to the end so the close handshake completes.
        while let Some(Ok(_)) = self.ws.next().await {}
    }

    pub async fn send(&mut self, msg: &ClientMsg) {
        let text = serde_json::to_string(msg).expect("ClientMsg serializes");
        self.send_raw(Message::text(text)).await;
    }

    pub async fn send_raw(&mut self, frame: Message) {
        self.ws.send(frame).await.expect("websocket send");
    }

    /// The next data frame (ping/pong skipped), or `None` if nothing came within `wait`.
    pub async fn next_frame(&mut self, wait: Duration) -> Option<Message> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(Some(Ok(frame))) => return Some(frame),
                Ok(Some(Err(e))) => panic!("websocket error while waiting for a message: {e}"),
                Ok(None) => panic!("websocket ended while waiting for a message"),
            }
        }
    }

    pub async fn recv(&mut self) -> ServerMsg {
        match self.next_frame(RECV_TIMEOUT).await {
            None => panic!("no server message within {RECV_TIMEOUT:?}"),
            Some(Message::Text(t)) => serde_json::from_str(t.as_str())
                .unwrap_or_else(|e| panic!("server sent an unparsable message {t}: {e}")),
            Some(other) => panic!("expected a text frame, got {other:?}"),
        }
    }

    pub async fn expect_silence(&mut self) {
        if let Some(frame) = self.next_frame(SILENCE).await {
            panic!("expected nothing, got {frame:?}");
        }
    }

    pub async fn expect_error(&mut self, want: ErrorCode) {
        match self.recv().await {
            ServerMsg::Error { code, .. } if code == want => {}
            other => panic!("expected error {want:?}, got {other:?}"),
        }
    }

    pub async fn expect_peer_joined(&mut self, name: &str) -> PeerInfo {
        match self.recv().await {
            ServerMsg::PeerJoined { peer } if peer.name == name => peer,
            other => panic!("expected peer_joined of {name}, got {other:?}"),
        }
    }

    pub async fn expect_peer_left(&mut self, id: PeerId) {
        match self.recv().await {
            ServerMsg::PeerLeft { peer } if peer == id => {}
            other => panic!("expected peer_left of {id}, got {other:?}"),
        }
    }

    /// Waits for the server to close the socket (a close frame or the stream's end).
    pub async fn expect_closed(&mut self) {
        let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("socket still open after {RECV_TIMEOUT:?}"),
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => return,
                Ok(Some(Ok(frame))) => panic!("expected the socket to close, got {frame:?}"),
            }
        }
    }

    /// Waits for the server's close frame and returns its code (panics if the socket just ends).
    pub async fn expect_close_frame(&mut self) -> u16 {
        let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("no close frame within {RECV_TIMEOUT:?}"),
                Ok(Some(Ok(Message::Close(Some(frame))))) => return frame.code.into(),
                Ok(Some(Ok(Message::Close(None)))) => panic!("close frame without a code"),
                Ok(Some(Ok(_))) => continue,
                Ok(None) | Ok(Some(Err(_))) => panic!("the socket ended without a close frame"),
            }
        }
    }

    pub async fn send_join(&mut self, room: &str, name: &str, teacher_key: Option<&str>) {
        self.send_join_as(room, name, teacher_key, None).await;
    }

    /// [`Self::send_join`] with an attendee token (one person across re-joins).
    pub async fn send_join_as(
        &mut self,
        room: &str,
        name: &str,
        teacher_key: Option<&str>,
        attendee: Option<&str>,
    ) {
        self.send(&ClientMsg::Join {
            room: room.into(),
            name: name.into(),
            teacher_key: teacher_key.map(Into::into),
            media: MediaState {
                audio: true,
                video: true,
                screen: false,
            },
            attendee: attendee.map(Into::into),
        })
        .await;
    }

    /// Joins as a student and returns the assigned id.
    pub async fn join(&mut self, room: &str, name: &str) -> PeerId {
        self.send_join(room, name, None).await;
        match self.recv().await {
            ServerMsg::Joined { you, .. } => you,
            other => panic!("{name} expected joined, got {other:?}"),
        }
    }
}

/// `left_at` and `joined_at` of `name`'s only participation row.
pub async fn participation(pool: &SqlitePool, name: &str) -> (i64, Option<i64>) {
    sqlx::query_as("SELECT joined_at, left_at FROM participations WHERE display_name = ?")
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("exactly one participation row")
}

/// Polls until `name`'s row is closed (the server writes it after telling the others).
pub async fn wait_row_closed(pool: &SqlitePool, name: &str) -> (i64, i64) {
    let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
    loop {
        if let (joined, Some(left)) = wait_row_closed_or_open(pool, name).await {
            return (joined, left);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name}'s participation never closed"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Polls until `name` has a participation row (written just after the `joined` reply).
pub async fn wait_row_closed_or_open(pool: &SqlitePool, name: &str) -> (i64, Option<i64>) {
    let deadline = tokio::time::Instant::now() + RECV_TIMEOUT;
    loop {
        let row =
            sqlx::query_as("SELECT joined_at, left_at FROM participations WHERE display_name = ?")
                .bind(name)
                .fetch_optional(pool)
                .await
                .expect("query");
        if let Some(row) = row {
            return row;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no participation row for {name}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
