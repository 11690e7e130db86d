//! The signaling wire protocol: JSON text frames over one WebSocket at `/ws`.
//!
//! Compiled into both the server and the browser so the two can never disagree. Every message is an
//! object with a `type` tag in `snake_case`. Receivers ignore fields they do not know, so the server
//! can grow (an SFU peer, classroom roles) without breaking older clients. `docs/protocol.md` is the
//! human-readable contract of this file and must change with it.

mod names;
mod signal;

use serde::{Deserialize, Serialize};

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
    /// A message type this build does not know (from a newer server): ignored.
    #[serde(other)]
    Unknown,
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
        assert_eq!(clean_name("\u{200B}"), None);
        assert_eq!(clean_name(&"가".repeat(41)), None);
    }

    /// A newer server may add message types, roles, topologies, error codes and signal kinds: this
    /// build must still read every message it knows and skip the rest, never fail a whole message.
    #[test]
    fn a_newer_servers_messages_still_parse() {
        let joined: ServerMsg = serde_json::from_str(
            r#"{"type":"joined","you":1,"role":"observer","room":{"id":"r","name":"n","capacity":6},
                "peers":[{"id":2,"name":"T","role":"co_teacher","media":{"audio":true,"video":true},"hand":1}],
                "ice_servers":[],"topology":"sfu","resume_token":"x"}"#,
        )
        .unwrap();
        let ServerMsg::Joined {
            role,
            peers,
            topology,
            ..
        } = joined
        else {
            panic!("not joined: {joined:?}");
        };
        assert_eq!(
            (role, peers[0].role, topology),
            (Role::Other, Role::Other, Topology::Other)
        );
        let future: ServerMsg = serde_json::from_str(r#"{"type":"hand_raised","peer":3}"#).unwrap();
        assert_eq!(future, ServerMsg::Unknown);
        let err: ServerMsg =
            serde_json::from_str(r#"{"type":"error","code":"waiting_room","message":"m"}"#)
                .unwrap();
        assert!(matches!(
            err,
            ServerMsg::Error {
                code: ErrorCode::Unknown,
                ..
            }
        ));
        let sig: ServerMsg =
            serde_json::from_str(r#"{"type":"signal","from":2,"data":{"kind":"layers"}}"#).unwrap();
        assert_eq!(
            sig,
            ServerMsg::Signal {
                from: 2,
                data: Signal::Unknown
            }
        );
    }
}
