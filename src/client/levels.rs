//! Who is speaking: every link's audio statistics, a few times a second, through the speaker
//! model (`call_model::speaker`), whose answer goes to the views when it changes.
//!
//! Levels come from `getStats()`: `inbound-rtp` audio for each remote voice and `media-source`
//! audio for our own microphone, as the RMS over the time since the last poll (from the
//! cumulative `totalAudioEnergy`), so a short sound between two polls still counts. In a mesh a
//! link's inbound audio is that participant's; from the media peer it is whoever's stream holds
//! the track (`<peer>`).

use std::collections::HashMap;

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::RtcStatsReport;

use super::engine::Engine;
use super::events::{Event, Update};
use super::timer;
use crate::call_model::speaker::{level_between, Level};
use crate::call_model::topology::StreamOwner;
use crate::call_model::Phase;
use crate::protocol::{PeerId, MEDIA_PEER};

/// How often levels are read: often enough that a speaker is marked within a third of a second.
const POLL_MS: i32 = 300;

/// Keeps the engine's levels due every [`POLL_MS`]; ends by itself when the call's channel
/// closes (the engine is gone), so there is no callback to own.
pub(super) fn start_clock(tx: futures::channel::mpsc::UnboundedSender<Event>) {
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            timer::sleep_ms(POLL_MS).await;
            if tx.unbounded_send(Event::LevelsDue).is_err() {
                break;
            }
        }
    });
}

/// One audio statistic: whose, and its cumulative energy and duration.
struct Reading {
    /// `None`: our own microphone.
    peer: Option<PeerId>,
    key: String,
    totals: (f64, f64),
}

impl Engine {
    /// Time to read the levels and tell the views who speaks.
    pub(super) async fn on_levels_due(&mut self) {
        if self.phase != Phase::InCall {
            return;
        }
        let mut readings = Vec::new();
        let ids: Vec<PeerId> = self.peers.keys().copied().collect();
        for id in ids {
            let Some(promise) = self.peers.get(&id).map(|link| link.stats()) else {
                continue;
            };
            // A link closed meanwhile rejects: it simply has no levels this time.
            if let Ok(report) = JsFuture::from(promise).await {
                self.read_report(id, report.unchecked_into(), &mut readings);
            }
        }
        let mut measured: HashMap<Option<PeerId>, f64> = HashMap::new();
        let mut totals = HashMap::new();
        for r in readings {
            let level = level_between(self.audio_totals.get(&r.key).copied(), r.totals);
            if let Some(level) = level {
                let best = measured.entry(r.peer).or_insert(0.0);
                *best = best.max(level);
            }
            totals.insert(r.key, r.totals);
        }
        // Streams gone since the last poll are forgotten with it.
        self.audio_totals = totals;
        for (&id, link) in &self.peers {
            for (track, level) in link.source_levels() {
                let owner = if id == MEDIA_PEER {
                    self.owner_of_track(&track)
                } else {
                    Some(id)
                };
                if let Some(owner) = owner {
                    let best = measured.entry(Some(owner)).or_insert(0.0);
                    *best = best.max(level);
                }
            }
        }

        let me = self.me.as_ref();
        let mut levels: Vec<Level> = self
            .others
            .iter()
            .map(|p| Level {
                peer: p.id,
                level: measured.get(&Some(p.id)).copied().unwrap_or(0.0),
                allowed: p.media.audio && p.may_speak,
            })
            .collect();
        levels.push(Level {
            peer: self.me_id(),
            level: measured.get(&None).copied().unwrap_or(0.0),
            allowed: self.mic_on && me.is_some_and(|m| m.may_speak),
        });
        let heard = self
            .speakers
            .hear(js_sys::Date::now(), &levels, self.me_id());
        self.tell_heard(heard);
    }

    /// `peer` left: they no longer speak, nor stay large.
    pub(super) fn forget_speaker(&mut self, peer: PeerId) {
        let heard = self.speakers.forget(peer);
        self.tell_heard(heard);
    }

    fn tell_heard(&mut self, heard: crate::call_model::speaker::Heard) {
        if heard != self.heard {
            self.heard = heard.clone();
            self.emit(Update::Speakers(heard));
        }
    }

    /// The audio statistics of link `id`'s report.
    fn read_report(&self, id: PeerId, report: RtcStatsReport, out: &mut Vec<Reading>) {
        for stat in report.values().into_iter().flatten() {
            let text = |name: &str| {
                Reflect::get(&stat, &name.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let number = |name: &str| {
                Reflect::get(&stat, &name.into())
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            if text("kind").as_deref() != Some("audio") {
                continue;
            }
            let peer = match text("type").as_deref() {
                Some("media-source") => None,
                Some("inbound-rtp") if id == MEDIA_PEER => {
                    match text("trackIdentifier").and_then(|t| self.owner_of_track(&t)) {
                        Some(owner) => Some(owner),
                        None => continue,
                    }
                }
                Some("inbound-rtp") => Some(id),
                _ => continue,
            };
            if let (Some(energy), Some(duration)) =
                (number("totalAudioEnergy"), number("totalSamplesDuration"))
            {
                out.push(Reading {
                    peer,
                    key: format!("{id}/{}", text("id").unwrap_or_default()),
                    totals: (energy, duration),
                });
            }
        }
    }

    /// Whose camera-and-microphone stream, forwarded by the media peer, holds track `track_id`.
    fn owner_of_track(&self, track_id: &str) -> Option<PeerId> {
        self.forwarded
            .iter()
            .find_map(|(owner, stream)| match owner {
                StreamOwner::Camera(id) if stream.get_track_by_id(track_id).is_some() => Some(*id),
                _ => None,
            })
    }
}
