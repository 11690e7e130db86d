//! The forwarding table of one room: who publishes which tracks, which m-lines each subscriber's
//! session has (or must get, or must stop) for them, and where each incoming packet goes.
//!
//! Pure: no sockets, no `Rtc`. The worker asks it for a [`Plan`] (m-lines to add and stop), turns
//! the plan into an SDP offer, and reports back (`offered`, then `answered` or `offer_dropped`);
//! the negotiated routes are indexed so that forwarding a packet costs one map lookup.
//! Which simulcast layer of a camera or screen share each subscriber gets is not decided here
//! (`layers.rs`): the table routes tracks, the worker filters a video's frames per subscriber.

use std::collections::{HashMap, HashSet};

use str0m::media::{MediaKind, Mid};

use crate::protocol::PeerId;

mod negotiation;
mod park;
mod plan;
mod routes;
mod wants;
pub use plan::{Add, Plan, TrackId};

/// Tracks one member may publish: microphone, camera, and a screen share with its sound. A
/// browser sends no more; a modified one offering hundreds would give every subscriber hundreds of
/// m-lines, and answers too large to send.
pub const MAX_TRACKS_PER_PUBLISHER: usize = 4;

/// A subscriber's m-line for one source, through negotiation.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Out {
    ToOpen,
    Negotiating(Mid),
    Open(Mid),
    ToStop(Mid),
    NegotiatingStop(Mid),
    /// Offered for a source that has since gone: stop it if the answer comes, forget it if not.
    Orphan(Mid),
    /// Unwanted for long: to be made `inactive`, its send stream dropped (`park.rs`).
    ToPark(Mid),
    /// `inactive`, with no send stream: costs nothing per packet; not routed.
    Parked(Mid),
    /// Parked and wanted again: to be made `sendonly` with a new send stream.
    ToWake(Mid),
    /// Offered `sendonly` again: open once answered.
    Waking(Mid),
}

/// The room's right a route depends on: a voice's speaker may speak, a screen's sharer may share.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gate {
    Audio,
    Screen,
    Camera,
}

#[derive(Clone, Copy, Debug)]
struct Outgoing {
    source: Option<TrackId>,
    state: Out,
    /// Since when an open m-line has been unwanted (`park.rs`).
    idle: Option<std::time::Instant>,
}

/// One room's table. Peers are subscribers from their first session on; audio is forwarded only
/// for peers [`set_audio`](Self::set_audio) allowed, screen shares for those
/// [`set_screen`](Self::set_screen) allowed. A subscriber gets an m-line for a track only
/// once it wants it (`wants.rs`): a camera once its view shows it, a voice once it may be heard.
#[derive(Debug, Default)]
pub struct RoomTable {
    /// In publication order: a joining subscriber's m-lines come in that order.
    published: Vec<(TrackId, MediaKind, String)>,
    subscribers: HashMap<PeerId, Vec<Outgoing>>,
    audio: HashSet<PeerId>,
    /// Peers whose screen shares may be forwarded (they share, and may).
    sharing: HashSet<PeerId>,
    /// Whose cameras each subscriber's latest view shows; none yet: every camera.
    views: HashMap<PeerId, HashSet<PeerId>>,
    /// Negotiated routes by source, and the right that gates them (checked per packet).
    routes: HashMap<TrackId, (Gate, Vec<(PeerId, Mid)>)>,
    sources: HashMap<(PeerId, Mid), TrackId>,
    /// Video tracks labelled as their publisher's camera: the ones a `view` selects.
    cameras: HashSet<TrackId>,
    /// The other video tracks: screen shares, wanted by every subscriber. Like cameras, their
    /// simulcast layers are chosen per subscriber.
    screens: HashSet<TrackId>,
    /// Audio tracks: they compete for the loudest places while their speaker may be heard.
    voices: HashSet<TrackId>,
    /// Voices forwarded at least once: the ones subscribers get an m-line for.
    voiced: HashSet<TrackId>,
}

impl RoomTable {
    /// `peer` has a media session: it must receive every track of the others that it wants.
    pub fn join(&mut self, peer: PeerId) {
        self.subscribers.insert(peer, Vec::new());
        self.open_wanted(peer);
    }

    /// `track` arrives from its publisher, labelled `stream`; returns who must be offered it (those
    /// who want it). A publisher's tracks past [`MAX_TRACKS_PER_PUBLISHER`] are not forwarded: each
    /// would be an m-line at every subscriber, for good.
    pub fn publish(&mut self, track: TrackId, kind: MediaKind, stream: String) -> Vec<PeerId> {
        let mine = self.published.iter().filter(|(t, ..)| t.peer == track.peer);
        if mine.clone().any(|(t, ..)| *t == track) || mine.count() >= MAX_TRACKS_PER_PUBLISHER {
            return Vec::new();
        }
        // One camera per member: another video labelled as the camera (a screen in the camera's
        // stream, videos without a stream) is a screen share, gated and labelled as one.
        let has_camera = self.cameras.iter().any(|c| c.peer == track.peer);
        let camera_label = stream == track.peer.to_string();
        let stream = match (kind, camera_label && has_camera) {
            (MediaKind::Video, true) => format!("{}-screen", track.peer),
            _ => stream,
        };
        if kind == MediaKind::Video && camera_label && !has_camera {
            self.cameras.insert(track);
        } else if kind == MediaKind::Video {
            self.screens.insert(track);
        } else {
            self.voices.insert(track);
        }
        self.published.push((track, kind, stream));
        self.open_for_all(track)
    }

    /// `track` is no longer sent; returns the subscribers whose m-line for it must be stopped.
    pub fn unpublish(&mut self, track: TrackId) -> Vec<PeerId> {
        self.published.retain(|(t, ..)| *t != track);
        self.cameras.remove(&track);
        self.screens.remove(&track);
        self.voices.remove(&track);
        self.voiced.remove(&track);
        let mut told = Vec::new();
        for (sub, outs) in self.subscribers.iter_mut() {
            let before = outs.len();
            outs.retain(|o| !(o.source == Some(track) && o.state == Out::ToOpen));
            let mut changed = outs.len() != before;
            for out in outs.iter_mut().filter(|o| o.source == Some(track)) {
                out.source = None;
                out.state = match out.state {
                    // A waking m-line is in the session already (`sendonly`, its new stream
                    // declared), answered or not: it is stopped like an open one.
                    Out::Open(m)
                    | Out::ToPark(m)
                    | Out::Parked(m)
                    | Out::ToWake(m)
                    | Out::Waking(m) => Out::ToStop(m),
                    Out::Negotiating(m) => Out::Orphan(m),
                    other => other,
                };
                changed = true;
            }
            if changed {
                told.push(*sub);
            }
        }
        self.reindex();
        told
    }

    /// `peer`'s session is gone: its tracks are unpublished and its subscriptions forgotten.
    /// Returns who must renegotiate. Its audio permission stays (the room's rule, not the session's).
    pub fn leave(&mut self, peer: PeerId) -> Vec<PeerId> {
        self.subscribers.remove(&peer);
        let mine: Vec<TrackId> = self
            .published
            .iter()
            .map(|(t, ..)| *t)
            .filter(|t| t.peer == peer)
            .collect();
        let mut told: Vec<PeerId> = mine.into_iter().flat_map(|t| self.unpublish(t)).collect();
        told.sort_unstable();
        told.dedup();
        self.reindex();
        told
    }

    /// Forget `peer`'s permissions and view (it left the call).
    pub fn forget(&mut self, peer: PeerId) {
        self.audio.remove(&peer);
        self.sharing.remove(&peer);
        self.views.remove(&peer);
    }
}

#[cfg(test)]
mod tests;
