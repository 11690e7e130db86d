//! Rooms and members on the test server: storing rooms, connecting and joining clients, and
//! waiting for what the server records.

use classroom::protocol::PeerId;
use classroom::server::{secret, store};
use tokio_tungstenite::connect_async;

use super::{Client, TestServer};

impl TestServer {
    /// Stores an open room whose teacher key is `key`.
    pub async fn room(&self, id: &str, name: &str, key: &str) {
        store::create_room(&self.pool, id, name, &secret::hash(key), false)
            .await
            .expect("room stored");
    }

    /// Stores an open room whose students come straight in (auto-admit on): for tests of signaling
    /// rather than of the waiting room.
    pub async fn open_room(&self, id: &str, name: &str, key: &str) {
        store::create_room(&self.pool, id, name, &secret::hash(key), true)
            .await
            .expect("room stored");
    }

    /// Starts a server with one open room: `room1`, "Algebra II", teacher key `key1`, students let in
    /// automatically.
    pub async fn with_room() -> Self {
        let srv = Self::start().await;
        srv.open_room("room1", "Algebra II", "key1").await;
        srv
    }

    /// A connected, not yet joined, signaling client.
    pub async fn client(&self) -> Client {
        let (ws, _) = connect_async(format!("ws://{}/ws", self.addr))
            .await
            .expect("websocket connects");
        Client { ws }
    }

    /// Waits until every record rooms asked to keep so far (attendance, chat) is in the database.
    pub async fn flush(&self) {
        self.state.hub.recorder().flush().await;
    }

    /// The text of `GET /metrics`.
    pub async fn metrics(&self) -> String {
        self.http("GET", "/metrics", &[], "").await.body
    }

    /// Connects and joins `room` as a student; returns the client and its peer id.
    pub async fn join(&self, room: &str, name: &str) -> (Client, PeerId) {
        let mut c = self.client().await;
        let id = c.join(room, name).await;
        (c, id)
    }

    /// A, B and C in room1 (a full room at capacity 3), every join notice already read.
    pub async fn three_in_room(&self) -> [(Client, PeerId); 3] {
        let (mut a, a_id) = self.join("room1", "A").await;
        let (mut b, b_id) = self.join("room1", "B").await;
        let (c, c_id) = self.join("room1", "C").await;
        a.expect_peer_joined("B").await;
        a.expect_peer_joined("C").await;
        b.expect_peer_joined("C").await;
        [(a, a_id), (b, b_id), (c, c_id)]
    }
}
