//! The call's plain-data model, shared by the browser engine (`client/`) and the views
//! (`components/call/`), so neither imports the other's types. Compiled in both builds: the server
//! renders the same views, with no engine behind them.

use crate::protocol::{ErrorCode, PeerId, SettingsChange, Tile};

pub mod backoff;
pub mod connection;
pub mod pagination;
pub mod reconcile;
pub mod recovery;
pub mod simulcast;
pub mod speaker;
pub mod topology;
pub mod view;

/// Whether signaling is there. Media flows browser to browser, so the call goes on while it is away;
/// the views only say so.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Signaling {
    #[default]
    Up,
    /// The connection to the server was lost; the engine is trying again on its own.
    Reconnecting,
}

/// Where the user is in the call's life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Lobby,
    Joining,
    /// A student in the waiting room, until a teacher lets them in or turns them away.
    Waiting,
    InCall,
    Left,
    Ended(EndReason),
}

/// Why a call ended without the user leaving. `by` is the teacher's name, when the server gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndReason {
    RoomFull,
    /// A teacher locked the room before we knocked.
    RoomLocked,
    /// A teacher turned us away less than a minute ago.
    TryLater,
    Refused(ErrorCode),
    ConnectionLost,
    /// The server did not answer the join in time.
    JoinTimeout,
    Removed {
        by: Option<String>,
    },
    Denied {
        by: Option<String>,
    },
    ClassEnded {
        by: Option<String>,
    },
    /// The administrator deleted the room.
    RoomDeleted,
}

/// What the views ask of a running call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Leave,
    SetMic(bool),
    SetCamera(bool),
    UseCamera(String),
    UseMic(String),
    /// Opens the browser's screen picker and shares the choice with everyone.
    StartShare,
    StopShare,
    RaiseHand,
    /// Our own hand (`None`) or, for teachers, a student's.
    LowerHand(Option<PeerId>),
    Chat(String),
    Admit(PeerId),
    Deny(PeerId),
    AdmitAll,
    Mute(PeerId),
    MuteAll,
    AllowSpeak(PeerId),
    RevokeSpeak(PeerId),
    Remove(PeerId),
    Settings(SettingsChange),
    EndClass,
    /// The cameras the views show now, and how large (`view::view_tiles`).
    View(Vec<Tile>),
}

/// Something to tell the user in the live region; the view words it in the page's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Announcement {
    Joined(String),
    Left(String),
    MicOn,
    MicOff,
    CameraOn,
    CameraOff,
    DeviceFailed,
    /// A teacher turned our microphone off (named when known).
    MutedBy(Option<String>),
    /// A teacher gave us the word: we may unmute.
    MaySpeak,
    /// A teacher took the word back.
    WordTaken(Option<String>),
    /// A teacher lowered our hand.
    HandLowered,
    /// A student knocked (teachers).
    Knocked(String),
    /// A student raised their hand (teachers).
    HandRaised(String),
    ShareStarted,
    ShareStopped,
    /// The screen picker was cancelled or refused.
    ShareFailed,
    /// The server refused a request; `forbidden` after a teacher changed a setting, for example.
    Refused(ErrorCode),
    /// The connection to the class was lost; the call goes on and we are trying again.
    Reconnecting,
    /// The server took us back.
    Reconnected,
}

/// A camera or microphone to choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    /// Empty until the user granted access.
    pub label: Option<String>,
    /// 1-based position, to name unlabelled devices.
    pub number: usize,
}

/// Why the call runs without (some of) the user's own media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaProblem {
    /// Only one of camera and microphone could be opened.
    Partial,
    /// The browser or the user refused access.
    Denied,
    /// No device, or it is in use elsewhere.
    Unavailable,
}
