//! Bugs found once and fixed, kept as tests of the behaviour we want.

mod common;

use std::time::Duration;

use common::{wait_row_closed, TestServer};
use tokio_tungstenite::MaybeTlsStream;

/// ws.rs `run` races `conn.receive()` against the send task with `tokio::select!`. If the send task
/// ends (the socket died) while `receive` is inside `join`, awaiting the attendance INSERT, the
/// receive future is dropped before `membership` is set, so `conn.leave()` does nothing: the hub
/// keeps a ghost member (no `peer_left` until some later message to it fails) and the participation
/// row, which sqlx still inserts, never gets a `left_at`.
#[tokio::test]
async fn a_socket_lost_while_its_join_is_being_recorded_still_leaves() {
    let srv = TestServer::start().await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (mut a, _) = srv.join("room1", "A").await;

    // Hold SQLite's write lock so B's attendance INSERT waits (busy_timeout is 5 s).
    let mut lock = srv.pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let (b, b_id) = srv.join("room1", "B").await;
    a.expect_peer_joined("B").await;
    // Vanish with a RST, so the server's next ping (every 3 s) fails and its send task ends.
    if let MaybeTlsStream::Plain(s) = b.ws.get_ref() {
        s.set_zero_linger().unwrap();
    }
    drop(b);
    tokio::time::sleep(Duration::from_secs(4)).await;
    sqlx::query("ROLLBACK").execute(&mut *lock).await.unwrap();
    drop(lock);

    // Nobody else speaks: B's departure must be noticed on its own.
    a.expect_peer_left(b_id).await;
    let (joined, left) = wait_row_closed(&srv.pool, "B").await;
    assert!(left >= joined);
}

/// leptos_meta 0.8.7 writes `<title>` text into the SSR head without escaping it (leptos_meta
/// src/lib.rs, `buf.push_str(&title)`), and src/pages/room.rs passes the room's name, which anyone
/// can choose on the home page, to `<Title text=…>`. A name that closes the title injects markup
/// into every visitor's page: stored XSS (no CSP header is sent).
#[tokio::test]
async fn a_room_name_cannot_break_out_of_the_title() {
    let srv = TestServer::start().await;
    let evil = "</title><script>alert(1)</script>";
    srv.room("room1", evil, "key1").await;
    let res = srv.http("GET", "/r/room1", &[], "").await;
    assert_eq!(res.status, 200);
    assert!(
        !res.body.contains(evil),
        "the name reached the page as markup"
    );
    assert!(
        res.body.contains("<title>&lt;/title"),
        "the title shows the name as text: {}",
        res.body
    );
}

/// Leptos finds the routes by rendering the app once, in an owner it drops at once. That render
/// starts effects (leptos_i18n's language effect is isomorphic: it runs on the server too), spawned
/// on the caller's runtime, where a worker could run one while the owner was being dropped: a
/// panic on a disposed signal, which failed a clean-clone CI run (`tests/sfu_signaling.rs`, one
/// panic). Too rare to catch in the act (4,000 routers built beside busy threads never did), so
/// this checks the cause: building the router leaves no task on the runtime it is called from.
#[test]
fn building_the_router_leaves_no_effect_on_the_servers_runtime() {
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let srv = server_rt.block_on(TestServer::start());
    // A runtime nobody drives: whatever building the router spawns stays there to be counted.
    let idle = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let left = {
        let _inside = idle.enter();
        drop(classroom::server::router(srv.state.clone()));
        idle.metrics().num_alive_tasks()
    };
    assert_eq!(left, 0, "tasks the route list's render left on the runtime");
    server_rt.block_on(async move { drop(srv) });
}
