//! Logs: tracing to stdout, as text or JSON lines, filtered by `--log`.
//!
//! Records of the `log` crate are deliberately not forwarded: the WebSocket library (tungstenite)
//! writes every frame it reads at trace level through `log`, and a `join` frame carries the
//! teacher key, which must never reach a log file at any level. Our own code, axum, hyper and sqlx
//! all use `tracing` directly.

use std::io::IsTerminal;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{fmt, EnvFilter, Registry};

use crate::server::Config;

/// Sets up tracing from the configured filter; a bad filter falls back to `info`.
pub fn init(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let subscriber = Registry::default()
        .with(filter)
        .with(config.log_json.then(|| fmt::layer().json()))
        // Colours only for a terminal, not in log files.
        .with((!config.log_json).then(|| fmt::layer().with_ansi(std::io::stdout().is_terminal())));
    // `set_global_default`, not `init()`: the latter would also install the `log` bridge.
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("logging was already set up");
    }
}
