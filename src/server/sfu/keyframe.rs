//! Keyframe requests towards publishers, at most one per track per second.
//!
//! Every subscriber's decoder asks (PLI/FIR) after a loss, and a room of 30 would otherwise make a
//! publisher's encoder send a keyframe — the largest frame — 30 times over. With simulcast each
//! layer is its own encoder and is throttled on its own. A request that falls
//! inside the quiet second is not lost: it is owed and sent when the second is over, so that a
//! subscriber that just joined never waits for the publisher's next periodic keyframe.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::switch::Layer;
use super::table::TrackId;

/// One encoder of a publisher: a track, and its simulcast layer (`None` without simulcast).
pub type Encoder = (TrackId, Layer);

/// Least time between two keyframe requests for one track.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// Last request sent per track, and requests owed.
#[derive(Debug, Default)]
pub struct Throttle {
    last: HashMap<Encoder, Instant>,
    owed: HashMap<Encoder, Instant>,
}

impl Throttle {
    /// Someone wants a keyframe of `track`: `true` if the request goes upstream now; otherwise it
    /// is owed until [`Throttle::due`] hands it out.
    pub fn request(&mut self, track: Encoder, now: Instant) -> bool {
        match self.last.get(&track) {
            Some(last) if now.saturating_duration_since(*last) < MIN_INTERVAL => {
                self.owed.insert(track, *last + MIN_INTERVAL);
                false
            }
            _ => {
                self.last.insert(track, now);
                self.owed.remove(&track);
                true
            }
        }
    }

    /// Owed requests whose quiet second is over; they count as sent now.
    pub fn due(&mut self, now: Instant) -> Vec<Encoder> {
        let due: Vec<Encoder> = self
            .owed
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(t, _)| *t)
            .collect();
        for track in &due {
            self.owed.remove(track);
            self.last.insert(*track, now);
        }
        due
    }

    /// When the next owed request falls due.
    pub fn next(&self) -> Option<Instant> {
        self.owed.values().min().copied()
    }

    /// Forget the tracks of a publisher that left.
    pub fn forget(&mut self, keep: impl Fn(&TrackId) -> bool) {
        self.last.retain(|(t, _), _| keep(t));
        self.owed.retain(|(t, _), _| keep(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use str0m::media::Mid;

    #[test]
    fn one_request_per_second_and_the_rest_owed_not_lost() {
        let track = (
            TrackId {
                peer: 1,
                mid: Mid::from("1"),
            },
            None,
        );
        let other = (
            TrackId {
                peer: 2,
                mid: Mid::from("1"),
            },
            None,
        );
        let t0 = Instant::now();
        let mut throttle = Throttle::default();
        assert!(throttle.request(track, t0));
        assert!(
            throttle.request(other, t0),
            "tracks are throttled separately"
        );
        let layer = (track.0, Some(str0m::media::Rid::from("l")));
        assert!(throttle.request(layer, t0), "and so are layers");
        assert!(!throttle.request(track, t0 + Duration::from_millis(100)));
        assert!(!throttle.request(track, t0 + Duration::from_millis(300)));
        assert_eq!(throttle.next(), Some(t0 + MIN_INTERVAL));
        assert!(throttle.due(t0 + Duration::from_millis(999)).is_empty());
        assert_eq!(
            throttle.due(t0 + MIN_INTERVAL),
            vec![track],
            "owed once, not twice"
        );
        assert_eq!(throttle.next(), None);
        assert!(!throttle.request(track, t0 + Duration::from_millis(1500)));
        assert!(throttle.request(track, t0 + Duration::from_millis(2001)));
        throttle.forget(|t| t.peer != 1);
        assert!(
            throttle.request(track, t0 + Duration::from_millis(2002)),
            "forgotten"
        );
    }
}
