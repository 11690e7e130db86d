//! The vocabulary between the forwarding table and the sessions: a track's identity and what a
//! subscriber's next offer must add and stop.

use str0m::media::{MediaKind, Mid};

use crate::protocol::PeerId;

/// A published track: its publisher and the m-line it arrives on in the publisher's session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TrackId {
    pub peer: PeerId,
    pub mid: Mid,
}

/// An m-line to add to a subscriber's session, labelled `a=msid:<stream> <track>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Add {
    pub source: TrackId,
    pub kind: MediaKind,
    pub stream: String,
    pub track: String,
}

/// What a subscriber's next offer must change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub add: Vec<Add>,
    pub stop: Vec<Mid>,
    /// M-lines to make `inactive`, their send streams dropped (`park.rs`).
    pub park: Vec<Mid>,
    /// Parked m-lines to make `sendonly` again, each with a new send stream of its kind.
    pub wake: Vec<(Mid, MediaKind)>,
}

impl Plan {
    /// Whether the offer would change nothing.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.stop.is_empty() && self.park.is_empty() && self.wake.is_empty()
    }
}
