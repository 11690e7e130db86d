//! Browsers an administrator logged in from ("device cookies", OWASP's answer to lockout).
//!
//! The login budget is per client address, and a school's whole network often shares one: anyone
//! there could spend it with wrong guesses and keep the administrator out. A successful login
//! therefore leaves a long-lived random token in an HttpOnly cookie; a login that presents a token
//! the server knows is charged to that browser's own budget instead of the address's. Guessers
//! cannot make one (256 random bits, only its SHA-256 is stored), and the password is still needed.

use std::time::Duration;

use axum::http::HeaderMap;
use sqlx::SqlitePool;

use super::session::{self, OpenError};
use crate::server::db::now_ms;
use crate::server::secret;

/// The cookie that carries a browser's token.
pub const COOKIE: &str = "classroom_admin_device";

/// How long a browser stays known after its last login.
pub const LIFETIME: Duration = Duration::from_secs(180 * 24 * 3600);

/// Browsers kept at most (the most recently used): the table cannot grow with logins.
pub const MAX_DEVICES: i64 = 20;

/// Remembers a new browser and returns its token (for [`cookie`]); forgets the expired and the
/// oldest past [`MAX_DEVICES`].
pub async fn remember(pool: &SqlitePool) -> Result<String, OpenError> {
    let token = session::new_id().ok_or(OpenError::Random)?;
    let now = now_ms();
    let oldest = now - LIFETIME.as_millis() as i64;
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO admin_devices (token_hash, last_login_at) VALUES (?, ?)")
        .bind(secret::hash(&token))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM admin_devices WHERE last_login_at < ? OR token_hash NOT IN
         (SELECT token_hash FROM admin_devices ORDER BY last_login_at DESC LIMIT ?)",
    )
    .bind(oldest)
    .bind(MAX_DEVICES)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// A browser the administrator logged in from: its token (from its cookie) and the stored hash.
pub struct Known {
    pub token: String,
    pub hash: String,
}

/// The known browser the request comes from, if it is one.
pub async fn known(pool: &SqlitePool, headers: &HeaderMap) -> Option<Known> {
    let token = session::cookie_value(headers, COOKIE)?;
    let hash = secret::hash(&token);
    let oldest = now_ms() - LIFETIME.as_millis() as i64;
    let found: sqlx::Result<Option<(i64,)>> = sqlx::query_as(
        "SELECT last_login_at FROM admin_devices WHERE token_hash = ? AND last_login_at >= ?",
    )
    .bind(&hash)
    .bind(oldest)
    .fetch_optional(pool)
    .await;
    match found {
        Ok(row) => row.map(|_| Known { token, hash }),
        Err(e) => {
            // Treated as an unknown browser: the address's budget still lets it in.
            tracing::error!(error = %e, "reading the admin devices failed");
            None
        }
    }
}

/// A login from `device` succeeded: it stays known for another [`LIFETIME`] (and ahead of
/// browsers used less recently).
pub async fn touch(pool: &SqlitePool, device: &Known) -> sqlx::Result<()> {
    sqlx::query("UPDATE admin_devices SET last_login_at = ? WHERE token_hash = ?")
        .bind(now_ms())
        .bind(&device.hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The `Set-Cookie` value for a browser's token: HttpOnly, SameSite=Strict, for [`LIFETIME`].
pub fn cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        LIFETIME.as_secs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_strict_and_long_lived() {
        let c = cookie("abc", true);
        assert!(c.starts_with("classroom_admin_device=abc; Path=/; Max-Age=15552000"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert!(!cookie("abc", false).contains("Secure"));
    }
}
