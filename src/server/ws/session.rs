//! What one connection has done so far: not yet joined, or a member of a room with an attendance
//! row. Parses each admitted message and runs it through the hub.

use crate::protocol::{
    ClientMsg, ErrorCode, PeerId, ServerMsg, MAX_MEDIA_SIGNAL_BYTES, MAX_MESSAGE_BYTES, MEDIA_PEER,
};
use crate::server::hub::queue::WeakTx;
use crate::server::hub::{ConnId, JoinRequest, Joined, ResumeRequest, Tx};
use std::sync::Arc;

use super::SilenceWatch;
use crate::server::hub::Hub;
use crate::server::listen::Shutdown;
use crate::server::{metrics, rooms, AppState, Config};

/// What a connection uses of the server's state. Every connection's task keeps it for its whole
/// life, and the whole `AppState` (page options, caches, limits) is ~250 bytes of it.
pub struct Services {
    pub hub: Arc<Hub>,
    pub config: Arc<Config>,
    pub pool: sqlx::SqlitePool,
    pub shutdown: Shutdown,
    pub silence: Arc<SilenceWatch>,
}

impl From<AppState> for Services {
    fn from(state: AppState) -> Self {
        Services {
            hub: state.hub,
            config: state.config,
            pool: state.pool,
            shutdown: state.shutdown,
            silence: state.silence,
        }
    }
}

/// Where a joined connection is, for the leave path.
struct Membership {
    room_id: String,
    /// The member it speaks for: its own id after a `join`, the resumed member's after `resume`.
    peer: PeerId,
}

/// How the connection ended, for the leave path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Departure {
    /// Lost, closed by the client without `leave`, or the server restarting: the member's place is
    /// kept for the grace period.
    Lost,
    /// The page went away (close code 1001: the tab was closed or navigated away) or the server
    /// closed the connection for breaking a rule: the member goes now.
    Gone,
}

/// One connection's view of the room it is in.
pub struct Session {
    pub state: Services,
    /// This connection's number (also its peer id unless it resumed another member's place).
    conn: ConnId,
    /// The client's address, told to the room (a student turned away may not knock again at once).
    address: String,
    /// The queue's sender while not in a room; once joined the hub holds it and we keep a weak one,
    /// so the hub dropping it (leave, kick) closes the queue and ends the connection.
    tx: Option<Tx>,
    weak: WeakTx,
    membership: Option<Membership>,
    /// Joins refused on this connection so far (see [`Session::refused_too_often`]).
    refused_joins: u8,
}

/// Refused joins after which the connection is closed: a person retries once or twice (a typo in
/// the link, a full room); a script looping `join` made two database reads for each.
const MAX_REFUSED_JOINS: u8 = 5;
/// Longest teacher key looked at: real ones are 32 characters; a longer one is refused before
/// it is hashed under the hub's lock.
const MAX_KEY_BYTES: usize = 128;

impl Session {
    /// A connection that has not joined yet and owns its queue.
    pub fn new(state: AppState, conn: ConnId, address: String, tx: Tx) -> Self {
        Self::new_with(state.into(), conn, address, tx)
    }

    fn new_with(state: Services, conn: ConnId, address: String, tx: Tx) -> Self {
        Session {
            state,
            conn,
            address,
            weak: tx.downgrade(),
            tx: Some(tx),
            membership: None,
            refused_joins: 0,
        }
    }

    /// This connection's number.
    pub fn conn(&self) -> ConnId {
        self.conn
    }

    /// Whether this connection was refused [`MAX_REFUSED_JOINS`] joins or resumes: it is closed.
    pub fn refused_too_often(&self) -> bool {
        self.refused_joins >= MAX_REFUSED_JOINS
    }

    /// Whether this connection is in a room.
    pub fn is_joined(&self) -> bool {
        self.membership.is_some()
    }

    /// Handles one admitted text message.
    pub async fn on_text(&mut self, text: &str) {
        if text.len() > MAX_MEDIA_SIGNAL_BYTES {
            return self.reply(ServerMsg::error(ErrorCode::TooLarge));
        }
        // Only a description to the media peer may be larger than an ordinary message.
        let large = text.len() > MAX_MESSAGE_BYTES;
        let msg: ClientMsg = match serde_json::from_str(text) {
            Ok(msg @ ClientMsg::Signal { to: MEDIA_PEER, .. }) => msg,
            Ok(_) | Err(_) if large => return self.reply(ServerMsg::error(ErrorCode::TooLarge)),
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
            // Boxed: the room lookup's future is most of this one's size, and every connection's
            // task would otherwise reserve room for it for its whole life.
            (None, msg @ ClientMsg::Join { .. }) => Box::pin(self.join(msg)).await,
            (None, ClientMsg::Resume { room, token, media }) => self.resume(room, token, media),
            (None, _) => self.reply(ServerMsg::error(ErrorCode::NotJoined)),
            (Some(_), ClientMsg::Join { .. } | ClientMsg::Resume { .. }) => {
                self.reply(ServerMsg::error(ErrorCode::AlreadyJoined))
            }
            (Some(m), msg) => self.state.hub.handle(&m.room_id, m.peer, self.conn, msg),
        }
    }

    /// Takes back a place this client had (no database read: only a live room has places).
    fn resume(&mut self, room: String, token: String, media: crate::protocol::MediaState) {
        let Some(tx) = self.tx.take() else {
            return self.reply(ServerMsg::error(ErrorCode::AlreadyJoined));
        };
        let request = ResumeRequest {
            conn: self.conn,
            room: room.clone(),
            token,
            media,
        };
        match self.state.hub.resume(request, tx) {
            Joined::No(tx) => {
                self.tx = Some(tx);
                self.refused_joins += 1;
            }
            Joined::Yes(peer) => {
                tracing::info!(peer, conn = self.conn, room = %room, "resumed");
                metrics::resumed();
                self.membership = Some(Membership {
                    room_id: room,
                    peer,
                });
            }
        }
    }

    async fn join(&mut self, msg: ClientMsg) {
        // Every way out but a membership is a refusal.
        self.refused_joins += 1;
        let ClientMsg::Join {
            room,
            name,
            teacher_key,
            ..
        } = &msg
        else {
            return;
        };
        // What the room would refuse anyway is refused before the database is read.
        if crate::protocol::clean_name(name).is_none() {
            return self.reply(ServerMsg::error(ErrorCode::InvalidName));
        }
        if teacher_key
            .as_ref()
            .is_some_and(|k| k.len() > MAX_KEY_BYTES)
        {
            return self.reply(ServerMsg::error(ErrorCode::BadTeacherKey));
        }
        let spec = match rooms::spec(&self.state.pool, &self.state.config, room).await {
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
            peer: self.conn,
            address: self.address.clone(),
            msg,
        };
        match self.state.hub.join(spec, request, tx) {
            Joined::No(tx) => self.tx = Some(tx),
            Joined::Yes(peer) => {
                tracing::info!(peer, room = %room_id, "joined");
                self.membership = Some(Membership { room_id, peer });
                self.refused_joins -= 1;
            }
        }
    }

    /// The leave path: runs once, however the connection ended. (Attendance is the room's record.)
    pub async fn leave(&mut self, how: Departure) {
        let Some(m) = self.membership.take() else {
            return;
        };
        match how {
            Departure::Lost => self.state.hub.lost(&m.room_id, m.peer, self.conn),
            Departure::Gone => self.state.hub.leave(&m.room_id, m.peer, self.conn),
        }
        tracing::info!(peer = m.peer, conn = self.conn, room = %m.room_id, ?how, "connection ended");
    }

    /// The connection's queue: its own until it joins, then the hub's while the hub keeps it.
    fn queue(&self) -> Option<Tx> {
        self.tx.clone().or_else(|| self.weak.upgrade())
    }

    /// Queues a WebSocket ping behind whatever is queued for the client.
    pub fn ping(&self) {
        if let Some(tx) = self.queue() {
            tx.ping();
        }
    }

    /// Queues a reply to this connection only; dropped if its queue is full (it is not reading).
    pub fn reply(&self, msg: ServerMsg) {
        if let Some(tx) = self.queue() {
            metrics::count_refusal(&msg);
            let _ = tx.try_send(msg);
        }
    }
}

/// The leave path for a task that never reached [`Session::leave`]: it panicked, or the runtime
/// dropped it at shutdown while it waited on a write. The member is let go as lost (it keeps its
/// place and may resume), so no room keeps a link to a connection that is gone.
impl Drop for Session {
    fn drop(&mut self) {
        if let Some(m) = self.membership.take() {
            self.state.hub.lost(&m.room_id, m.peer, self.conn);
        }
    }
}

#[cfg(test)]
mod tests;
