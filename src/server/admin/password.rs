//! The administrator password: hashed with argon2id, one row in SQLite.
//!
//! Argon2id (RustCrypto's `argon2`, its default parameters: 19 MiB, 2 passes) makes each guess at a
//! stolen hash expensive; hashing runs on the blocking pool so a login never stalls the runtime.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::{rngs::OsRng, TryRngCore};
use sqlx::SqlitePool;

use crate::server::db::now_ms;

/// Shortest password accepted, in characters.
pub const MIN_CHARS: usize = 8;
/// Longest password accepted, in characters (argon2 takes any length; a bound keeps requests small).
pub const MAX_CHARS: usize = 1024;

/// Why a password was not set.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error("the password must have {MIN_CHARS} to {MAX_CHARS} characters")]
    Length,
    #[error("the operating system's random generator failed")]
    Random,
    #[error("hashing failed: {0}")]
    Hash(String),
    #[error("the password could not be stored: {0}")]
    Store(#[from] sqlx::Error),
}

/// The PHC string (`$argon2id$v=19$…`) of `password` with a fresh 16-byte salt from the OS.
pub fn hash(password: &str) -> Result<String, SetError> {
    let mut salt = [0u8; 16];
    OsRng
        .try_fill_bytes(&mut salt)
        .map_err(|_| SetError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| SetError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SetError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `stored` (constant-time inside `argon2`).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The stored hash, if a password was ever set.
pub async fn stored(pool: &SqlitePool) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT hash FROM admin_password WHERE id = 1")
        .fetch_optional(pool)
        .await
}

/// Checks the length, hashes and stores `password`, replacing any earlier one, and ends every
/// session opened with the old password.
pub async fn set(pool: &SqlitePool, password: &str) -> Result<(), SetError> {
    let chars = password.chars().count();
    if !(MIN_CHARS..=MAX_CHARS).contains(&chars) {
        return Err(SetError::Length);
    }
    let password = password.to_string();
    let hashed = tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| SetError::Hash(e.to_string()))??;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO admin_password (id, hash, set_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
    )
    .bind(hashed)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM admin_sessions")
        .execute(&mut *tx)
        .await?;
    // A new password (perhaps the old one leaked): browsers earn their own budget again.
    sqlx::query("DELETE FROM admin_devices")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `password` is the administrator's (false when none is set). Verifies on the blocking pool.
pub async fn check(pool: &SqlitePool, password: &str) -> sqlx::Result<bool> {
    check_holding(pool, password, ()).await
}

/// [`check`] holding `slot` (a place in the cap on checks at once, `LoginLimit::check_slot`) until
/// argon2 is done: the blocking task keeps it, so a request dropped mid-check frees no place early.
pub async fn check_holding<S: Send + 'static>(
    pool: &SqlitePool,
    password: &str,
    slot: S,
) -> sqlx::Result<bool> {
    let Some(stored) = stored(pool).await? else {
        return Ok(false);
    };
    let password = password.to_string();
    let verified = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        verify(&password, &stored)
    });
    Ok(verified.await.unwrap_or(false))
}

/// At start-up: stores `CLASSROOM_ADMIN_PASSWORD` when no password is stored yet; a stored one wins
/// (the variable is meant for the first start of a container, not for changing the password).
pub async fn seed_from_env(pool: &SqlitePool) {
    let Ok(password) = std::env::var(ENV_VAR) else {
        return;
    };
    match stored(pool).await {
        Ok(None) => match set(pool, &password).await {
            Ok(()) => tracing::info!("administrator password set from {ENV_VAR}"),
            Err(e) => tracing::error!(error = %e, "{ENV_VAR} not used"),
        },
        Ok(Some(_)) => tracing::info!("{ENV_VAR} ignored: a password is already set"),
        Err(e) => tracing::error!(error = %e, "cannot read the administrator password"),
    }
}

/// The variable read by [`seed_from_env`].
pub const ENV_VAR: &str = "CLASSROOM_ADMIN_PASSWORD";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let (a, b) = (
            hash("correct horse").unwrap(),
            hash("correct horse").unwrap(),
        );
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse", &a));
        assert!(!verify("correct horsE", &a));
        assert!(!verify("correct horse", "not a hash"));
    }
}
