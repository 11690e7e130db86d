//! Administrator sessions: a random id in a cookie, its hash and two clocks in SQLite.
//!
//! A table of our own rather than `tower-sessions`: we need one kind of session with two expiries
//! and a cookie that server functions set, and the table is three columns. The id is 32 bytes from
//! the operating system's RNG; only its SHA-256 is stored (a 256-bit secret needs no slow hash).

use std::time::Duration;

use axum::http::{header, HeaderMap};
use rand::{rngs::OsRng, TryRngCore};
use sqlx::SqlitePool;

use crate::server::db::now_ms;
use crate::server::secret;

/// The cookie that carries the session id.
pub const COOKIE: &str = "classroom_admin";

/// How long a session lives: since it was last used, and at most since it was opened.
#[derive(Clone, Copy, Debug)]
pub struct Expiry {
    pub idle: Duration,
    pub absolute: Duration,
}

/// A new session id: 32 bytes from the OS RNG, hex. `None` if the OS cannot give randomness.
pub fn new_id() -> Option<String> {
    let mut bytes = [0u8; 32];
    OsRng.try_fill_bytes(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Opens a session and returns its id (for the cookie).
pub async fn open(pool: &SqlitePool) -> Result<String, OpenError> {
    let id = new_id().ok_or(OpenError::Random)?;
    let now = now_ms();
    sqlx::query("INSERT INTO admin_sessions (id_hash, created_at, last_seen_at) VALUES (?, ?, ?)")
        .bind(secret::hash(&id))
        .bind(now)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(id)
}

/// Why a session was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the operating system's random generator failed")]
    Random,
    #[error("the session could not be stored: {0}")]
    Store(#[from] sqlx::Error),
}

/// Whether `id` is a live session; if so its idle clock restarts, if it expired it is deleted.
pub async fn touch(pool: &SqlitePool, id: &str, expiry: Expiry) -> sqlx::Result<bool> {
    check(pool, id, expiry, true).await
}

/// Whether session `id` is live, without restarting its idle clock: for reads nobody asked for
/// (the room list reading itself again), which must not keep an unattended session open forever.
pub async fn peek(pool: &SqlitePool, id: &str, expiry: Expiry) -> sqlx::Result<bool> {
    check(pool, id, expiry, false).await
}

async fn check(pool: &SqlitePool, id: &str, expiry: Expiry, touch: bool) -> sqlx::Result<bool> {
    let hash = secret::hash(id);
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT created_at, last_seen_at FROM admin_sessions WHERE id_hash = ?")
            .bind(&hash)
            .fetch_optional(pool)
            .await?;
    let Some((created, seen)) = row else {
        return Ok(false);
    };
    let now = now_ms();
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let live = now.saturating_sub(seen) < ms(expiry.idle)
        && now.saturating_sub(created) < ms(expiry.absolute);
    if live && touch {
        sqlx::query("UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?")
            .bind(now)
            .bind(&hash)
            .execute(pool)
            .await?;
    } else if !live {
        close(pool, id).await?;
    }
    Ok(live)
}

/// Ends the session `id` (logging out).
pub async fn close(pool: &SqlitePool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM admin_sessions WHERE id_hash = ?")
        .bind(secret::hash(id))
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes sessions past either expiry (the hourly chore), so the table stays small.
pub async fn forget_expired(pool: &SqlitePool, expiry: Expiry) -> sqlx::Result<u64> {
    let now = now_ms();
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let done = sqlx::query("DELETE FROM admin_sessions WHERE last_seen_at < ? OR created_at < ?")
        .bind(now.saturating_sub(ms(expiry.idle)))
        .bind(now.saturating_sub(ms(expiry.absolute)))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// The session id in a request's cookies, if any.
pub fn from_headers(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The non-empty value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find_map(|(k, v)| (k == name && !v.is_empty()).then(|| v.to_string()))
}

/// The `Set-Cookie` value for `id` (empty and expired to log out). Path `/`: the server functions
/// live under `/api`, the pages under `/admin`.
pub fn cookie(id: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={id}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        max_age.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_and_random_and_the_cookie_is_strict() {
        let (a, b) = (new_id().unwrap(), new_id().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        let c = cookie(&a, Duration::from_secs(60), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("x=1; {COOKIE}={a}").parse().unwrap(),
        );
        assert_eq!(from_headers(&headers), Some(a));
    }
}
