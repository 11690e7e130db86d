//! Connections lost to silence, watched server-wide: one connection going quiet is a client's
//! network; many within a second is an outage, a stalled load balancer or a stalled server, and
//! an operator should hear about it at `warn` rather than find every class reconnecting.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window in which silent drops are counted together.
const WINDOW: Duration = Duration::from_secs(1);

/// Counts connections dropped for silence in one-second windows.
pub struct SilenceWatch {
    /// More drops than this in one window is a mass drop.
    threshold: u32,
    window: Mutex<Window>,
}

struct Window {
    start: Option<Instant>,
    count: u32,
    warned: bool,
}

impl SilenceWatch {
    /// A watch that calls more than `threshold` drops within a second a mass drop.
    pub fn new(threshold: u32) -> Self {
        SilenceWatch {
            threshold,
            window: Mutex::new(Window {
                start: None,
                count: 0,
                warned: false,
            }),
        }
    }

    /// Notes one connection dropped for silence at `now`; returns the window's count when this
    /// drop makes it a mass drop (once per window, so a thousand drops give one line).
    pub fn dropped(&self, now: Instant) -> Option<u32> {
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if w.start
            .is_none_or(|start| now.duration_since(start) >= WINDOW)
        {
            *w = Window {
                start: Some(now),
                count: 0,
                warned: false,
            };
        }
        w.count += 1;
        if w.count > self.threshold && !w.warned {
            w.warned = true;
            return Some(w.count);
        }
        None
    }

    /// [`Self::dropped`] now, logging a mass drop at `warn`.
    pub fn note_drop(&self, idle: Duration) {
        if let Some(count) = self.dropped(Instant::now()) {
            tracing::warn!(
                count,
                idle_secs = idle.as_secs(),
                "mass drop: {count} connections silent for {}s within one second (network outage, \
                 stalled proxy, or an overloaded server?); their members keep their places for the \
                 resume grace period",
                idle.as_secs()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_drops_are_quiet_many_within_a_second_warn_once() {
        let watch = SilenceWatch::new(3);
        let t = Instant::now();
        let ms = |n| t + Duration::from_millis(n);
        assert_eq!(watch.dropped(ms(0)), None);
        assert_eq!(watch.dropped(ms(100)), None);
        assert_eq!(watch.dropped(ms(200)), None);
        assert_eq!(watch.dropped(ms(300)), Some(4));
        assert_eq!(watch.dropped(ms(400)), None, "one warning per window");
        // A new second starts counting again.
        assert_eq!(watch.dropped(ms(1300)), None);
    }

    #[test]
    fn drops_spread_over_seconds_never_warn() {
        let watch = SilenceWatch::new(3);
        let t = Instant::now();
        for i in 0..100 {
            assert_eq!(watch.dropped(t + Duration::from_millis(400 * i)), None);
        }
    }
}
