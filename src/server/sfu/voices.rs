//! Which voices of a room the media peer forwards: the few loudest, as Jitsi's videobridge does.
//!
//! Every open microphone costs each listener ~50 kbit/s on the wire even in silence (Opus frames
//! every 20 ms, plus headers). Thirty of them are 1.5 Mbit/s per student before any camera, and
//! a listener's cameras get only what the voices leave (`select.rs`): in a class of open
//! microphones nobody saw anybody. People rarely talk over more than two others, so the room
//! forwards the [`FORWARDED`] loudest voices, read from the RFC 6464 audio level each packet
//! carries, and keeps a voice a moment after it falls out of the top so that words are not cut.
//! Digital silence (a muted microphone) never takes a place.
//! A sender without the level extension (a third-party client) is always forwarded.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::table::TrackId;

/// How many voices a room forwards at once (besides those held, and those without levels).
pub const FORWARDED: usize = 3;
/// How long a voice stays forwarded after it was last among the loudest.
pub const HOLD: Duration = Duration::from_millis(1500);
/// A voice not heard for this long does not compete (its sender stopped or left).
const QUIET: Duration = Duration::from_secs(1);
/// The level of digital silence, dBov: what a muted browser track sends.
const SILENCE: i8 = -127;
/// The share of a new, quieter level taken into the running level per frame: about 400 ms to
/// settle at 20 ms frames. A louder level is taken at once, so a voice that starts is heard.
const RELEASE: f32 = 0.05;

#[derive(Debug)]
struct Voice {
    /// Running loudness, 0 (silence, -127 dBov) to 127 (0 dBov).
    loudness: f32,
    heard: Instant,
    /// When it was last among the loudest; `None` if never.
    top: Option<Instant>,
}

impl Voice {
    /// Whether it was among the loudest within the last [`HOLD`].
    fn held(&self, now: Instant) -> bool {
        self.top
            .is_some_and(|at| now.saturating_duration_since(at) < HOLD)
    }
}

/// The voices of one room.
#[derive(Debug, Default)]
pub struct Voices {
    voices: HashMap<TrackId, Voice>,
}

impl Voices {
    /// A frame of `track` arrived with audio `level` (dBov, -127..=0; `None`: the sender does not
    /// send levels). Returns whether it is forwarded.
    pub fn frame(&mut self, track: TrackId, level: Option<i8>, now: Instant) -> bool {
        let Some(level) = level else { return true };
        let loudness = f32::from(level.clamp(-127, 0)) + 127.0;
        let voice = self.voices.entry(track).or_insert(Voice {
            loudness,
            heard: now,
            top: None,
        });
        voice.loudness = if loudness >= voice.loudness {
            loudness
        } else {
            voice.loudness + (loudness - voice.loudness) * RELEASE
        };
        voice.heard = now;
        let mine = voice.loudness;
        let louder = self
            .voices
            .iter()
            .filter(|(t, v)| **t != track && now.saturating_duration_since(v.heard) < QUIET)
            // Equal voices (open microphones in a quiet room) go by who came first.
            .filter(|(t, v)| v.loudness > mine || (v.loudness == mine && t.peer < track.peer))
            .count();
        let voice = self.voices.get_mut(&track).expect("inserted above");
        // Digital silence (-127 dBov: a microphone muted in the browser still sends frames) is
        // never worth a place: a class of muted students and one teacher forwarded the teacher and
        // two silent streams, ~100 kbit/s each listener's cameras went without.
        if louder < FORWARDED && level > SILENCE {
            voice.top = Some(now);
        }
        voice.held(now)
    }

    /// Whether `track` is forwarded now (for the bandwidth its listeners must keep for it).
    /// A track never seen with a level is: it is forwarded whole.
    pub fn forwarded(&self, track: TrackId, now: Instant) -> bool {
        self.voices.get(&track).is_none_or(|v| v.held(now))
    }

    /// Forget `peer`'s voices (it left).
    pub fn forget(&mut self, peer: crate::protocol::PeerId) {
        self.voices.retain(|t, _| t.peer != peer);
    }
}

#[cfg(test)]
mod tests;
