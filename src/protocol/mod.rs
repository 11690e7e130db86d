//! The signaling wire protocol: JSON text frames over one WebSocket at `/ws`.
//!
//! Compiled into both the server and the browser so the two can never disagree. Every message is an
//! object with a `type` tag in `snake_case`. Receivers ignore fields they do not know, so the server
//! can grow (an SFU peer, classroom roles) without breaking older clients. `docs/protocol.md` is the
//! human-readable contract of this file and must change with it.

mod classroom;
mod errors;
mod names;
mod participants;
mod signal;
mod tokens;
mod view;

use serde::{Deserialize, Serialize};

pub use classroom::{
    clean_chat, ChatLine, EndedReason, Hand, Knock, Settings, SettingsChange, UnixMillis,
    MAX_CHAT_CHARS,
};
pub use errors::{close, ErrorCode};
pub use names::{clean_name, clean_text, NameProblem, MAX_NAME_CHARS};
pub use participants::{IceServer, MediaState, PeerInfo, Role, RoomSummary, Topology};
pub use signal::{SdpType, Signal, MAX_CANDIDATE_BYTES};
pub use tokens::{valid_attendee, valid_resume_token};
pub use view::{Quality, Tile, MAX_VIEW_TILES};

/// Server-assigned id of one connection in one room. The server stamps it on everything it relays,
/// so a client can never speak for another.
pub type PeerId = u64;

/// The peer id of the server's media peer (the SFU) in a room whose topology is `sfu`: send it your
/// offer with `signal {to: 0}`; what it sends comes as `signal {from: 0}`. No participant has it.
pub const MEDIA_PEER: PeerId = 0;

/// Largest text frame the server reads as a message. SDP between two browsers is ~6–15 KB;
/// anything much larger is a bug or an attack, refused with [`ErrorCode::TooLarge`].
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Largest `signal` to the media peer ([`MEDIA_PEER`]). A browser's description to the media peer
/// carries an m-line for every track it receives, and Chromium writes ~6 KB per participant (its
/// offer for a class of 40 is ~240 KB): [`MAX_MESSAGE_BYTES`] would refuse a re-offer in a class of
/// eight, and a client whose offer is refused cannot renegotiate at all.
pub const MAX_MEDIA_SIGNAL_BYTES: usize = 512 * 1024;

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
        /// A random token the client keeps for this room (16–64 of `A–Z a–z 0–9 - _`), so that
        /// attendance counts its re-joins as one person; absent: every join is a new person.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attendee: Option<String>,
    },
    /// Instead of `join`, on a new connection after losing one: take your place back — the same peer
    /// id, role, admission, hand and right to speak — with the token from your last `joined` or
    /// `waiting`. Refused with `resume_failed` once the server has let you go; then `join` again.
    Resume {
        room: String,
        token: String,
        /// What you send now (it may have changed while you were away).
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
    /// The cameras you display and how large (topology `sfu`): the media peer forwards only these,
    /// replacing your previous `view`. Accepted and ignored in a mesh.
    View { tiles: Vec<Tile> },
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
        /// How media flows: `mesh` (connect to every peer) or `sfu` (connect to [`MEDIA_PEER`]).
        topology: Topology,
        #[serde(default)]
        settings: Settings,
        /// Teachers only: who is waiting to be let in.
        #[serde(default)]
        waiting: Vec<Knock>,
        /// The class chat so far, oldest first.
        #[serde(default)]
        chat: Vec<ChatLine>,
        /// You as the room holds you: hand, right to speak, media (after a resume these may differ
        /// from what you last knew).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        me: Option<PeerInfo>,
        /// The token to `resume` with if this connection is lost. Single use: every `joined` and
        /// `waiting` brings a new one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<String>,
        /// This answers a `resume`: keep your peer connections to the `peers` you still have, drop
        /// the others, and offer to those you have none with.
        #[serde(default, skip_serializing_if = "is_false")]
        resumed: bool,
    },
    /// Reply to a student's `join` while the class is behind the waiting room: wait for `joined`
    /// (admitted) or `ended` (denied). Nothing of the class is sent before that.
    Waiting {
        you: PeerId,
        room: RoomSummary,
        /// The token to `resume` with if this connection is lost (see `Joined::resume`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<String>,
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
    /// The room's media topology changed (to `sfu`: too many people for a mesh, or the teacher's
    /// class mode). Close the mesh connections and connect to the media peer.
    Topology {
        topology: Topology,
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

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests;
