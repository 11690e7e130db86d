//! Running layer selection for the members of a room: what each one sees, how much it can take,
//! and the keyframe requests and bandwidth probing its choice calls for.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::layers::{self, Camera, Choice};
use super::session::INITIAL_ESTIMATE;
use super::switch::Switch;
use super::table::TrackId;
use super::worker::Worker;
use crate::protocol::{PeerId, Tile};

/// How often selection runs without a reason: layer rates and estimates drift slowly, and a
/// decoder should not switch layers more often than this anyway.
pub const EVERY: Duration = Duration::from_millis(500);
/// Receiver-reported loss above this share caps the bandwidth below what we send.
const LOSSY: f32 = 0.1;
/// Loss below this share lets a loss cap grow again, by [`RECOVER_PERCENT`] per report.
const CLEAN: f32 = 0.02;
const RECOVER_PERCENT: u64 = 5;
/// The lowest a loss cap goes: reports lag, and the loss of a queue that is still draining
/// must not shut everything down.
const LOSS_FLOOR: u64 = 64_000;
/// After the cap falls, reports this soon still describe the rate before: they are not heeded.
const LOSS_HOLD: Duration = Duration::from_secs(2);
/// A fall of the estimate by this share (percent) re-runs selection at once, not at the next tick:
/// a link that is full queues the subscriber's video behind it.
const DROP_PERCENT: u64 = 20;

/// What one member receives of the room's cameras and screen shares.
#[derive(Debug, Default)]
pub struct Viewer {
    /// Its latest `view`; `None` before the first.
    pub view: Option<Vec<Tile>>,
    /// The bandwidth str0m estimates towards it, bit/s; `None` before the first estimate.
    pub estimate: Option<u64>,
    /// Its stream of each camera, through layer changes.
    pub switches: HashMap<TrackId, Switch>,
    /// A cap on the estimate from receiver-reported loss: str0m's TWCC estimate comes down
    /// slowly on a link that drops rather than queues, while the reports say so within a second.
    loss_cap: Option<u64>,
    /// When the loss cap last fell.
    loss_at: Option<Instant>,
    /// What the estimator was last told (sending, desired), to tell it only changes.
    told: (u64, u64),
}

impl Viewer {
    /// The layer chosen per camera the last time.
    fn current(&self) -> Choice {
        self.switches
            .iter()
            .filter_map(|(t, s)| Some((*t, s.target()?)))
            .collect()
    }
}

impl Worker {
    /// Re-run selection for every member of `room` with a media session.
    pub fn reselect_room(&mut self, room: &Rc<str>, now: Instant) {
        let Some(r) = self.rooms.get(room) else {
            return;
        };
        let subs: Vec<PeerId> = r.sessions.keys().copied().collect();
        for sub in subs {
            self.reselect(room, sub, now);
        }
    }

    /// Choose `sub`'s layer of every camera, ask keyframes of the layers it must switch to, and
    /// tell its bandwidth estimator what to probe for.
    pub fn reselect(&mut self, room: &Rc<str>, sub: PeerId, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        let Some(&sid) = r.sessions.get(&sub) else {
            return;
        };
        let rate = |t: &TrackId| r.meters.get(t).map_or(0, |m| m.total(now));
        let cameras: Vec<Camera> = r
            .table
            .layered()
            .filter(|t| t.peer != sub)
            .map(|track| Camera {
                track,
                layers: r
                    .meters
                    .get(&track)
                    .map(|m| m.present(now))
                    .unwrap_or_default(),
                screen: r.table.is_screen(track),
            })
            .collect();
        // The forwarded voices (voices.rs) always go: video shares what they leave.
        let always: Vec<TrackId> = r
            .table
            .received_by(sub)
            .into_iter()
            .filter(|t| !r.table.is_layered(*t) && r.voices.forwarded(*t, now))
            .collect();
        let fixed: u64 = always.iter().map(rate).sum();
        let viewer = r.viewers.entry(sub).or_default();
        let estimate = viewer.estimate.unwrap_or(INITIAL_ESTIMATE);
        let budget = self
            .fixed_budget
            .unwrap_or_else(|| viewer.loss_cap.map_or(estimate, |cap| cap.min(estimate)))
            .saturating_sub(fixed);
        let current = viewer.current();
        let view = viewer.view.as_deref();
        let choice = layers::select(view, &cameras, budget, &current);
        let ideal = layers::select(view, &cameras, u64::MAX / 1000, &current);
        let cost = |choice: &Choice| -> u64 {
            cameras
                .iter()
                .filter_map(|c| {
                    let rid = choice.get(&c.track)?;
                    c.layers.iter().find(|l| l.rid == *rid).map(|l| l.bps)
                })
                .sum()
        };
        let (sending, desired) = (fixed + cost(&choice), fixed + cost(&ideal));
        let mut keyframes = Vec::new();
        for camera in &cameras {
            let switch = viewer.switches.entry(camera.track).or_default();
            let asked = switch.set_target(choice.get(&camera.track).copied());
            // Still waiting from an earlier choice: the request may have been lost (throttled
            // to one a second per layer anyway).
            if let Some(layer) = asked.or(switch.waiting()) {
                keyframes.push((camera.track, layer));
            }
        }
        viewer
            .switches
            .retain(|t, _| cameras.iter().any(|c| c.track == *t));
        let tell = differs(viewer.told.0, sending) || differs(viewer.told.1, desired);
        if tell {
            tracing::debug!(
                %room, sub, estimate, loss_cap = viewer.loss_cap, fixed, sending, desired,
                shown = choice.len(), cameras = cameras.len(),
                live = cameras.iter().filter(|c| !c.layers.is_empty()).count(),
                viewed = view.map(|v| v.len()), voices = always.len(),
                "sfu selection changed"
            );
            viewer.told = (sending, desired);
        }
        for encoder in keyframes {
            self.keyframe(room, encoder, now);
        }
        if tell {
            self.with_session(sid, |s| s.want(sending, desired + desired / 5));
        }
    }

    /// `sub`'s bandwidth estimate is now `bps`; a large fall is acted on at once.
    pub fn estimated(&mut self, room: &Rc<str>, sub: PeerId, bps: u64, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        let viewer = r.viewers.entry(sub).or_default();
        let before = viewer.estimate.replace(bps).unwrap_or(INITIAL_ESTIMATE);
        if bps.saturating_mul(100) < before.saturating_mul(100 - DROP_PERCENT) {
            self.reselect(room, sub, now);
        }
    }

    /// `sub` reported losing `loss` of one stream we send it: heavy loss caps its bandwidth at
    /// what got through; clean reports lift the cap step by step.
    pub fn lost(&mut self, room: &Rc<str>, sub: PeerId, loss: f32, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        let viewer = r.viewers.entry(sub).or_default();
        let estimate = viewer.estimate.unwrap_or(INITIAL_ESTIMATE);
        let held = viewer
            .loss_at
            .is_some_and(|at| now.saturating_duration_since(at) < LOSS_HOLD);
        tracing::trace!(%room, sub, loss, estimate, cap = viewer.loss_cap, "sfu loss report");
        if loss > LOSSY && !held {
            let through = (viewer.told.0 as f64 * (1.0 - f64::from(loss))) as u64;
            let cap = viewer.loss_cap.map_or(through, |cap| cap.min(through));
            viewer.loss_cap = Some(cap.max(LOSS_FLOOR));
            viewer.loss_at = Some(now);
            self.reselect(room, sub, now);
        } else if loss < CLEAN {
            if let Some(cap) = viewer.loss_cap {
                let cap = cap + cap * RECOVER_PERCENT / 100 + 1;
                viewer.loss_cap = (cap < estimate).then_some(cap);
            }
        }
    }

    /// `sub` sent a `view`: keep it, offer the cameras it shows for the first time, and choose
    /// again.
    pub fn view(&mut self, room: &Rc<str>, sub: PeerId, tiles: Vec<Tile>, now: Instant) {
        let r = self.rooms.entry(room.clone()).or_default();
        let opened = r.table.set_view(sub, tiles.iter().map(|t| t.peer));
        r.viewers.entry(sub).or_default().view = Some(tiles);
        if opened {
            self.renegotiate_peers(room, &[sub]);
        }
        self.reselect(room, sub, now);
    }
}

/// Whether two rates differ by more than a tenth (the estimator need not hear of less).
fn differs(a: u64, b: u64) -> bool {
    a.abs_diff(b).saturating_mul(10) > a.max(b)
}
