//! The signaling wire protocol: JSON text frames over one WebSocket at `/ws`.
//!
//! Compiled into both the server and the browser so the two can never disagree. Every message is an
//! object with a `type` tag in `snake_case`. Receivers ignore fields they do not know, so the server
//! can grow (an SFU peer, classroom roles) without breaking older clients. `docs/protocol.md` is the
//! human-readable contract of this file and must change with it.

use serde::{Deserialize, Serialize};

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
    /// A request was refused. The connection stays open unless said otherwise in the protocol doc.
    Error {
        code: ErrorCode,
        message: String,
    },
}

/// WebRTC negotiation payloads, relayed as they are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// An SDP offer or answer (`sdp_type` is `offer`, `answer`, `pranswer` or `rollback`).
    Description { sdp_type: String, sdp: String },
    /// A trickled ICE candidate; an empty `candidate` marks the end of gathering.
    Candidate {
        candidate: String,
        #[serde(default)]
        sdp_mid: Option<String>,
        #[serde(default)]
        sdp_m_line_index: Option<u16>,
    },
}

/// Whether a participant's microphone and camera are sending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaState {
    pub audio: bool,
    pub video: bool,
}

/// What a participant may do. Teachers joined through the teacher link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Teacher,
    Student,
}

/// A participant as others see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerInfo {
    pub id: PeerId,
    pub name: String,
    pub role: Role,
    pub media: MediaState,
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
    #[error("the server had a problem; try again")]
    Internal,
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

/// Trims a display name and checks its length; `None` if it is empty or too long.
pub fn clean_name(raw: &str) -> Option<String> {
    let name: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    let count = name.chars().count();
    (1..=MAX_NAME_CHARS).contains(&count).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_the_documented_shape() {
        let join: ClientMsg =
            serde_json::from_str(r#"{"type":"join","room":"r1","name":"Minji"}"#).unwrap();
        assert_eq!(
            join,
            ClientMsg::Join {
                room: "r1".into(),
                name: "Minji".into(),
                teacher_key: None,
                media: MediaState::default()
            }
        );
        let media: ClientMsg =
            serde_json::from_str(r#"{"type":"media","audio":true,"video":false}"#).unwrap();
        assert_eq!(
            media,
            ClientMsg::Media(MediaState {
                audio: true,
                video: false
            })
        );
        let out = serde_json::to_string(&ServerMsg::PeerLeft { peer: 7 }).unwrap();
        assert_eq!(out, r#"{"type":"peer_left","peer":7}"#);
        let err = serde_json::to_string(&ServerMsg::error(ErrorCode::RoomFull)).unwrap();
        assert_eq!(
            err,
            r#"{"type":"error","code":"room_full","message":"the room is full"}"#
        );
    }

    #[test]
    fn unknown_fields_are_ignored_for_forward_compatibility() {
        let msg: ClientMsg = serde_json::from_str(r#"{"type":"leave","future_field":1}"#).unwrap();
        assert_eq!(msg, ClientMsg::Leave);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  Minji \n"), Some("Minji".into()));
        assert_eq!(clean_name("   "), None);
        assert_eq!(clean_name(&"가".repeat(40)), Some("가".repeat(40)));
        assert_eq!(clean_name(&"가".repeat(41)), None);
    }
}
