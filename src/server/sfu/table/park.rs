//! Parking: a video m-line its subscriber has not wanted for [`PARK_AFTER`] (a camera paged away
//! from, a screen share no longer allowed) is made `inactive` and its send stream dropped, and made
//! `sendonly` again, with a new send stream, once wanted. str0m's pacer walks every send stream
//! of a session for each packet it releases, so without this a class whose members had looked
//! through the gallery once paid for every camera in it again (BENCHMARKS, "A class that looks
//! around"). Unlike a stop, parking leaves no port-0 m-line behind and the m-line keeps its
//! `msid`, so the browser's track and tile stay; each way costs one renegotiation (and a keyframe
//! on waking), so a page flipped back to within [`PARK_AFTER`] costs nothing.

use std::time::{Duration, Instant};

use str0m::media::{MediaKind, Mid};

use super::{Out, RoomTable};
use crate::protocol::PeerId;

/// How long an open m-line may go unwanted before it is parked.
pub const PARK_AFTER: Duration = Duration::from_secs(20);

impl RoomTable {
    /// Marks the open m-lines unwanted for [`PARK_AFTER`] by `now` to be parked. Returns the
    /// subscribers that must renegotiate.
    pub fn sweep(&mut self, now: Instant) -> Vec<PeerId> {
        let mut told = Vec::new();
        let subs: Vec<PeerId> = self.subscribers.keys().copied().collect();
        for sub in subs {
            // Voices are never parked: waking one would cost a muted student's first words.
            let kept = |t: super::TrackId| {
                let kind = self.kind_of(t);
                kind == MediaKind::Audio || self.wants(sub, t, kind)
            };
            let wanted: Vec<bool> = self.subscribers[&sub]
                .iter()
                .map(|o| o.source.is_some_and(kept))
                .collect();
            let Some(outs) = self.subscribers.get_mut(&sub) else {
                continue;
            };
            let mut parked = false;
            for (out, wanted) in outs.iter_mut().zip(wanted) {
                let Out::Open(mid) = out.state else {
                    continue;
                };
                if wanted {
                    out.idle = None;
                    continue;
                }
                let since = *out.idle.get_or_insert(now);
                if now.saturating_duration_since(since) >= PARK_AFTER {
                    out.state = Out::ToPark(mid);
                    parked = true;
                }
            }
            if parked {
                told.push(sub);
            }
        }
        if !told.is_empty() {
            self.reindex();
        }
        told
    }

    /// `sub`'s client made an offer and the session answered it. Our answer told the client each
    /// m-line's direction as the session has it, and that is what the table takes: str0m sets a
    /// direction when it makes the offer that carries it (a rolled-back offer leaves it set), and
    /// keeps an m-line it made `inactive` whatever the client offers. `sending` says whether
    /// the session sends on an m-line. Returns the video sources that now need a keyframe (those
    /// that were being woken and are sending).
    pub fn client_offered(
        &mut self,
        sub: PeerId,
        sending: impl Fn(Mid) -> bool,
    ) -> Vec<super::TrackId> {
        let mut fresh = Vec::new();
        if let Some(outs) = self.subscribers.get_mut(&sub) {
            for out in outs.iter_mut() {
                match out.state {
                    Out::ToWake(m) | Out::Waking(m) if sending(m) => {
                        out.state = Out::Open(m);
                        out.idle = None;
                        fresh.extend(out.source);
                    }
                    // Its park was applied but the offer never reached the client: it has now.
                    Out::ToPark(m) if !sending(m) => out.state = Out::Parked(m),
                    _ => {}
                }
            }
        }
        self.reindex();
        fresh.retain(|t| self.kind_of(*t) == MediaKind::Video);
        fresh
    }

    /// `sub`'s m-line for `track`, if it is parked or about to be: wakes it (or keeps it open).
    /// Returns whether an offer is needed.
    pub(super) fn wake(&mut self, sub: PeerId, track: super::TrackId) -> bool {
        let Some(outs) = self.subscribers.get_mut(&sub) else {
            return false;
        };
        let Some(out) = outs.iter_mut().find(|o| o.source == Some(track)) else {
            return false;
        };
        match out.state {
            Out::ToPark(m) => {
                out.state = Out::Open(m);
                out.idle = None;
                self.reindex();
                false
            }
            Out::Parked(m) => {
                out.state = Out::ToWake(m);
                true
            }
            _ => false,
        }
    }
}
