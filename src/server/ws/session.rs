//! What one connection has done so far: not yet joined, or a member of a room with an attendance
//! row. Parses each admitted message and runs it through the hub.

use tokio::sync::mpsc;

use crate::protocol::{ClientMsg, ErrorCode, PeerId, ServerMsg, MAX_MESSAGE_BYTES};
use crate::server::hub::{JoinRequest, Joined, Tx};
use crate::server::room::{self, RoomSpec};
use crate::server::{metrics, store, AppState};

/// Where a joined connection is, for the leave path.
struct Membership {
    room_id: String,
}

/// One connection's view of the room it is in.
pub struct Session {
    pub state: AppState,
    peer: PeerId,
    /// The client's address, told to the room (a student turned away may not knock again at once).
    address: String,
    /// The queue's sender while not in a room; once joined the hub holds it and we keep a weak one,
    /// so the hub dropping it (leave, kick) closes the queue and ends the connection.
    tx: Option<Tx>,
    weak: mpsc::WeakSender<ServerMsg>,
    membership: Option<Membership>,
}

impl Session {
    /// A connection that has not joined yet and owns its queue.
    pub fn new(state: AppState, peer: PeerId, address: String, tx: Tx) -> Self {
        Session {
            state,
            peer,
            address,
            weak: tx.downgrade(),
            tx: Some(tx),
            membership: None,
        }
    }

    /// Whether this connection is in a room.
    pub fn is_joined(&self) -> bool {
        self.membership.is_some()
    }

    /// Handles one admitted text message.
    pub async fn on_text(&mut self, text: &str) {
        if text.len() > MAX_MESSAGE_BYTES {
            return self.reply(ServerMsg::error(ErrorCode::TooLarge));
        }
        let msg: ClientMsg = match serde_json::from_str(text) {
            Ok(msg) => msg,
            Err(e) => {
                let message = format!("not a valid message: {e}");
                return self.reply(ServerMsg::Error {
                    code: ErrorCode::BadMessage,
                    message,
                });
            }
        };
        match (&self.membership, msg) {
            (None, msg @ ClientMsg::Join { .. }) => self.join(msg).await,
            (None, _) => self.reply(ServerMsg::error(ErrorCode::NotJoined)),
            (Some(_), ClientMsg::Join { .. }) => {
                self.reply(ServerMsg::error(ErrorCode::AlreadyJoined))
            }
            (Some(m), msg) => self.state.hub.handle(&m.room_id, self.peer, msg),
        }
    }

    async fn join(&mut self, msg: ClientMsg) {
        let ClientMsg::Join { room, .. } = &msg else {
            return;
        };
        let spec = match self.room_spec(room).await {
            Ok(Some(spec)) => spec,
            Ok(None) => return self.reply(ServerMsg::error(ErrorCode::UnknownRoom)),
            Err(e) => {
                tracing::error!(error = %e, "room lookup failed");
                return self.reply(ServerMsg::error(ErrorCode::Internal));
            }
        };
        let room_id = spec.id.clone();
        // Only a connection that is not in a room gets here, and such a connection holds its queue.
        let Some(tx) = self.tx.take() else {
            return self.reply(ServerMsg::error(ErrorCode::AlreadyJoined));
        };
        let request = JoinRequest {
            peer: self.peer,
            address: self.address.clone(),
            msg,
        };
        match self.state.hub.join(spec, request, tx) {
            Joined::No(tx) => self.tx = Some(tx),
            Joined::Yes => {
                tracing::info!(peer = self.peer, room = %room_id, "joined");
                self.membership = Some(Membership { room_id });
            }
        }
    }

    /// What the room is, from the database: `None` if there is no open room with this id.
    async fn room_spec(&self, room: &str) -> sqlx::Result<Option<RoomSpec>> {
        let pool = &self.state.pool;
        let Some(row) = store::open_room(pool, room).await? else {
            return Ok(None);
        };
        // The chat history is read on every join: a room made live again must show it, and reading
        // 200 rows costs well under a millisecond.
        let chat = store::chat_history(pool, &row.id, room::chat::HISTORY as i64).await?;
        Ok(Some(RoomSpec {
            id: row.id,
            name: row.name,
            teacher_key_hash: row.teacher_key_hash,
            capacity: self.state.config.room_capacity.into(),
            ice_servers: self.state.config.ice_servers.clone(),
            turn: self.state.config.turn(),
            auto_admit: row.auto_admit,
            chat,
        }))
    }

    /// The leave path: runs once, however the connection ended. (Attendance is the room's record.)
    pub async fn leave(&mut self) {
        let Some(m) = self.membership.take() else {
            return;
        };
        self.state.hub.leave(&m.room_id, self.peer);
        tracing::info!(peer = self.peer, room = %m.room_id, "left");
    }

    /// Queues a reply to this connection only; dropped if its queue is full (it is not reading).
    pub fn reply(&self, msg: ServerMsg) {
        let tx = self.tx.clone().or_else(|| self.weak.upgrade());
        if let Some(tx) = tx {
            metrics::count_refusal(&msg);
            let _ = tx.try_send(msg);
        }
    }
}
