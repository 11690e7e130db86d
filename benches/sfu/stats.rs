//! What the synthetic clients count, and the summaries the benchmark prints.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

/// Video frames received per (publisher, layer letter).
pub type Sources = HashMap<(u16, u8), u64>;

/// One client's counters, written by its task and read by the main thread. Uncontended: only
/// one task writes them.
#[derive(Default)]
pub struct Stats {
    pub datagrams: AtomicU64,
    pub bytes: AtomicU64,
    pub video_frames: AtomicU64,
    pub audio_frames: AtomicU64,
    /// Offer → first video frame, µs + 1 (0: none yet).
    first_video: AtomicU64,
    /// Forwarding delay of each video frame since the last [`Stats::take_delays`], µs.
    delays: Mutex<Vec<u32>>,
    /// Video frames per publisher and layer since the last [`Stats::take_sources`].
    sources: Mutex<Sources>,
}

impl Stats {
    pub fn datagram(&self, len: usize) {
        self.datagrams.fetch_add(1, Relaxed);
        self.bytes.fetch_add(len as u64, Relaxed);
    }

    /// A frame arrived at `now`; `tag` is the publisher's (peer, layer, send time), `joined`
    /// when we offered (µs).
    pub fn frame(&self, video: bool, now: u64, tag: Option<(u16, u8, u64)>, joined: u64) {
        if !video {
            self.audio_frames.fetch_add(1, Relaxed);
            return;
        }
        self.video_frames.fetch_add(1, Relaxed);
        let first = now.saturating_sub(joined) + 1;
        let _ = self
            .first_video
            .compare_exchange(0, first, Relaxed, Relaxed);
        if let Some((peer, layer, sent)) = tag {
            let delay = now.saturating_sub(sent).min(u32::MAX as u64) as u32;
            self.delays.lock().unwrap().push(delay);
            *self
                .sources
                .lock()
                .unwrap()
                .entry((peer, layer))
                .or_default() += 1;
        }
    }

    /// Offer → first video frame, if one came.
    pub fn first_video_us(&self) -> Option<u64> {
        Some(self.first_video.load(Relaxed))
            .filter(|&t| t > 0)
            .map(|t| t - 1)
    }

    pub fn take_delays(&self) -> Vec<u32> {
        std::mem::take(&mut self.delays.lock().unwrap())
    }

    /// Video frames per (publisher, layer) since the last call; starts counting afresh.
    pub fn take_sources(&self) -> Sources {
        std::mem::take(&mut self.sources.lock().unwrap())
    }

    /// (datagrams, bytes, video frames, audio frames) so far.
    pub fn counts(&self) -> [u64; 4] {
        [
            self.datagrams.load(Relaxed),
            self.bytes.load(Relaxed),
            self.video_frames.load(Relaxed),
            self.audio_frames.load(Relaxed),
        ]
    }
}

/// The `p` quantile (0..=1) of sorted µs values, in ms.
pub fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

/// "p50 / p99 / max" in ms of unsorted µs values.
pub fn spread(mut values: Vec<u32>) -> String {
    values.sort_unstable();
    format!(
        "{:.2} / {:.2} / {:.1}",
        percentile_ms(&values, 0.5),
        percentile_ms(&values, 0.99),
        percentile_ms(&values, 1.0)
    )
}

pub const HEADER: &str =
    "| phase | video streams | worker CPU | generator CPU | streams per worker core | \
RSS / heap per receiver | received pkt/s, Mbit/s | video delivered | delay p50 / p99 / max ms | \
join → first video p50 / p99 / max ms | load avg |\n|---|---|---|---|---|---|---|---|---|---|---|";

#[derive(Clone, Copy)]
pub struct Settings {
    pub measure: Duration,
    /// Load running before the measurement starts (joins' keyframes and renegotiations done).
    pub warmup: Duration,
    pub join_gap: Duration,
    /// Bit/s every subscriber is assumed to have when layers are chosen (`SfuConfig::fixed_budget`);
    /// `None`, as the server runs: each one's own bandwidth estimate.
    pub budget: Option<u64>,
}

/// What each receiver got during a phase's measurement, in the order they joined.
pub struct Window {
    /// How long the measurement lasted.
    pub secs: f64,
    /// Per receiver, video frames by publisher and layer.
    pub sources: Vec<Sources>,
}
