//! What each incoming track sends: which simulcast layers are arriving and at what rate.
//!
//! Browsers drop and restore layers on their own (their uplink estimate, CPU, a small camera), so
//! a layer counts as present only while frames keep coming. The rate is measured over windows of
//! [`WINDOW`]: selection needs it to the nearest ten percent, not to the packet.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::layers::LayerRate;
use super::switch::Layer;

/// How long one measurement window lasts.
pub const WINDOW: Duration = Duration::from_secs(1);
/// A layer silent this long is gone.
const GONE: Duration = Duration::from_millis(1500);
/// What a packet costs on the wire besides its payload (IP, UDP, RTP with extensions, SRTP tag):
/// at the low layer's small frames it is a quarter of the rate, too much to leave out.
pub const PACKET_OVERHEAD: usize = 60;

#[derive(Debug)]
struct Window {
    start: Instant,
    bytes: u64,
    /// The rate of the last full window, bit/s.
    bps: u64,
    last: Instant,
}

/// The layers of one track.
#[derive(Debug, Default)]
pub struct Meter {
    layers: HashMap<Layer, Window>,
}

impl Meter {
    /// A frame of `bytes` (payload and packet overhead) arrived on `layer`. Returns `true` if the
    /// layer is new (or back).
    pub fn record(&mut self, layer: Layer, bytes: usize, now: Instant) -> bool {
        let fresh = self
            .layers
            .get(&layer)
            .is_none_or(|w| now.saturating_duration_since(w.last) > GONE);
        let w = self.layers.entry(layer).or_insert(Window {
            start: now,
            bytes: 0,
            bps: 0,
            last: now,
        });
        if fresh {
            *w = Window {
                start: now,
                bytes: 0,
                bps: 0,
                last: now,
            };
        }
        let elapsed = now.saturating_duration_since(w.start);
        if elapsed >= WINDOW {
            w.bps = w.bytes * 8 * 1000 / (elapsed.as_millis() as u64).max(1);
            w.start = now;
            w.bytes = 0;
        }
        w.bytes += bytes as u64;
        w.last = now;
        fresh
    }

    /// The layers present now with their rates. During a layer's first window the rate is
    /// extrapolated from what came so far, so a new layer is not taken for free.
    pub fn present(&self, now: Instant) -> Vec<LayerRate> {
        self.layers
            .iter()
            .filter(|(_, w)| now.saturating_duration_since(w.last) <= GONE)
            .map(|(layer, w)| {
                let so_far = now.saturating_duration_since(w.start).as_millis() as u64;
                let partial = w.bytes * 8 * 1000 / so_far.max(100);
                LayerRate {
                    rid: *layer,
                    bps: if w.bps == 0 { partial } else { w.bps },
                }
            })
            .collect()
    }

    /// The total rate of the layers present (for a track forwarded whole: audio).
    pub fn total(&self, now: Instant) -> u64 {
        self.present(now).iter().map(|l| l.bps).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use str0m::media::Rid;

    #[test]
    fn rates_per_layer_and_silent_layers_go() {
        let t0 = Instant::now();
        let (l, h) = (Some(Rid::from("l")), Some(Rid::from("h")));
        let mut meter = Meter::default();
        assert!(meter.record(l, 100, t0));
        assert!(meter.record(h, 1000, t0));
        assert!(!meter.record(l, 100, t0 + Duration::from_millis(10)));
        for i in 1..=40u64 {
            let at = t0 + Duration::from_millis(25 * i);
            meter.record(l, 125, at); // 5 kB/s = 40 kbit/s
            meter.record(h, 1250, at);
        }
        let now = t0 + Duration::from_millis(1000);
        let mut rates = meter.present(now);
        rates.sort_by_key(|r| r.bps);
        assert_eq!(rates.len(), 2);
        assert!((38_000..=44_000).contains(&rates[0].bps), "{rates:?}");
        assert!((380_000..=440_000).contains(&rates[1].bps), "{rates:?}");
        let later = t0 + Duration::from_millis(2600);
        meter.record(l, 125, later);
        assert_eq!(meter.present(later).len(), 1, "h went silent");
        assert!(
            meter.record(h, 10, later + Duration::from_millis(1)),
            "h back"
        );
    }
}
