//! What goes into a room ([`Input`]) and what comes out ([`Output`], [`Record`]).

use crate::protocol::{
    ChatLine, ClientMsg, EndedReason, MediaState, PeerId, Role, ServerMsg, UnixMillis,
};

/// One thing that happens to a room.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A connection's first message. `address` identifies where it came from (the client's IP), so
    /// a student turned away cannot knock again at once.
    Join {
        peer: PeerId,
        address: String,
        name: String,
        teacher_key: Option<String>,
        media: MediaState,
        /// The client's attendee token, as sent (checked and hashed here).
        attendee: Option<String>,
    },
    /// Any other message from a connection that joined (or is waiting).
    Message(PeerId, ClientMsg),
    /// The connection ended, whatever the reason. Idempotent.
    Disconnect(PeerId),
    /// Time passed (the wake-up asked for by [`Output::WakeAt`]).
    Tick,
}

/// What the caller must do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Send(PeerId, ServerMsg),
    /// End this connection once what was sent to it is written (it was sent `ended`).
    Close(PeerId, EndedReason),
    Persist(Record),
    /// Call [`Room::step`] with [`Input::Tick`] at (or after) this time.
    WakeAt(UnixMillis),
}

/// Something worth keeping in the database.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// A class session starts: the first person (waiting or not) came into an empty room.
    SessionStarted {
        at: UnixMillis,
    },
    /// The session ends: the last person left, or the class was ended.
    SessionEnded {
        at: UnixMillis,
        reason: SessionEnd,
    },
    /// Attendance starts: a teacher came in or a student was admitted. `attendee` is the hashed
    /// attendee token: one person across re-joins.
    Admitted {
        peer: PeerId,
        name: String,
        role: Role,
        attendee: Option<String>,
        at: UnixMillis,
    },
    /// A teacher turned a waiting student away: they appear in the attendance as denied.
    Denied {
        name: String,
        attendee: Option<String>,
        at: UnixMillis,
    },
    /// Attendance ends (left, lost, removed, class ended).
    Left {
        peer: PeerId,
        at: UnixMillis,
    },
    Chat(ChatLine),
    Hand {
        name: String,
        event: HandEvent,
        at: UnixMillis,
    },
    AutoAdmit(bool),
    /// A teacher ended the class: the room is closed for good.
    ClassEnded {
        at: UnixMillis,
    },
}

/// Why a class session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// The last person left.
    Empty,
    /// The class was ended (the room is closed).
    Ended,
}

impl SessionEnd {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Empty => "empty",
            SessionEnd::Ended => "ended",
        }
    }
}

/// What happened to a hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandEvent {
    Raised,
    Lowered,
    /// A teacher gave the word (the hand goes down with it).
    SpeakGranted,
    SpeakRevoked,
}

impl HandEvent {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            HandEvent::Raised => "raised",
            HandEvent::Lowered => "lowered",
            HandEvent::SpeakGranted => "speak_granted",
            HandEvent::SpeakRevoked => "speak_revoked",
        }
    }
}
