//! Short-lived TURN credentials in the "TURN REST API" form that coturn checks with
//! `use-auth-secret` / `static-auth-secret`: the username is `<expiry>:<participant>` (expiry in
//! Unix seconds) and the password is base64(HMAC-SHA1(secret, username)). coturn recomputes the
//! password from the secret it shares with us and refuses an expired or forged username, so no
//! per-user state is kept anywhere and a leaked credential stops working at its expiry.
//!
//! Pure: the time comes in as an argument, so the room core (which has no clock) can call it in
//! `enter` with the `now` of its step.

use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::protocol::{IceServer, PeerId, UnixMillis};

/// How long credentials stay valid unless `--turn-ttl` says otherwise: one hour.
pub const DEFAULT_TTL_SECS: u64 = 60 * 60;
/// The longest validity handed out: a day. Longer values are clamped to it.
pub const MAX_TTL_SECS: u64 = 24 * 60 * 60;

/// The secret shared with the TURN server. Its `Debug` output hides it, so a logged `Config` or
/// `RoomSpec` cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnSecret(String);

impl TurnSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        TurnSecret(secret.into())
    }
}

impl fmt::Debug for TurnSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnSecret(<redacted>)")
    }
}

/// Parses `--turn-secret` (clap): any non-empty string.
pub fn parse_secret(raw: &str) -> Result<TurnSecret, String> {
    if raw.is_empty() {
        return Err("the TURN secret must not be empty".into());
    }
    Ok(TurnSecret::new(raw))
}

/// Parses `--turn-url`: `turn:` or `turns:`, a host, and no credentials of its own (they are made
/// per participant).
pub fn parse_url(raw: &str) -> Result<String, String> {
    let rest = raw
        .strip_prefix("turn:")
        .or_else(|| raw.strip_prefix("turns:"))
        .ok_or_else(|| format!("`{raw}` must start with turn: or turns:"))?;
    if rest.contains('@') {
        return Err(format!(
            "`{raw}`: no user:password@ here, credentials come from --turn-secret"
        ));
    }
    if rest.is_empty() || rest.starts_with('?') {
        return Err(format!("`{raw}` has no host"));
    }
    Ok(raw.to_string())
}

/// A TURN service with shared-secret credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnRest {
    pub urls: Vec<String>,
    pub secret: TurnSecret,
    /// Seconds a credential is valid, at most [`MAX_TTL_SECS`].
    pub ttl_secs: u64,
}

impl TurnRest {
    /// The TTL is clamped to 1 s ..= [`MAX_TTL_SECS`].
    pub fn new(urls: Vec<String>, secret: TurnSecret, ttl_secs: u64) -> Self {
        TurnRest {
            urls,
            secret,
            ttl_secs: ttl_secs.clamp(1, MAX_TTL_SECS),
        }
    }

    /// The ICE server entry for participant `peer` at time `now`.
    ///
    /// The participant part is the peer id alone, never the display name, and not the room id
    /// either: the username crosses the network in clear (STUN's USERNAME attribute), and the
    /// room id is what lets someone knock on the room.
    pub fn ice_server(&self, now: UnixMillis, peer: PeerId) -> IceServer {
        let expiry = now.div_euclid(1000).max(0) as u64 + self.ttl_secs;
        let (username, credential) = credentials(&self.secret, expiry, &peer.to_string());
        IceServer {
            urls: self.urls.clone(),
            username: Some(username),
            credential: Some(credential),
        }
    }
}

/// The username `expiry:participant` and its password base64(HMAC-SHA1(secret, username)).
pub fn credentials(
    secret: &TurnSecret,
    expiry_unix_secs: u64,
    participant: &str,
) -> (String, String) {
    let username = format!("{expiry_unix_secs}:{participant}");
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.0.as_bytes()).expect("HMAC accepts any key");
    mac.update(username.as_bytes());
    let credential = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    (username, credential)
}

/// What `joined.ice_servers` says to participant `peer`: the static `--ice-server` entries, then
/// the TURN entry with its fresh credentials when TURN is configured.
pub fn ice_servers(
    fixed: &[IceServer],
    turn: Option<&TurnRest>,
    now: UnixMillis,
    peer: PeerId,
) -> Vec<IceServer> {
    let mut servers = fixed.to_vec();
    servers.extend(turn.map(|t| t.ice_server(now, peer)));
    servers
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixMillis = 1_700_000_000_000;

    fn turn(ttl: u64) -> TurnRest {
        TurnRest::new(
            vec!["turn:turn.example.org:3478".into()],
            TurnSecret::new("north-wind-secret"),
            ttl,
        )
    }

    #[test]
    fn credentials_match_a_vector_computed_elsewhere() {
        // printf '1700003600:42' | openssl dgst -sha1 -hmac north-wind-secret -binary | base64
        let (user, pass) = credentials(&TurnSecret::new("north-wind-secret"), 1_700_003_600, "42");
        assert_eq!(user, "1700003600:42");
        assert_eq!(pass, "lX5Gk8AKmXn0FUqv/skP+33Jzio=");
    }

    #[test]
    fn expiry_is_now_plus_ttl_in_unix_seconds() {
        let s = turn(3600).ice_server(NOW + 999, 42);
        assert_eq!(s.urls, vec!["turn:turn.example.org:3478"]);
        assert_eq!(s.username.as_deref(), Some("1700003600:42"));
        assert_eq!(
            s.credential.as_deref(),
            Some("lX5Gk8AKmXn0FUqv/skP+33Jzio=")
        );
        let later = turn(60).ice_server(NOW, 7);
        assert_eq!(later.username.as_deref(), Some("1700000060:7"));
    }

    #[test]
    fn ttl_is_clamped_to_a_day() {
        assert_eq!(turn(7 * 24 * 3600).ttl_secs, MAX_TTL_SECS);
        assert_eq!(turn(0).ttl_secs, 1);
        assert_eq!(turn(DEFAULT_TTL_SECS).ttl_secs, 3600);
        let s = turn(u64::MAX).ice_server(NOW, 1);
        assert_eq!(s.username.as_deref(), Some("1700086400:1"));
    }

    #[test]
    fn without_turn_the_fixed_servers_are_unchanged() {
        let fixed = vec![IceServer {
            urls: vec!["stun:stun.example.org:3478".into()],
            username: None,
            credential: None,
        }];
        assert_eq!(ice_servers(&fixed, None, NOW, 1), fixed);
        let with = ice_servers(&fixed, Some(&turn(3600)), NOW, 1);
        assert_eq!(with.len(), 2);
        assert_eq!(with[0], fixed[0]);
        assert_eq!(with[1].username.as_deref(), Some("1700003600:1"));
    }

    #[test]
    fn participants_get_different_credentials() {
        let t = turn(3600);
        assert_ne!(t.ice_server(NOW, 1), t.ice_server(NOW, 2));
    }

    #[test]
    fn the_secret_is_not_in_debug_output() {
        let shown = format!("{:?}", turn(3600));
        assert!(!shown.contains("north-wind"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn urls_and_secrets_are_checked() {
        assert!(parse_url("turn:127.0.0.1:3478").is_ok());
        assert!(parse_url("turns:turn.example.org:443?transport=tcp").is_ok());
        assert!(parse_url("stun:127.0.0.1:3478").is_err());
        assert!(parse_url("turn:ann:pw@host").is_err());
        assert!(parse_url("turn:").is_err());
        assert!(parse_secret("").is_err());
    }
}
