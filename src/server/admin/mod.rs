//! Administrator access: the password ([`password`]), sessions ([`session`]), the login budget
//! ([`LoginLimit`]), the check every admin server function starts with ([`require_session`]), and the
//! attendance downloads ([`export`], written by [`csv`]).

pub mod cli;
pub mod csv;
pub mod device;
pub mod export;
pub mod password;
pub mod session;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::http::request::Parts;
use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::prelude::*;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::server::listen::client_key;
use crate::server::{rooms, web, AppState};

/// Login attempts one address may make in a burst; then one more every 12 seconds.
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 5;

/// Passwords checked at once, server-wide. Each check is an argon2 verify (19 MiB, a blocking
/// thread), and the per-address budget does not bound how many addresses guess at the same time.
pub const MAX_CONCURRENT_CHECKS: usize = 2;

/// The login budget: attempts per client address (an IPv6 /64 counts as one, see [`client_key`]),
/// a token bucket charged before the password is even hashed, so guessing is slow; and a cap on
/// checks running at once, so argon2 cannot be used to burn the server's CPU and memory.
///
/// A browser the administrator logged in from before ([`device`]) is charged to a budget of its
/// own, with a check slot of its own: guessers sharing its address cannot lock it out.
pub struct LoginLimit {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    checks: Arc<Semaphore>,
    per_device: DefaultKeyedRateLimiter<String>,
    device_checks: Arc<Semaphore>,
}

impl LoginLimit {
    /// [`LOGIN_ATTEMPTS_PER_MINUTE`] attempts a minute per address, [`MAX_CONCURRENT_CHECKS`] at once.
    pub fn new() -> Self {
        let n = NonZeroU32::new(LOGIN_ATTEMPTS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        LoginLimit {
            per_address: RateLimiter::keyed(Quota::per_minute(n)),
            checks: Arc::new(Semaphore::new(MAX_CONCURRENT_CHECKS)),
            per_device: RateLimiter::keyed(Quota::per_minute(n)),
            device_checks: Arc::new(Semaphore::new(MAX_CONCURRENT_CHECKS)),
        }
    }

    /// Charges one attempt to the known browser whose token hashes to `device`.
    pub fn allow_device(&self, device: &str) -> bool {
        self.per_device.check_key(&device.to_owned()).is_ok()
    }

    /// A slot to check a known browser's password, apart from everyone else's.
    pub fn device_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.device_checks.clone().try_acquire_owned().ok()
    }

    /// Charges one attempt to `ip`'s key (requests without a known address share one bucket).
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        let key = ip.map_or(IpAddr::from([0, 0, 0, 0]), client_key);
        self.per_address.check_key(&key).is_ok()
    }

    /// A slot to check one password, or `None` when [`MAX_CONCURRENT_CHECKS`] are running: the
    /// login is then refused like an address over its budget, since a queue would only pile up
    /// waiting requests. The slot is owned so the check can keep it until argon2 is done.
    pub fn check_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.checks.clone().try_acquire_owned().ok()
    }

    /// Forgets addresses whose bucket is full again.
    pub fn forget_idle(&self) {
        self.per_address.retain_recent();
        self.per_device.retain_recent();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_past_the_cap_are_refused_not_queued() {
        let limit = LoginLimit::new();
        let held: Vec<_> = (0..MAX_CONCURRENT_CHECKS)
            .map(|_| limit.check_slot().expect("a free slot"))
            .collect();
        assert!(limit.check_slot().is_none());
        drop(held);
        assert!(
            limit.check_slot().is_some(),
            "slots come back when checks end"
        );
    }

    #[test]
    fn one_ipv6_slash_64_shares_one_budget() {
        let limit = LoginLimit::new();
        for i in 1..=LOGIN_ATTEMPTS_PER_MINUTE {
            assert!(limit.allow(Some(format!("2001:db8::{i}").parse().unwrap())));
        }
        assert!(!limit.allow(Some("2001:db8::ffff".parse().unwrap())));
        assert!(limit.allow(Some("2001:db8:0:1::1".parse().unwrap())));
    }
}
