use super::*;
use crate::server::db;

/// A fresh database in a temporary folder (kept alive by the returned guard) with rooms `a`, `b`.
async fn pool() -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let pool = db::connect(&url).await.unwrap();
    for id in ["a", "b"] {
        store::create_room(&pool, id, "Class", "hash", false)
            .await
            .unwrap();
    }
    (pool, dir)
}

async fn rename(pool: &SqlitePool, id: &str, name: &str) {
    sqlx::query("UPDATE rooms SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

async fn name(cache: &RoomCache, pool: &SqlitePool, id: &str) -> Option<String> {
    cache.find(pool, id).await.unwrap().map(|r| r.name)
}

#[tokio::test]
async fn a_room_is_read_once_until_forgotten() {
    let (pool, _dir) = pool().await;
    let cache = RoomCache::new(8);
    assert_eq!(name(&cache, &pool, "a").await.as_deref(), Some("Class"));
    // Behind the cache's back: still the kept copy, so the page did not query again.
    rename(&pool, "a", "Renamed").await;
    assert_eq!(name(&cache, &pool, "a").await.as_deref(), Some("Class"));
    cache.forget("a");
    assert_eq!(name(&cache, &pool, "a").await.as_deref(), Some("Renamed"));
    rename(&pool, "a", "Again").await;
    cache.forget_all();
    assert_eq!(name(&cache, &pool, "a").await.as_deref(), Some("Again"));
}

#[tokio::test]
async fn unknown_ids_are_not_kept() {
    let (pool, _dir) = pool().await;
    let cache = RoomCache::new(8);
    for i in 0..100 {
        assert_eq!(name(&cache, &pool, &format!("nope{i}")).await, None);
    }
    assert!(cache.is_empty());
    // A room created after a miss is found at once.
    store::create_room(&pool, "nope1", "Late", "hash", false)
        .await
        .unwrap();
    assert_eq!(name(&cache, &pool, "nope1").await.as_deref(), Some("Late"));
}

#[tokio::test]
async fn a_deleted_room_is_not_served_after_forget() {
    let (pool, _dir) = pool().await;
    let cache = RoomCache::new(8);
    assert!(name(&cache, &pool, "a").await.is_some());
    assert!(store::delete_room(&pool, "a").await.unwrap());
    cache.forget("a");
    assert_eq!(name(&cache, &pool, "a").await, None);
}

#[tokio::test]
async fn the_cache_is_bounded() {
    let (pool, _dir) = pool().await;
    let cache = RoomCache::new(1);
    name(&cache, &pool, "a").await;
    name(&cache, &pool, "b").await;
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_lookup_older_than_a_forget_is_not_kept() {
    let cache = RoomCache::new(8);
    let room = |name: &str| RoomInfo {
        id: "a".into(),
        name: name.into(),
        created_at: 0,
        closed_at: None,
    };
    // The lookup read the row, then the room was closed and forgotten before it stored it.
    let before = cache.lock().generation;
    cache.forget("a");
    cache.keep(before, room("stale"));
    assert!(cache.is_empty());
    let now = cache.lock().generation;
    cache.keep(now, room("fresh"));
    assert_eq!(cache.len(), 1);
}
