//! The `classroom` server binary: read config, open the database, serve.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::sync::Arc;

    use clap::Parser;
    use classroom::server::{self, db, store, AppState, Config};

    let config = Config::parse();
    server::init_logging(&config);
    let pool = match db::connect(&config.database_url).await {
        Ok(pool) => pool,
        Err(e) => {
            tracing::error!(error = %e, url = %config.database_url, "cannot open the database");
            return std::process::ExitCode::FAILURE;
        }
    };
    match store::close_dangling_participations(&pool).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(rows = n, "closed participations left open by the last run"),
        Err(e) => tracing::error!(error = %e, "cannot close dangling participations"),
    }
    let leptos_options = leptos::prelude::get_configuration(None)
        .expect("leptos configuration (set by cargo-leptos or LEPTOS_* variables)")
        .leptos_options;
    let bind = config.bind;
    let state = AppState {
        leptos_options,
        pool,
        hub: Default::default(),
        config: Arc::new(config),
    };
    let listener = match tokio::net::TcpListener::bind(bind).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!(error = %e, %bind, "cannot listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(
        "Classroom is running at http://{}",
        listener.local_addr().expect("bound")
    );
    let served = axum::serve(listener, server::router(state))
        .with_graceful_shutdown(async {
            tokio::signal::ctrl_c().await.ok();
        })
        .await;
    if let Err(e) = served {
        tracing::error!(error = %e, "server stopped");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The binary is built with `--features ssr`; the browser build only uses the library.
}
