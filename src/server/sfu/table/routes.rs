//! Looking the table up: where a packet goes, what an m-line carries, what a subscriber receives;
//! and the index that makes the first two one map lookup.

use str0m::media::Mid;

use super::{Gate, Out, RoomTable, TrackId};
use crate::protocol::PeerId;

impl RoomTable {
    /// Where a packet of `source` goes: (subscriber, its mid). Empty for audio or a screen share
    /// that is not allowed.
    pub fn routes(&self, source: TrackId) -> &[(PeerId, Mid)] {
        match self.routes.get(&source) {
            Some((Gate::Audio, _)) if !self.audio.contains(&source.peer) => &[],
            Some((Gate::Screen, _)) if !self.sharing.contains(&source.peer) => &[],
            Some((_, subs)) => subs,
            None => &[],
        }
    }

    /// Whether `source` is a voice that may be heard: published on an audio m-line (whatever
    /// codec its frames name) and its speaker allowed to speak. Routed or not: a voice gets its
    /// m-lines once it is first forwarded (`wants.rs`).
    pub fn is_heard_voice(&self, source: TrackId) -> bool {
        self.voices.contains(&source) && self.audio.contains(&source.peer)
    }

    /// The source forwarded on `sub`'s m-line `mid` (for its keyframe requests).
    pub fn source_of(&self, sub: PeerId, mid: Mid) -> Option<TrackId> {
        self.sources.get(&(sub, mid)).copied()
    }

    /// Whether `track` is video, a camera or a screen share: forwarded by layer (`switch.rs`).
    pub fn is_layered(&self, track: TrackId) -> bool {
        self.cameras.contains(&track) || self.screens.contains(&track)
    }

    /// Whether `track` is a screen share.
    pub fn is_screen(&self, track: TrackId) -> bool {
        self.screens.contains(&track)
    }

    /// Every camera, and every screen share whose sharer may share, in publication order: what
    /// the layer choice shares a subscriber's bandwidth among. A screen share without the right
    /// is forwarded to nobody, so it must take no one's bandwidth either.
    pub fn layered(&self) -> impl Iterator<Item = TrackId> + '_ {
        self.published.iter().map(|(t, ..)| *t).filter(|t| {
            self.cameras.contains(t) || (self.screens.contains(t) && self.sharing.contains(&t.peer))
        })
    }

    /// The sources `sub` receives now, with their kind of forwarding: audio that is not allowed
    /// is left out.
    pub fn received_by(&self, sub: PeerId) -> Vec<TrackId> {
        self.subscribers
            .get(&sub)
            .into_iter()
            .flatten()
            .filter_map(|o| match (o.state, o.source) {
                (Out::Open(mid), Some(_)) => self.source_of(sub, mid),
                _ => None,
            })
            .filter(|t| !self.routes(*t).is_empty())
            .collect()
    }

    /// Whether the room holds nothing (no session, no permission): it can be dropped.
    pub fn is_empty(&self) -> bool {
        self.subscribers.is_empty()
            && self.published.is_empty()
            && self.audio.is_empty()
            && self.sharing.is_empty()
            && self.views.is_empty()
    }

    /// Rebuilds the route index from the subscribers' open m-lines (after every change to them).
    pub(super) fn reindex(&mut self) {
        self.routes.clear();
        self.sources.clear();
        let gate = |t: &TrackId| {
            if self.voices.contains(t) {
                Gate::Audio
            } else if self.screens.contains(t) {
                Gate::Screen
            } else {
                Gate::Camera
            }
        };
        for (sub, outs) in &self.subscribers {
            for out in outs {
                if let (Out::Open(mid), Some(source)) = (out.state, out.source) {
                    let route = self.routes.entry(source);
                    let route = route.or_insert_with(|| (gate(&source), Vec::new()));
                    route.1.push((*sub, mid));
                    self.sources.insert((*sub, mid), source);
                }
            }
        }
    }
}
