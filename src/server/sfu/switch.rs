//! One subscriber's outgoing stream of one camera (or screen share) across layer changes.
//!
//! The subscriber has one m-line per camera whatever layer feeds it, so a change of layer must
//! look like one continuous stream to its decoder: the old layer keeps flowing until the new one
//! sends a keyframe (a delta frame of another resolution cannot be decoded), and the RTP
//! timestamps written stay monotonic. Chromium's layers share one capture clock, so usually the
//! offset stays as it is; a layer on another clock (or a resume after a pause) is re-based on the
//! wall clock since the last frame written. Pure: no `Rtc`; the worker writes what this lets through.

use std::time::Instant;

use str0m::media::{MediaTime, Rid};

/// A layer of a camera: its rid, `None` for a camera without simulcast.
pub type Layer = Option<Rid>;

/// The state of one (subscriber, camera) pair.
#[derive(Debug, Default)]
pub struct Switch {
    /// The layer selection wants; `None` is paused.
    target: Option<Layer>,
    /// The layer being written now; `None` while waiting for a keyframe.
    current: Option<Layer>,
    /// Added to the incoming timestamp of `current`, in its clock's units.
    offset: i64,
    /// The last timestamp written and when.
    last: Option<(u64, Instant)>,
}

impl Switch {
    /// Aim at `target` (`None`: pause). Returns the layer a keyframe must be asked of, if the
    /// subscriber is not receiving it already. Pausing stops at once.
    pub fn set_target(&mut self, target: Option<Layer>) -> Option<Layer> {
        if self.target == target {
            return None;
        }
        self.target = target;
        match target {
            None => {
                self.current = None;
                None
            }
            Some(layer) => (self.current != Some(layer)).then_some(layer),
        }
    }

    /// The layer selection wants (`None`: paused).
    pub fn target(&self) -> Option<Layer> {
        self.target
    }

    /// The layer the subscriber decodes now, else the one it waits for: where its own keyframe
    /// requests must go.
    pub fn receiving(&self) -> Option<Layer> {
        self.current.or(self.target)
    }

    /// The layer still owed a keyframe: a switch or resume that has not happened yet.
    pub fn waiting(&self) -> Option<Layer> {
        self.target.filter(|t| self.current != Some(*t))
    }

    /// A frame of `layer` arrived with timestamp `time`: the timestamp to write it with, or
    /// `None` if this subscriber does not get it.
    pub fn accept(
        &mut self,
        layer: Layer,
        keyframe: bool,
        time: MediaTime,
        now: Instant,
    ) -> Option<MediaTime> {
        let target = self.target?;
        // Without simulcast there is nothing to switch between: a decoder that resumes mid-GOP
        // asks for its keyframe itself.
        if layer == target && self.current != Some(target) && (keyframe || layer.is_none()) {
            self.rebase(time, now);
            self.current = Some(target);
        }
        if self.current != Some(layer) {
            return None;
        }
        let out = (time.numer() as i64).saturating_add(self.offset).max(0) as u64;
        if let Some((last, _)) = self.last {
            if out < last {
                return None; // a late frame from before a switch: never go back in time
            }
        }
        self.last = Some((out, now));
        Some(MediaTime::new(out, time.frequency()))
    }

    /// Keep the offset if the new layer continues the timeline; else continue from the last
    /// timestamp written plus the wall-clock time since.
    fn rebase(&mut self, time: MediaTime, now: Instant) {
        let Some((last, at)) = self.last else {
            self.offset = 0;
            return;
        };
        let rate = u64::from(time.frequency().get());
        let elapsed =
            (now.saturating_duration_since(at).as_micros() as u64).saturating_mul(rate) / 1_000_000;
        let elapsed = elapsed.max(1);
        let kept = (time.numer() as i64).saturating_add(self.offset);
        let ahead = kept - last as i64;
        if ahead > 0 && (ahead as u64) <= elapsed + rate / 2 {
            return;
        }
        self.offset = (last + elapsed) as i64 - time.numer() as i64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use str0m::media::Frequency;

    fn t(ticks: u64) -> MediaTime {
        MediaTime::new(ticks, Frequency::NINETY_KHZ)
    }

    fn l(rid: &str) -> Layer {
        Some(Rid::from(rid))
    }

    #[test]
    fn the_old_layer_flows_until_the_new_one_has_a_keyframe() {
        let now = Instant::now();
        let mut sw = Switch::default();
        assert_eq!(sw.set_target(Some(l("h"))), Some(l("h")), "start: keyframe");
        assert_eq!(sw.accept(l("h"), false, t(0), now), None, "no keyframe yet");
        assert_eq!(sw.accept(l("h"), true, t(3000), now), Some(t(3000)));
        assert_eq!(
            sw.set_target(Some(l("h"))),
            None,
            "unchanged: nothing asked"
        );

        assert_eq!(sw.set_target(Some(l("l"))), Some(l("l")));
        assert_eq!(sw.waiting(), Some(l("l")));
        assert_eq!(sw.accept(l("l"), false, t(6000), now), None);
        assert_eq!(
            sw.accept(l("h"), false, t(6000), now),
            Some(t(6000)),
            "h until l's keyframe"
        );
        assert_eq!(sw.accept(l("l"), true, t(9000), now), Some(t(9000)));
        assert_eq!(sw.accept(l("h"), false, t(9000), now), None, "h is over");
        assert_eq!(sw.receiving(), Some(l("l")));
        assert_eq!(sw.waiting(), None);
    }

    #[test]
    fn timestamps_stay_monotonic_across_layers_on_another_clock() {
        let t0 = Instant::now();
        let mut sw = Switch::default();
        sw.set_target(Some(l("h")));
        assert_eq!(sw.accept(l("h"), true, t(900_000), t0), Some(t(900_000)));
        sw.set_target(Some(l("m")));
        // m's clock is far behind h's: continue from where h stopped, by the wall clock.
        let t1 = t0 + Duration::from_millis(100);
        assert_eq!(sw.accept(l("m"), true, t(5_000), t1), Some(t(909_000)));
        let t2 = t1 + Duration::from_millis(33);
        assert_eq!(sw.accept(l("m"), false, t(7_970), t2), Some(t(911_970)));
        // A layer on the same clock as what is written keeps the offset exactly.
        sw.set_target(Some(l("l")));
        let same = sw.accept(l("l"), true, t(10_970), t2 + Duration::from_millis(33));
        assert_eq!(same, Some(t(914_970)));
    }

    #[test]
    fn pause_stops_at_once_and_resume_waits_for_a_keyframe() {
        let now = Instant::now();
        let mut sw = Switch::default();
        sw.set_target(Some(l("m")));
        assert!(sw.accept(l("m"), true, t(100), now).is_some());
        assert_eq!(sw.set_target(None), None);
        assert_eq!(sw.accept(l("m"), true, t(200), now), None, "paused");
        assert_eq!(
            sw.set_target(Some(l("m"))),
            Some(l("m")),
            "resume: keyframe"
        );
        assert_eq!(sw.accept(l("m"), false, t(300), now), None);
        assert!(sw.accept(l("m"), true, t(400), now).is_some());
    }

    #[test]
    fn a_camera_without_simulcast_flows_without_waiting() {
        let now = Instant::now();
        let mut sw = Switch::default();
        assert_eq!(sw.set_target(Some(None)), Some(None));
        assert_eq!(sw.accept(None, false, t(100), now), Some(t(100)));
    }
}
