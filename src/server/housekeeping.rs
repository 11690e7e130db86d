//! Work the server does on its own: every hour, closing rooms nobody has used for
//! `--room-idle-days`, forgetting addresses whose room-creation or login budget is full again and
//! deleting expired administrator sessions; every second, waking the rooms that asked for it.

use std::time::Duration;

use crate::server::db::now_ms;
use crate::server::{store, AppState};

const EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Runs the hourly chores until the server shuts down (the first one right away).
pub fn spawn(state: AppState) {
    spawn_room_clock(state.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                _ = tick.tick() => run_once(&state).await,
                _ = state.shutdown.wait() => return,
            }
        }
    });
}

/// One round of chores.
pub async fn run_once(state: &AppState) {
    state.creation_limit.forget_idle();
    state.login_limit.forget_idle();
    let expiry = crate::server::admin::expiry(state);
    if let Err(e) = crate::server::admin::session::forget_expired(&state.pool, expiry).await {
        tracing::error!(error = %e, "forgetting expired admin sessions failed");
    }
    let days = state.config.room_idle_days;
    if days == 0 {
        return;
    }
    match store::close_idle_rooms(&state.pool, now_ms() - i64::from(days) * DAY_MS).await {
        Ok(0) => {}
        Ok(n) => {
            state.room_pages.forget_all();
            tracing::info!(rooms = n, days, "closed rooms unused for too long");
        }
        Err(e) => tracing::error!(error = %e, "closing idle rooms failed"),
    }
}

/// How often rooms that asked for a wake-up are looked at (the finest timing a room needs is a
/// student's one-minute wait after being turned away).
const ROOM_CLOCK: Duration = Duration::from_secs(1);

/// Ticks the rooms whose wake-up time has come ([`crate::server::hub::Hub::tick`]): turned-away
/// students may knock again, lost members' grace periods end.
pub fn spawn_room_clock(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ROOM_CLOCK);
        loop {
            tokio::select! {
                _ = tick.tick() => state.hub.tick(),
                _ = state.shutdown.wait() => return,
            }
        }
    });
}
