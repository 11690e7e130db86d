//! Administrator access: the password ([`password`]), sessions ([`session`]), the login budget per
//! address, the check every admin server function starts with ([`require_session`]), and the
//! attendance downloads ([`export`], written by [`csv`]).

pub mod cli;
pub mod csv;
pub mod export;
pub mod password;
pub mod session;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::request::Parts;
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::prelude::*;

use crate::server::{rooms, web, AppState};

/// Login attempts one address may make in a burst; then one more every 12 seconds.
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 5;

/// Login attempts per client address: a token bucket charged before the password is even hashed,
/// so guessing is slow and argon2 cannot be used to burn the server's CPU.
pub struct LoginLimit(DefaultKeyedRateLimiter<IpAddr>);

impl LoginLimit {
    /// [`LOGIN_ATTEMPTS_PER_MINUTE`] attempts a minute per address.
    pub fn new() -> Self {
        let n = NonZeroU32::new(LOGIN_ATTEMPTS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        LoginLimit(RateLimiter::keyed(Quota::per_minute(n)))
    }

    /// Charges one attempt to `ip` (requests without a known address share one bucket).
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        self.0
            .check_key(&ip.unwrap_or(IpAddr::from([0, 0, 0, 0])))
            .is_ok()
    }

    /// Forgets addresses whose bucket is full again.
    pub fn forget_idle(&self) {
        self.0.retain_recent();
    }
}

impl Default for LoginLimit {
    fn default() -> Self {
        Self::new()
    }
}

/// The session lifetimes from the configuration.
pub fn expiry(state: &AppState) -> session::Expiry {
    session::Expiry {
        idle: Duration::from_secs(state.config.admin_idle_minutes * 60),
        absolute: Duration::from_secs(state.config.admin_session_hours * 3600),
    }
}

/// The current server-function request's headers and client address.
pub fn request(state: &AppState) -> (axum::http::HeaderMap, Option<IpAddr>) {
    let Some(parts) = use_context::<Parts>() else {
        return (Default::default(), None);
    };
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let ip = rooms::client_ip(&state.config, peer, &parts.headers);
    (parts.headers, ip)
}

/// Whether the current request carries a live administrator session (restarting its idle clock).
pub async fn has_session(state: &AppState) -> bool {
    session_live(state, true).await
}

async fn session_live(state: &AppState, touch: bool) -> bool {
    let (headers, _) = request(state);
    let Some(id) = session::from_headers(&headers) else {
        return false;
    };
    let live = match touch {
        true => session::touch(&state.pool, &id, expiry(state)).await,
        false => session::peek(&state.pool, &id, expiry(state)).await,
    };
    live.inspect_err(|e| tracing::error!(error = %e, "reading an admin session failed"))
        .unwrap_or(false)
}

/// Refuses an admin server function without a live session: the response becomes 401.
pub async fn require_session(state: &AppState) -> Result<(), ServerFnError> {
    require(state, true).await
}

/// [`require_session`] for a read the page makes by itself (a timer), which is not the
/// administrator's activity: it does not restart the session's idle clock.
pub async fn require_session_unattended(state: &AppState) -> Result<(), ServerFnError> {
    require(state, false).await
}

async fn require(state: &AppState, touch: bool) -> Result<(), ServerFnError> {
    if session_live(state, touch).await {
        return Ok(());
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(StatusCode::UNAUTHORIZED);
    }
    Err(ServerFnError::new("administrator login required"))
}

/// Whether cookies set for the current request should be `Secure` (the site is served over HTTPS).
pub fn secure(state: &AppState) -> bool {
    let (headers, _) = request(state);
    web::site_url(state, &headers).starts_with("https://")
}
