//! Creating a room, shared by the page's server function and `POST /api/rooms`: one name rule, one
//! per-address rate limit, one place that stores the key's hash.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::http::HeaderMap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::api::rooms::check_room_name;
use crate::protocol::NameProblem;
use crate::server::listen::client_key;
use crate::server::room::{self, RoomSpec};
use crate::server::{metrics, secret, store, AppState, Config};

/// The address a request is charged to: the TCP peer, or with `--trust-forwarded-for` (behind a
/// reverse proxy, where every peer is the proxy) the last `X-Forwarded-For` entry, which is the one
/// our proxy appended; earlier entries are whatever the client claimed.
pub fn client_ip(config: &Config, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    if config.trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|ip| ip.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

/// Room creations per client address (an IPv6 /64 counts as one, see [`client_key`]): a token
/// bucket that refills `per_minute` a minute.
pub struct CreationLimit(DefaultKeyedRateLimiter<IpAddr>);

impl CreationLimit {
    /// Allows `per_minute` creations a minute from one address, all at once if need be.
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        CreationLimit(RateLimiter::keyed(Quota::per_minute(n)))
    }

    /// Charges one creation to `ip`'s key (requests without a known address share one bucket).
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        let key = ip.map_or(IpAddr::from([0, 0, 0, 0]), client_key);
        self.0.check_key(&key).is_ok()
    }

    /// Forgets addresses whose bucket is full again, so the map does not grow forever.
    pub fn forget_idle(&self) {
        self.0.retain_recent();
    }
}

/// A room just stored: its id, its cleaned name, and the teacher key (shown once, never stored).
pub struct NewRoom {
    pub id: String,
    pub name: String,
    pub key: String,
}

/// Why a room was not created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("invalid class name")]
    Invalid(NameProblem),
    #[error("too many rooms created from this address; try again in a minute")]
    RateLimited,
    #[error("the room could not be stored")]
    Store(#[from] sqlx::Error),
}

/// Checks the name, charges the address and stores a new room (students let in automatically when
/// `auto_admit`).
pub async fn create(
    state: &AppState,
    ip: Option<IpAddr>,
    raw_name: &str,
    auto_admit: bool,
) -> Result<NewRoom, CreateError> {
    let name = check_room_name(raw_name).map_err(CreateError::Invalid)?;
    if !state.creation_limit.allow(ip) {
        return Err(CreateError::RateLimited);
    }
    let (id, key) = (secret::room_id(), secret::teacher_key());
    store::create_room(&state.pool, &id, &name, &secret::hash(&key), auto_admit)
        .await
        .inspect_err(|e| tracing::error!(error = %e, "storing a room failed"))?;
    tracing::info!(room = %id, "room created");
    metrics::room_created();
    Ok(NewRoom { id, name, key })
}

/// What room `id` is, from the database, for the hub: `None` if there is no open room with this id.
pub async fn spec(
    pool: &sqlx::SqlitePool,
    config: &Config,
    id: &str,
) -> sqlx::Result<Option<RoomSpec>> {
    let Some(row) = store::open_room(pool, id).await? else {
        return Ok(None);
    };
    // The chat history is read on every join: a room made live again must show it, and reading
    // 200 rows costs well under a millisecond.
    let chat = store::chat_history(pool, &row.id, room::chat::HISTORY as i64).await?;
    Ok(Some(RoomSpec {
        id: row.id,
        name: row.name,
        teacher_key_hash: row.teacher_key_hash,
        capacity: config.capacity(),
        mesh_size: config.mesh_size.into(),
        resume_grace: config.resume_grace_ms(),
        ice_servers: config.ice_servers.clone(),
        turn: config.turn(),
        auto_admit: row.auto_admit,
        chat,
    }))
}
