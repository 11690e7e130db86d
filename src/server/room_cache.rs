//! Rooms the room page looked up recently, kept in memory so that a page view does not wait for
//! SQLite (issue 11: the room page's one query was most of its cost).
//!
//! Only rooms that exist are kept, at most [`CAPACITY`] of them (least recently used go first):
//! anyone may ask for any `/r/<slug>`, and a cache of misses would let them fill memory. Every code
//! path that changes what the page shows of a room (close, reopen, delete, idle close) calls
//! [`RoomCache::forget`] or [`RoomCache::forget_all`] *after* its write.
//!
//! A lookup racing such a write must not put the old row back: each lookup notes the cache's
//! generation before reading the database and stores its row only if no forget happened since.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;
use sqlx::SqlitePool;

use crate::api::rooms::RoomInfo;
use crate::server::store;

/// Most rooms kept (~200 B each): far more than the rooms live on one server at a time.
pub const CAPACITY: usize = 4096;

/// The cache; one per server, in `AppState`.
pub struct RoomCache {
    inner: Mutex<Inner>,
}

struct Inner {
    rooms: LruCache<String, RoomInfo>,
    /// Bumped by every forget: a lookup that started before it may not store what it read.
    generation: u64,
}

impl RoomCache {
    /// An empty cache holding at most `capacity` rooms (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        RoomCache {
            inner: Mutex::new(Inner {
                rooms: LruCache::new(capacity),
                generation: 0,
            }),
        }
    }

    /// The room with this id, open or closed, from memory or else from the database.
    pub async fn find(&self, pool: &SqlitePool, id: &str) -> sqlx::Result<Option<RoomInfo>> {
        let generation = {
            let mut inner = self.lock();
            if let Some(room) = inner.rooms.get(id) {
                return Ok(Some(room.clone()));
            }
            inner.generation
        };
        let Some(row) = store::find_room(pool, id).await? else {
            // Not kept: unknown ids are anyone's to invent.
            return Ok(None);
        };
        let room = RoomInfo {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            closed_at: row.closed_at,
        };
        self.keep(generation, room.clone());
        Ok(Some(room))
    }

    /// Stores `room` as read by a lookup that began at `generation`, unless a forget came since.
    fn keep(&self, generation: u64, room: RoomInfo) {
        let mut inner = self.lock();
        if inner.generation == generation {
            inner.rooms.put(room.id.clone(), room);
        }
    }

    /// Call after changing room `id` in the database: the next lookup reads it again.
    pub fn forget(&self, id: &str) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.rooms.pop(id);
    }

    /// Call after changing rooms in bulk (the idle-room close).
    pub fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.rooms.clear();
    }

    /// Bumped by every forget: what was derived from a room before it may be out of date.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// How many rooms are kept.
    pub fn len(&self) -> usize {
        self.lock().rooms.len()
    }

    /// Whether no room is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; if something did, the map is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests;
