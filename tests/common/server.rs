//! The test server itself: starting it on a fresh database, restarting it on the same one, and
//! failing the test if the server panicked.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::Duration;

use clap::Parser;
use classroom::server::{self, db, listen, metrics, AppState, Config};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::SqlitePool;
use tempfile::TempDir;

use super::http;

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
}
