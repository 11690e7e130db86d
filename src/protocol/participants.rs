//! Who is in a call and what they send, as both sides describe it: participants, their media, the
//! room summary, ICE servers and the media topology.

use serde::{Deserialize, Serialize};

use super::{Hand, PeerId};

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
    /// Every browser connects once, to the server's media peer ([`super::MEDIA_PEER`]), which
    /// forwards everyone's audio and video (docs/protocol.md "Media topology").
    Sfu,
    /// A topology this build does not know; clients still connect to the peers they are told of.
    #[serde(other)]
    Other,
}
