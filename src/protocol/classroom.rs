//! The classroom's own wire types: the waiting room, teacher settings, raised hands, chat, and the
//! reasons a teacher can end someone's stay.

use serde::{Deserialize, Serialize};

use super::{PeerId, Role};

/// Longest chat message, in characters, after trimming.
pub const MAX_CHAT_CHARS: usize = 2000;

/// Milliseconds since the Unix epoch (UTC), as the server's clock read them.
pub type UnixMillis = i64;

/// A student waiting for a teacher to let them in, as teachers see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knock {
    pub id: PeerId,
    pub name: String,
    /// When they started waiting (clients show "waiting for 2 min").
    pub since: UnixMillis,
}

/// A raised hand. Hands are served in `seq` order: first raised, first asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hand {
    /// Increases with every hand raised in the room; the queue is ordered by it.
    pub seq: u64,
    pub at: UnixMillis,
}

/// The room's switches, all held by the server. Every admitted member gets them on joining and on
/// every change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Students skip the waiting room. Off by default; kept with the room.
    pub auto_admit: bool,
    /// Students may not unmute unless a teacher gave them the word.
    pub mics_locked: bool,
    /// Nobody new may knock (students); teachers can still come in.
    pub room_locked: bool,
    /// Students may not write in the chat.
    pub chat_locked: bool,
    /// Students may share their screen.
    pub students_may_share: bool,
    /// Media goes through the server's media peer (topology `sfu`) from now until the session ends,
    /// whatever the number of people.
    pub class_mode: bool,
}

/// A change to some of the [`Settings`]; absent fields stay as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_admit: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mics_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub students_may_share: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_mode: Option<bool>,
}

/// One chat message as it is shown and stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The sender's peer id; absent for history from an earlier session of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PeerId>,
    pub name: String,
    pub role: Role,
    /// Plain text (line breaks kept). Clients must show it as text, never as HTML.
    pub text: String,
    pub at: UnixMillis,
}

/// Why the server ended someone's stay (sent in `ended`, then the connection is closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedReason {
    /// A teacher removed them from the class.
    Removed,
    /// A teacher turned their knock down.
    Denied,
    /// A teacher (or the administrator) ended the class for everyone; the room is closed.
    ClassEnded,
    /// The administrator deleted the room with everything kept about it.
    RoomDeleted,
    /// A reason this build does not know.
    #[serde(other)]
    Other,
}

impl EndedReason {
    /// The WebSocket close reason that follows `ended`.
    pub fn close_text(self) -> &'static str {
        match self {
            EndedReason::Removed => "removed by a teacher",
            EndedReason::Denied => "denied by a teacher",
            EndedReason::ClassEnded => "class ended",
            EndedReason::RoomDeleted => "room deleted",
            EndedReason::Other => "ended",
        }
    }
}

/// Trims a chat message and checks it: line breaks stay, other control and bidi-control characters
/// go; `None` if nothing visible is left or it is longer than [`MAX_CHAT_CHARS`].
pub fn clean_chat(raw: &str) -> Option<String> {
    let lines: Vec<String> = raw
        .split('\n')
        .map(|line| super::names::strip_controls(line).trim_end().to_string())
        .collect();
    let text = lines.join("\n");
    let text = text.trim_matches('\n').trim();
    super::clean_text(&text.replace('\n', " "), MAX_CHAT_CHARS).ok()?;
    (text.chars().count() <= MAX_CHAT_CHARS).then(|| text.to_string())
}
