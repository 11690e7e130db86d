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
        /// A fresh random resume token for this member (made by the caller: the room has no
        /// randomness). The room keeps its hash and hands it to the member once.
        resume: String,
    },
    /// A new connection `conn` asks to take back the place `token` was issued for (the `resume`
    /// message). On success the room answers [`Output::Rebind`] first, then speaks to the member
    /// under its old id; `fresh` becomes its next token.
    Resume {
        conn: PeerId,
        token: String,
        fresh: String,
        media: MediaState,
    },
    /// The member's connection was lost without `leave`: its place is kept for the grace period
    /// (the spec's `resume_grace`) and nobody is told. Idempotent.
    Lost(PeerId),
    /// Any other message from a connection that joined (or is waiting).
    Message(PeerId, ClientMsg),
    /// The member goes now (a policy close, a stuck connection): the others are told. Idempotent.
    Disconnect(PeerId),
    /// Time passed (the wake-up asked for by [`Output::WakeAt`]).
    Tick,
    /// The administrator acted on the room (see `room/admin.rs`).
    Admin(super::AdminAction),
}

/// What the caller must do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// The resuming connection `conn` is member `peer` from now on: move its queue to `peer`,
    /// and end the connection `peer` had, if it still has one. Comes before anything sent to it.
    Rebind {
        conn: PeerId,
        peer: PeerId,
    },
    Send(PeerId, ServerMsg),
    /// End this connection once what was sent to it is written (it was sent `ended`).
    Close(PeerId, EndedReason),
    Persist(Record),
    /// Hand this to the media server (the SFU) of the room.
    Media(super::Media),
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
        /// The member was in the room when the server stopped and did not come back: `at` is the
        /// last time the old server was known alive, an estimate.
        restart: bool,
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
    /// What a restarted server needs to take the room back (see `room/saved.rs`); `None` once there
    /// is nothing to keep (the room emptied or ended).
    Saved(Option<Box<super::Saved>>),
}

/// Why a class session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// The last person left.
    Empty,
    /// The class was ended (the room is closed).
    Ended,
    /// Nobody came back after the server stopped (it ends when the old server was last alive).
    Restart,
}

impl SessionEnd {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Empty => "empty",
            SessionEnd::Ended => "ended",
            SessionEnd::Restart => "restart",
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
