//! Who is speaking, and who is the active speaker (the large tile), from audio levels sampled a
//! few times a second. Pure: the engine measures, this decides.
//!
//! A voice is a run of loud samples with short pauses in it: a participant counts as speaking from
//! their first sample above [`THRESHOLD`] until [`HOLD_MS`] after their last one, so the mark does
//! not flicker between words. The active speaker changes only to someone who has been speaking for
//! [`TAKE_OVER_MS`] while the current one is quiet: a cough or a "yes" never moves the large tile.

use std::collections::HashMap;

use crate::protocol::PeerId;

/// Level (RMS, 0..1, as WebRTC's `audioLevel`) above which a sample counts as voice: about
/// −34 dBov, well above a quiet room's noise after the browser's noise suppression.
pub const THRESHOLD: f64 = 0.02;
/// How long someone still counts as speaking after their last loud sample.
pub const HOLD_MS: f64 = 1_200.0;
/// How long a new speaker must have been speaking before taking the large tile.
pub const TAKE_OVER_MS: f64 = 1_500.0;

/// One participant's audio level, with whether their audio is allowed at all (`media.audio` and
/// the right to speak): someone muted or without the word never counts as speaking.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    pub peer: PeerId,
    pub level: f64,
    pub allowed: bool,
}

/// What the views show: who speaks now (ascending ids) and the active speaker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heard {
    pub speaking: Vec<PeerId>,
    pub active: Option<PeerId>,
}

/// A run of speech: since when, and the last loud sample.
#[derive(Clone, Copy, Debug)]
struct Voice {
    since: f64,
    last_loud: f64,
}

/// The speaker model; feed it samples with [`hear`](Speakers::hear).
#[derive(Clone, Debug, Default)]
pub struct Speakers {
    voices: HashMap<PeerId, Voice>,
    active: Option<PeerId>,
}

impl Speakers {
    /// One round of samples at `now` (ms, monotonic). A participant missing from `levels` is
    /// quiet in this round. `me` can speak but never becomes the active speaker: nobody wants
    /// their own face large.
    pub fn hear(&mut self, now: f64, levels: &[Level], me: PeerId) -> Heard {
        for l in levels {
            if !l.allowed {
                self.voices.remove(&l.peer);
            } else if l.level >= THRESHOLD {
                let voice = self.voices.entry(l.peer).or_insert(Voice {
                    since: now,
                    last_loud: now,
                });
                voice.last_loud = now;
            }
        }
        // A voice past its hold ends; the next loud sample starts a new run.
        self.voices.retain(|_, v| now - v.last_loud <= HOLD_MS);

        let active_speaks = self.active.is_some_and(|a| self.voices.contains_key(&a));
        if !active_speaks {
            let longest = self
                .voices
                .iter()
                .filter(|(&id, v)| id != me && now - v.since >= TAKE_OVER_MS)
                .min_by(|(a_id, a), (b_id, b)| a.since.total_cmp(&b.since).then(a_id.cmp(b_id)))
                .map(|(&id, _)| id);
            // Silence keeps the last speaker large.
            if longest.is_some() {
                self.active = longest;
            }
        }
        self.heard()
    }

    /// `peer` left: they neither speak nor stay large.
    pub fn forget(&mut self, peer: PeerId) -> Heard {
        self.voices.remove(&peer);
        if self.active == Some(peer) {
            self.active = None;
        }
        self.heard()
    }

    fn heard(&self) -> Heard {
        let mut speaking: Vec<PeerId> = self.voices.keys().copied().collect();
        speaking.sort_unstable();
        Heard {
            speaking,
            active: self.active,
        }
    }
}

/// The RMS level over the time between two readings of a stream's cumulative audio statistics
/// (`totalAudioEnergy`, `totalSamplesDuration`): unlike one `audioLevel` sample it sees a short
/// sound between two polls. `None` at the first reading, or when no audio was counted between.
pub fn level_between(before: Option<(f64, f64)>, after: (f64, f64)) -> Option<f64> {
    let (energy, duration) = before?;
    let (d_energy, d_duration) = (after.0 - energy, after.1 - duration);
    (d_duration > 0.0 && d_energy >= 0.0).then(|| (d_energy / d_duration).sqrt())
}

#[cfg(test)]
mod tests;
