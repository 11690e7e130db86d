//! Starting after a stop: rooms that had people in them come back as their last saved state, with
//! everyone away, so every browser can resume its place within the grace period — after a SIGTERM
//! and after a `kill -9` alike. What cannot come back (the old run stopped too long ago, the room
//! was closed meanwhile) has its attendance closed at the old run's last heartbeat, as before.

use std::collections::HashSet;

use crate::protocol::PeerId;
use crate::server::db::now_ms;
use crate::server::records::Open;
use crate::server::room::{Room, Saved};
use crate::server::{rooms, store, AppState};

/// How long after the old run was last known alive its rooms are still restored. Beyond it, the
/// browsers have long given up on their place (the grace period is seconds); a server down for hours
/// brings nobody's place back.
pub const RESTORE_WINDOW_MS: i64 = 120_000;

/// What [`restore`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    pub rooms: usize,
    pub people: usize,
    /// Rows closed because nothing took them over (see [`store::close_dangling`]).
    pub dangling: store::Dangling,
}

/// Takes the saved rooms back into the hub, hands their open rows to the recorder, closes every
/// other row the old run left open, and keeps new peer ids clear of the old ones. Runs once, before
/// the server accepts connections.
pub async fn restore(state: &AppState) -> sqlx::Result<Restored> {
    let pool = &state.pool;
    let now = now_ms();
    let last_alive = store::last_beat(pool).await?;
    let mut highest = store::highest_peer_id(pool).await?;
    let mut done = Restored::default();
    let mut kept = store::Kept::default();
    let mut open = Open::default();
    let recent = last_alive.filter(|&at| now.saturating_sub(at) <= RESTORE_WINDOW_MS);
    let mut restored_ids = Vec::new();
    // An old run stopped too long ago brings nobody's place back: nothing is read.
    let saved = match recent {
        Some(last_alive) => (last_alive, store::live_rooms(pool).await?),
        None => (0, Vec::new()),
    };
    let (last_alive, saved) = saved;
    for (room_id, json) in saved {
        let saved: Saved = match serde_json::from_str(&json) {
            Ok(saved) => saved,
            Err(e) => {
                tracing::warn!(error = %e, room = %room_id, "a saved room state does not read");
                continue;
            }
        };
        // Closed or deleted since it was saved: nothing to come back to.
        let Some(spec) = rooms::spec(&state.pool, &state.config, &room_id).await? else {
            continue;
        };
        let members: HashSet<PeerId> = saved.peers().collect();
        highest = highest.max(members.iter().copied().max().unwrap_or(0));
        for (row, peer) in store::open_stays(pool, &room_id).await? {
            if members.contains(&peer) {
                kept.stays.push(row);
                open.stays.insert(peer, row);
            }
        }
        if let Some(session) = store::open_session(pool, &room_id).await? {
            kept.sessions.push(session);
            open.sessions.insert(room_id.clone(), session);
        }
        let (room, wake) = Room::restore(spec, saved, last_alive, now);
        done.rooms += 1;
        done.people += members.len();
        state.hub.restore(room_id.clone(), room, wake);
        restored_ids.push(room_id);
    }
    store::forget_live_rooms_but(pool, &restored_ids).await?;
    done.dangling = store::close_dangling(pool, &kept).await?;
    state.hub.recorder().adopt(open);
    state.hub.seed_peer_ids(highest);
    Ok(done)
}

/// [`restore`], logging what it did (the server starts either way).
pub async fn restore_and_log(state: &AppState) {
    match restore(state).await {
        Ok(r) => {
            if r.rooms > 0 {
                tracing::info!(
                    rooms = r.rooms,
                    people = r.people,
                    "restored the rooms of the last run; their people may resume"
                );
            }
            if r.dangling != store::Dangling::default() {
                tracing::warn!(
                    participations = r.dangling.participations,
                    sessions = r.dangling.sessions,
                    "closed attendance left open by the last run at its last heartbeat"
                );
            }
        }
        Err(e) => tracing::error!(error = %e, "cannot restore the last run's rooms"),
    }
}
