//! The `classroom` server binary: read config, open the database, serve until SIGTERM or Ctrl-C.

// jemalloc rather than glibc's malloc: each signaling connection holds a few dozen small blocks
// for hours, and glibc's per-block headers and fragmentation cost ~2 KiB of a joined peer's ~14
// (docs/BENCHMARKS.md, "jemalloc"); the room page renders no slower.
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// One arena for the whole process instead of four per core: a connection's task moves between the
// runtime's workers, and with an arena per thread its blocks were spread over half-filled pages
// of two (~0.4 KiB per joined peer; no cost in CPU measured: docs/BENCHMARKS.md). jemalloc reads
// this before `main`; `_RJEM_MALLOC_CONF` in the environment still overrides it.
#[cfg(feature = "ssr")]
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8] = b"narenas:1\0";

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use clap::Parser;
    use classroom::server::{self, admin, db, housekeeping, listen, logging, metrics, AppState};

    let config = server::Config::parse();
    logging::init(&config);
    let pool = match db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(e) => {
            tracing::error!(error = %e, url = %config.database_url, "cannot open the database");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(server::config::Command::Admin { action }) = &config.command {
        return admin::cli::run(action, &pool).await;
    }
    admin::password::seed_from_env(&pool).await;
    let leptos_options = match leptos::prelude::get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            tracing::error!(error = %e, "leptos configuration (set LEPTOS_* variables)");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut leptos_options = leptos_options;
    let assets = match server::assets::Assets::configure(&mut leptos_options) {
        Ok(assets) => assets,
        Err(e) => {
            tracing::error!(error = %e, "the site's files");
            return std::process::ExitCode::FAILURE;
        }
    };
    let recorder = metrics::install()
        .inspect_err(|e| tracing::warn!(error = %e, "metrics off"))
        .ok();
    let (bind, header_timeout) = (config.bind, config.header_timeout());
    let limits = listen::Limits::new(config.max_connections, config.max_connections_per_ip);
    limits.warn_if_over_fd_limit();
    let state = match AppState::new(leptos_options, pool, config, recorder) {
        Ok(state) => state.with_assets(assets),
        Err(e) => {
            tracing::error!(error = %e, "cannot start the media server (--udp-port)");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Before listening: people of the last run's rooms resume into them.
    server::restore::restore_and_log(&state).await;
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!(error = %e, %bind, "cannot listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("Classroom is running at http://{addr}");
    }
    housekeeping::spawn(state.clone());
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        stop_signal().await;
        tracing::info!("stop requested");
        shutdown.trigger();
    });
    let router = server::router(state.clone());
    listen::serve(
        listener,
        router,
        limits,
        header_timeout,
        state.shutdown.clone(),
    )
    .await;
    // Connections have left their rooms; write what they left behind (attendance, chat).
    let flushed = tokio::time::timeout(RECORDS_FLUSH, state.hub.recorder().flush()).await;
    if flushed.is_err() {
        tracing::error!("records not all written before exit");
    }
    std::process::ExitCode::SUCCESS
}

/// How long the exit waits for the last records (attendance, chat) to be written.
#[cfg(feature = "ssr")]
const RECORDS_FLUSH: std::time::Duration = std::time::Duration::from_secs(5);

/// SIGTERM (systemd, docker stop) or Ctrl-C.
#[cfg(feature = "ssr")]
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The binary is built with `--features ssr`; the browser build only uses the library.
}
