//! Which tracks a subscriber wants an m-line for. Every m-line a session holds costs str0m a walk
//! over it for each packet its pacer releases (see BENCHMARKS, "Fewer m-lines"), so a member of
//! a class of 31 that took every track had ~60 of them; it now gets a camera's only once a view
//! of its shows that camera, and a voice's only once that voice may be heard and has been
//! forwarded (among the loudest, `voices.rs`): a class of open microphones makes m-lines for the
//! few who spoke, not for all 30. Screen shares are wanted by everyone while their sharer may
//! share: a student who offers a second video without the right (it would take the screen's
//! place before every camera in each receiver's bandwidth) gets it forwarded to nobody. An m-line is not stopped
//! when its track falls out of the view, out of the loudest or loses the word: it is kept, paused,
//! so that flipping pages or speaking again costs no negotiation, and a session's m-lines stay
//! bounded by what the room publishes.

use std::collections::HashSet;

use str0m::media::MediaKind;

use super::{Out, Outgoing, RoomTable, TrackId};
use crate::protocol::PeerId;

impl RoomTable {
    /// Allow or stop forwarding `peer`'s audio. Returns the subscribers that must now be offered
    /// an m-line for it (a first permission).
    pub fn set_audio(&mut self, peer: PeerId, allowed: bool) -> Vec<PeerId> {
        if !grant(&mut self.audio, peer, allowed) {
            return Vec::new();
        }
        // Only its voices already forwarded can have become wanted (a microphone turned on
        // again, the word given back): no scan of the room per unmute.
        let voiced = self.voiced.iter().filter(|t| t.peer == peer).copied();
        self.open_all(voiced.collect())
    }

    /// Allow or stop forwarding `peer`'s screen shares. Returns the subscribers that must now be
    /// offered an m-line for one.
    pub fn set_screen(&mut self, peer: PeerId, allowed: bool) -> Vec<PeerId> {
        if !grant(&mut self.sharing, peer, allowed) {
            return Vec::new();
        }
        let shares = self.screens.iter().filter(|t| t.peer == peer).copied();
        self.open_all(shares.collect())
    }

    /// A frame of `voice` is forwarded (it is among the loudest, or sends no levels). Returns the
    /// subscribers that must now be offered an m-line for it: everyone else the first time,
    /// nobody after (checked per forwarded audio frame).
    pub fn voiced(&mut self, voice: TrackId) -> Vec<PeerId> {
        if self.voiced.contains(&voice) || !self.voices.contains(&voice) {
            return Vec::new();
        }
        self.voiced.insert(voice);
        self.open_for_all(voice)
    }

    /// `sub` now shows the cameras of `shown`. Returns whether it must be offered new m-lines.
    pub fn set_view(&mut self, sub: PeerId, shown: impl IntoIterator<Item = PeerId>) -> bool {
        self.views.insert(sub, shown.into_iter().collect());
        self.open_wanted(sub)
    }

    /// Whether `sub` wants an m-line for `track`, of `kind`.
    pub(super) fn wants(&self, sub: PeerId, track: TrackId, kind: MediaKind) -> bool {
        if track.peer == sub {
            return false;
        }
        match kind {
            MediaKind::Audio => self.audio.contains(&track.peer) && self.voiced.contains(&track),
            MediaKind::Video if self.cameras.contains(&track) => self
                .views
                .get(&sub)
                .is_none_or(|shown| shown.contains(&track.peer)),
            MediaKind::Video => self.sharing.contains(&track.peer),
        }
    }

    /// [`open_for_all`](Self::open_for_all) for each of `tracks`: who must renegotiate, once each.
    fn open_all(&mut self, tracks: Vec<TrackId>) -> Vec<PeerId> {
        let mut told: Vec<PeerId> = tracks
            .into_iter()
            .flat_map(|t| self.open_for_all(t))
            .collect();
        told.sort_unstable();
        told.dedup();
        told
    }

    /// Plans an m-line for `track` at each subscriber that wants it and has none for it yet.
    /// Returns those subscribers.
    pub(super) fn open_for_all(&mut self, track: TrackId) -> Vec<PeerId> {
        let Some(kind) = self
            .published
            .iter()
            .find(|(t, ..)| *t == track)
            .map(|(_, kind, _)| *kind)
        else {
            return Vec::new();
        };
        // Those who want it: an m-line for each who has none, and a parked one woken.
        let (mut holding, mut wanting) = (Vec::new(), Vec::new());
        for (sub, outs) in &self.subscribers {
            if self.wants(*sub, track, kind) {
                match outs.iter().any(|o| o.source == Some(track)) {
                    true => holding.push(*sub),
                    false => wanting.push(*sub),
                }
            }
        }
        let woken: Vec<PeerId> = holding
            .into_iter()
            .filter(|s| self.wake(*s, track))
            .collect();
        for sub in &wanting {
            let outs = self.subscribers.entry(*sub).or_default();
            outs.push(Outgoing {
                source: Some(track),
                state: Out::ToOpen,
                idle: None,
            });
        }
        wanting.into_iter().chain(woken).collect()
    }

    /// Plans an m-line at `sub` for each published track it wants and has none for yet.
    /// Returns whether it planned any.
    pub(super) fn open_wanted(&mut self, sub: PeerId) -> bool {
        let Some(outs) = self.subscribers.get(&sub) else {
            return false;
        };
        let held: HashSet<TrackId> = outs.iter().filter_map(|o| o.source).collect();
        let (kept, new): (Vec<TrackId>, Vec<TrackId>) = self
            .published
            .iter()
            .filter(|(t, kind, _)| self.wants(sub, *t, *kind))
            .map(|(t, ..)| *t)
            .partition(|t| held.contains(t));
        // `|`, not `||`: every one of them is woken.
        let woken = kept
            .into_iter()
            .fold(false, |any, t| self.wake(sub, t) | any);
        let opened = new.iter().map(|t| Outgoing {
            source: Some(*t),
            state: Out::ToOpen,
            idle: None,
        });
        self.subscribers.entry(sub).or_default().extend(opened);
        !new.is_empty() || woken
    }
}

/// Records `peer`'s right in `holders`; whether it is a new one (something may open).
fn grant(holders: &mut HashSet<PeerId>, peer: PeerId, allowed: bool) -> bool {
    if allowed {
        holders.insert(peer)
    } else {
        holders.remove(&peer);
        false
    }
}
