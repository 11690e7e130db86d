//! How the server says no: error codes (stable strings clients match on) and WebSocket close codes.

use serde::{Deserialize, Serialize};

use super::ServerMsg;

/// Why a request was refused. Stable strings: clients match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    #[error("the message is not valid JSON of a known type")]
    BadMessage,
    #[error("the message is larger than the limit")]
    TooLarge,
    #[error("no open room has that id")]
    UnknownRoom,
    #[error("the room is full")]
    RoomFull,
    #[error("the name must be 1 to 40 characters")]
    InvalidName,
    #[error("the teacher key is not valid for this room")]
    BadTeacherKey,
    #[error("the attendee token must be 16 to 64 letters, digits, '-' or '_'")]
    InvalidAttendee,
    #[error("the resume token is unknown or expired; join again")]
    ResumeFailed,
    #[error("join a room first")]
    NotJoined,
    #[error("this connection has already joined")]
    AlreadyJoined,
    #[error("no such peer in this room")]
    UnknownPeer,
    #[error("`from` must be your own peer id")]
    SpoofedSender,
    #[error("the signal cannot be relayed")]
    BadSignal,
    #[error("slow down: you are sending faster than the server or the receiver accepts")]
    RateLimited,
    #[error("only a teacher may do that, or a teacher turned it off")]
    Forbidden,
    #[error("wait until a teacher lets you in")]
    NotAdmitted,
    #[error("a teacher locked the room")]
    RoomLocked,
    #[error("a teacher turned you away; try again in a minute")]
    TryLater,
    #[error("the server had a problem; try again")]
    Internal,
    /// A code this build does not know (from a newer server).
    #[serde(other)]
    #[error("the server refused the request")]
    Unknown,
}

/// WebSocket close codes the server uses, with the reason text it sends.
pub mod close {
    /// After `leave`, or when the server drops a client that stopped reading.
    pub const NORMAL: u16 = 1000;
    /// Sent by a browser whose page is closed or navigated away: that client leaves at once (any
    /// other close, or a lost connection, keeps its place for the grace period).
    pub const GOING_AWAY: u16 = 1001;
    /// A text frame that is not UTF-8.
    pub const INVALID_DATA: u16 = 1007;
    /// Over the message budget again and again, or no `join` within the time allowed.
    pub const POLICY: u16 = 1008;
    /// A frame above the transport limit (1 MiB).
    pub const TOO_BIG: u16 = 1009;
    /// The server is shutting down or restarting: connect again in a moment.
    pub const RESTARTING: u16 = 1012;
}

impl ServerMsg {
    /// An error reply whose message is the code's standard text.
    pub fn error(code: ErrorCode) -> Self {
        ServerMsg::Error {
            code,
            message: code.to_string(),
        }
    }
}
