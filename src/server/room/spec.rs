//! What a room is made from: its stored row and the server's settings for rooms.

use crate::protocol::{ChatLine, IceServer, UnixMillis};

/// What a room needs to know from storage.
#[derive(Clone, Debug, PartialEq)]
pub struct RoomSpec {
    pub id: String,
    pub name: String,
    /// Hex SHA-256 of the teacher key; the key itself is never kept.
    pub teacher_key_hash: String,
    pub capacity: usize,
    /// The most admitted members a mesh carries: past it the room moves to the media server. At or
    /// above `capacity` (no media server) it never does.
    pub mesh_size: usize,
    /// STUN/TURN servers with fixed credentials (`--ice-server`), the same for everyone.
    pub ice_servers: Vec<IceServer>,
    /// A TURN service with shared-secret credentials: each participant gets their own in `joined`.
    pub turn: Option<crate::server::turn::TurnRest>,
    /// The "let students in automatically" setting, kept with the room.
    pub auto_admit: bool,
    /// The latest chat messages of earlier sessions, oldest first.
    pub chat: Vec<ChatLine>,
    /// How long a member whose connection was lost keeps its place (`--resume-grace`).
    pub resume_grace: UnixMillis,
}
