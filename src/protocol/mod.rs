//! The signaling wire protocol: JSON text frames over one WebSocket at `/ws`.
//!
//! Compiled into both the server and the browser so the two can never disagree. Every message is an
//! object with a `type` tag in `snake_case`. Receivers ignore fields they do not know, so the server
//! can grow (an SFU peer, classroom roles) without breaking older clients. `docs/protocol.md` is the
//! human-readable contract of this file and must change with it.

mod classroom;
mod names;
mod signal;

use serde::{Deserialize, Serialize};

pub use classroom::{
    clean_chat, ChatLine, EndedReason, Hand, Knock, Settings, SettingsChange, UnixMillis,
    MAX_CHAT_CHARS,
};
pub use names::{clean_text, NameProblem};
pub use signal::{SdpType, Signal, MAX_CANDIDATE_BYTES};

/// Server-assigned id of one connection in one room. The server stamps it on everything it relays,
/// so a client can never speak for another.
pub type PeerId = u64;

/// Largest text frame the server reads as a message. SDP with many codecs is ~10 KB; anything
/// much larger is a bug or an attack, refused with [`ErrorCode::TooLarge`].
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Longest display name, in characters, after trimming.
pub const MAX_NAME_CHARS: usize = 40;

/// Messages a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// First message on a connection: enter a room.
    Join {
        room: String,
        name: String,
        /// The secret from the teacher link; absent for students.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        teacher_key: Option<String>,
        #[serde(default)]
        media: MediaState,
    },
    /// Relay `data` to peer `to` in the same room. `from`, if present, must be the sender's own id.
    Signal {
        to: PeerId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<PeerId>,
        data: Signal,
    },
    /// The sender's microphone/camera changed; told to everyone else.
    Media(MediaState),
    /// Leave the room. The server tells the others and closes the connection; join again on a new one.
    Leave,
    /// Student: ask for the word. Queued in order; teachers see the queue.
    RaiseHand,
    /// Lower a hand: your own, or (teachers) a student's `peer`.
    LowerHand {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        peer: Option<PeerId>,
    },
    /// Write in the class chat.
    Chat { text: String },
    /// Teacher: let a waiting student in.
    Admit { peer: PeerId },
    /// Teacher: turn a waiting student away.
    Deny { peer: PeerId },
    /// Teacher: let everyone waiting in (as far as the room has places).
    AdmitAll,
    /// Teacher: turn a student's microphone off.
    Mute { peer: PeerId },
    /// Teacher: turn every student's microphone off.
    MuteAll,
    /// Teacher: give a student the word (lowers their hand; they may unmute even while locked).
    AllowSpeak { peer: PeerId },
    /// Teacher: take the word back (the student is muted).
    RevokeSpeak { peer: PeerId },
    /// Teacher: send a student out of the class.
    Remove { peer: PeerId },
    /// Teacher: change some of the room's settings.
    Settings(SettingsChange),
    /// Teacher: end the class for everyone and close the room.
    EndClass,
}

/// Messages the server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Reply to a successful `join`.
    Joined {
        you: PeerId,
        role: Role,
        room: RoomSummary,
        /// Everyone already in the room; connect to each of them.
        peers: Vec<PeerInfo>,
        ice_servers: Vec<IceServer>,
        /// How media flows; only `mesh` exists today. Clients connect to whatever peers they are told.
        topology: Topology,
        #[serde(default)]
        settings: Settings,
        /// Teachers only: who is waiting to be let in.
        #[serde(default)]
        waiting: Vec<Knock>,
        /// The class chat so far, oldest first.
        #[serde(default)]
        chat: Vec<ChatLine>,
    },
    /// Reply to a student's `join` while the class is behind the waiting room: wait for `joined`
    /// (admitted) or `ended` (denied). Nothing of the class is sent before that.
    Waiting {
        you: PeerId,
        room: RoomSummary,
    },
    /// Teachers: a student knocked.
    Knock {
        knock: Knock,
    },
    /// Teachers: a knock is over (admitted, denied, or the student left).
    KnockEnded {
        peer: PeerId,
    },
    PeerJoined {
        peer: PeerInfo,
    },
    PeerLeft {
        peer: PeerId,
    },
    /// A relayed signal; `from` is stamped by the server.
    Signal {
        from: PeerId,
        data: Signal,
    },
    Media {
        peer: PeerId,
        media: MediaState,
    },
    /// A participant's hand, right to speak or media changed by the server (by a teacher's action,
    /// named in `by`). About yourself: turn off what is now off.
    PeerUpdated {
        peer: PeerInfo,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// The room's settings changed.
    Settings {
        settings: Settings,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// A chat message.
    Chat {
        line: ChatLine,
    },
    /// Your stay is over (removed, denied, class ended; `by`: the teacher's name). The server closes
    /// the connection next.
    Ended {
        reason: EndedReason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// A request was refused. The connection stays open unless said otherwise in the protocol doc.
    Error {
        code: ErrorCode,
        message: String,
    },
    /// A message type this build does not know (from a newer server): ignored.
    #[serde(other)]
    Unknown,
}

/// Whether a participant's microphone, camera and screen share are sending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaState {
    pub audio: bool,
    pub video: bool,
    /// A screen share is on (its track is a second video stream on the same connection).
    #[serde(default)]
    pub screen: bool,
}

/// What a participant may do. Teachers joined through the teacher link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Teacher,
    Student,
    /// A role this build does not know (from a newer server); shown like a student.
    #[serde(other)]
    Other,
}

/// A participant as others see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerInfo {
    pub id: PeerId,
    pub name: String,
    pub role: Role,
    /// As the server holds it: a student muted by a teacher is `audio: false` here whatever their
    /// client claims, and receivers play their audio only while `audio && may_speak`.
    pub media: MediaState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand: Option<Hand>,
    /// Whether they may unmute: always for teachers; for students unless microphones are locked
    /// and they were not given the word.
    #[serde(default = "yes")]
    pub may_speak: bool,
}

fn yes() -> bool {
    true
}

/// The room as the join reply describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub id: String,
    pub name: String,
    pub capacity: usize,
}

/// One entry of `RTCConfiguration.iceServers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// How media is routed in a room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topology {
    /// Every browser connects to every other.
    Mesh,
    /// A topology this build does not know; clients still connect to the peers they are told of.
    #[serde(other)]
    Other,
}

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

/// A display name as others will see it (the rule of [`clean_text`]); `None` if it is empty or too
/// long.
pub fn clean_name(raw: &str) -> Option<String> {
    clean_text(raw, MAX_NAME_CHARS).ok()
}

#[cfg(test)]
mod tests;
