//! Which simulcast layer of each camera and screen share one subscriber receives
//! (docs/protocol.md, Simulcast).
//!
//! Pure: the worker hands in the subscriber's `view`, the layers each video is sending right now
//! with their measured bitrates, the bandwidth left for video, and what it chose last time; it
//! gets back the layer per video, a video missing from the result being paused.
//!
//! Allocation, so that a weak link keeps what the lesson needs and drops the thumbnails first:
//! screen shares come first (the slides are the lesson; every subscriber wants them, whatever its
//! view; the page then shows no camera large), then the cameras by requested quality (larger
//! first, then smaller peer id). Every wanted video first gets its lowest layer in that order,
//! and one whose lowest layer does not fit is paused — except screen shares and the first video
//! (a screen, else the large tile), which get their lowest layer whatever the budget. Then the
//! screen shares climb to their full picture as far as the budget allows, and after them, pass
//! after pass, each camera climbs one layer towards its tile's layer while the total fits. Climbing above what is forwarded now needs
//! [`HEADROOM_PERCENT`] to spare, so that an estimate that wobbles around a layer's rate does not
//! make the subscriber's decoder switch every second.

use std::cmp::Reverse;
use std::collections::HashMap;

use str0m::media::Rid;

use super::table::TrackId;
use crate::protocol::{Quality, Tile};

/// What an upgrade (or a resume) must leave free, in percent of the new total.
pub const HEADROOM_PERCENT: u64 = 15;

/// One layer a camera sends: its rid (`None` for a camera without simulcast) and its rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerRate {
    pub rid: Option<Rid>,
    pub bps: u64,
}

/// A camera or a screen share, and the layers it sends now, in any order.
#[derive(Clone, Debug, PartialEq)]
pub struct Camera {
    pub track: TrackId,
    pub layers: Vec<LayerRate>,
    /// A screen share: wanted at its top layer by every subscriber, before any camera.
    pub screen: bool,
}

/// The layer forwarded per camera; a camera that is not in it is paused.
pub type Choice = HashMap<TrackId, Option<Rid>>;

/// The rank of a simulcast rid as docs/protocol.md names them (`l` < `m` < `h`); a rid it does
/// not name is not forwarded. `None` (no simulcast) is the one layer of its camera.
pub fn rank(rid: Option<Rid>) -> Option<u8> {
    let Some(rid) = rid else { return Some(0) };
    ["l", "m", "h"]
        .iter()
        .position(|name| Rid::from(*name) == rid)
        .map(|p| p as u8)
}

/// The rank of the layer a tile of `quality` asks for at most.
fn cap(quality: Quality) -> u8 {
    match quality {
        Quality::Low => 0,
        Quality::Medium => 1,
        Quality::High => 2,
    }
}

/// One wanted video during allocation.
struct Want<'a> {
    track: TrackId,
    screen: bool,
    quality: Quality,
    /// Known layers, lowest first.
    layers: Vec<&'a LayerRate>,
    /// Index of the tile's layer: the largest not above its quality, else the lowest.
    goal: usize,
    /// Index of the layer forwarded now, if any.
    now: Option<usize>,
    /// Index allocated so far.
    at: Option<usize>,
}

/// The layer per camera for a subscriber whose latest view is `view` (`None`: none yet, every
/// camera at `high`), with `budget` bit/s for video and `current` forwarded until now.
pub fn select(view: Option<&[Tile]>, cameras: &[Camera], budget: u64, current: &Choice) -> Choice {
    let quality_of = |camera: &Camera| match view {
        _ if camera.screen => Some(Quality::High),
        None => Some(Quality::High),
        Some(tiles) => tiles
            .iter()
            .rev()
            .find(|t| t.peer == camera.track.peer)
            .map(|t| t.quality),
    };
    let mut wants: Vec<Want> = cameras
        .iter()
        .filter_map(|camera| {
            let quality = quality_of(camera)?;
            let mut layers: Vec<&LayerRate> = camera
                .layers
                .iter()
                .filter(|l| rank(l.rid).is_some())
                .collect();
            layers.sort_by_key(|l| rank(l.rid));
            let goal = layers
                .iter()
                .rposition(|l| rank(l.rid).is_some_and(|r| r <= cap(quality)))
                .unwrap_or(0);
            let now = current
                .get(&camera.track)
                .and_then(|rid| layers.iter().position(|l| l.rid == *rid));
            (!layers.is_empty()).then_some(Want {
                track: camera.track,
                screen: camera.screen,
                quality,
                layers,
                goal,
                now,
                at: None,
            })
        })
        .collect();
    // Stable: a peer's videos keep the order they were handed in.
    wants.sort_by_key(|w| (Reverse(w.screen), Reverse(w.quality), w.track.peer));

    let mut used = 0u64;
    // A camera without simulcast has no smaller layer to fall back to: it is forwarded as it
    // comes whenever it is wanted, and what it takes is gone before the others are placed.
    for want in wants.iter_mut().filter(|w| w.layers[0].rid.is_none()) {
        used += want.layers[0].bps;
        want.at = Some(0);
    }
    for (i, want) in wants.iter_mut().enumerate() {
        if want.at.is_some() {
            continue;
        }
        let cost = want.layers[0].bps;
        // Screen shares and the first video (a screen, else the large tile) never pause: a
        // student on the weakest link still sees the slides or the teacher, and a subscriber
        // sent no video at all would give its bandwidth estimate nothing to grow on (8 browsers
        // on a loaded machine sat at 50–85 kbit/s, below the voices they were sent, with every
        // camera paused for good).
        if i == 0 || want.screen || fits(used + cost, budget, want.now.is_none()) {
            used += cost;
            want.at = Some(0);
        }
    }
    // Screen shares climb to their full picture before any camera climbs.
    for screens_only in [true, false] {
        loop {
            let mut climbed = false;
            for want in wants.iter_mut().filter(|w| w.screen || !screens_only) {
                let Some(at) = want.at.filter(|at| *at < want.goal) else {
                    continue;
                };
                let next = at + 1;
                let total = used - want.layers[at].bps + want.layers[next].bps;
                let upgrade = want.now.is_none_or(|now| next > now);
                if fits(total, budget, upgrade) {
                    used = total;
                    want.at = Some(next);
                    climbed = true;
                }
            }
            if !climbed {
                break;
            }
        }
    }
    let mut choice: Choice = wants
        .into_iter()
        .filter_map(|w| Some((w.track, w.layers[w.at?].rid)))
        .collect();
    // A screen share that sent nothing lately keeps its layer: a browser may send a still slide
    // rarely, and a pause would hold the next slide back until a keyframe of the whole screen.
    for screen in cameras.iter().filter(|c| c.screen && c.layers.is_empty()) {
        if let Some(layer) = current.get(&screen.track) {
            choice.insert(screen.track, *layer);
        }
    }
    choice
}

/// Whether `total` fits `budget`, with headroom when it means forwarding more than now.
fn fits(total: u64, budget: u64, upgrade: bool) -> bool {
    if upgrade {
        total.saturating_mul(100 + HEADROOM_PERCENT) <= budget.saturating_mul(100)
    } else {
        total <= budget
    }
}

#[cfg(test)]
mod tests;
