//! When to try the signaling connection again after losing it. Pure: the random number that spreads
//! the attempts is passed in, so the schedule is unit-tested without a browser or a clock.

/// Pauses before the first attempts after a loss, in ms: the first at once (most losses are a blip).
const SCHEDULE_MS: [u32; 3] = [0, 300, 1_000];
/// Then about every second for as long as a place can still be taken back — the grace period on a
/// running server, and up to the two minutes a restarted server restores its rooms within (with no
/// close 1012 after a crash, a restart looks like any loss): a class is back within about a second
/// of its server, and one attempt a second per browser is nothing for a server to refuse.
const FAST_MS: u32 = 1_000;
/// How many attempts go about every second (about two minutes of them).
const FAST_ATTEMPTS: usize = 120;
/// The pause after that: a page left open keeps trying, slowly.
const STEADY_MS: u32 = 7_000;
/// The pause after the server said it is restarting (close code 1012): it comes back soon, and the
/// class should be back with it.
const RESTART_MS: u32 = 1_000;

/// Where a reconnecting client is in the schedule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backoff {
    /// Attempts made since the last success.
    attempt: usize,
    /// The server closed with 1012: try about every second until it is back.
    server_restarting: bool,
}

impl Backoff {
    /// A fresh schedule: the next attempt goes at once.
    pub fn new() -> Self {
        Self::default()
    }

    /// The server is restarting (close code 1012): from now until a success, try about every second.
    pub fn server_restarting(&mut self) {
        self.server_restarting = true;
    }

    /// The pause before the next attempt, in ms. `random` is uniform in [0, 1) and spreads the pause
    /// by ±50 %, so that a class whose server came back does not reconnect in one burst.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let attempt = self.attempt;
        self.attempt = self.attempt.saturating_add(1);
        let base = match (attempt, self.server_restarting) {
            (0, _) => 0,
            (_, true) => RESTART_MS,
            (n, false) => match SCHEDULE_MS.get(n) {
                Some(&ms) => ms,
                None if n < FAST_ATTEMPTS => FAST_MS,
                None => STEADY_MS,
            },
        };
        // A broken random source must not make the pause zero or endless.
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        (f64::from(base) * (0.5 + random)).round() as u32
    }

    /// The server took us back: the next loss starts the schedule from the beginning.
    pub fn reset(&mut self) {
        *self = Self::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delays(backoff: &mut Backoff, random: f64, n: usize) -> Vec<u32> {
        (0..n).map(|_| backoff.next_delay_ms(random)).collect()
    }

    #[test]
    fn the_schedule_without_jitter_is_the_documented_one() {
        let mut b = Backoff::new();
        assert_eq!(delays(&mut b, 0.5, 6), [0, 300, 1_000, 1_000, 1_000, 1_000]);
        let rest = delays(&mut b, 0.5, FAST_ATTEMPTS);
        let fast = FAST_ATTEMPTS - 6;
        assert!(
            rest[..fast].iter().all(|&d| d == 1_000),
            "about two minutes"
        );
        assert!(rest[fast..].iter().all(|&d| d == 7_000), "then slowly");
    }

    #[test]
    fn jitter_spreads_each_pause_by_half_either_way() {
        let low = delays(&mut Backoff::new(), 0.0, 4);
        let high = delays(&mut Backoff::new(), 0.999_999, 4);
        assert_eq!(low, [0, 150, 500, 500]);
        assert_eq!(high, [0, 450, 1_500, 1_500]);
    }

    #[test]
    fn the_first_attempt_goes_at_once_whatever_the_random_number() {
        for r in [0.0, 0.3, 0.99] {
            assert_eq!(Backoff::new().next_delay_ms(r), 0);
        }
    }

    #[test]
    fn after_a_server_restart_it_tries_about_every_second() {
        let mut b = Backoff::new();
        b.server_restarting();
        assert_eq!(
            delays(&mut b, 0.5, 10),
            [0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]
        );
        assert_eq!(b.next_delay_ms(0.0), 500);
        assert_eq!(b.next_delay_ms(0.999_999), 1_500);
    }

    #[test]
    fn a_restart_noticed_mid_schedule_switches_to_every_second() {
        let mut b = Backoff::new();
        assert_eq!(delays(&mut b, 0.5, 2), [0, 300]);
        b.server_restarting();
        assert_eq!(delays(&mut b, 0.5, 2), [1_000, 1_000]);
        delays(&mut b, 0.5, FAST_ATTEMPTS);
        assert_eq!(
            b.next_delay_ms(0.5),
            1_000,
            "for as long as the server restarts"
        );
    }

    #[test]
    fn a_success_starts_the_schedule_again() {
        let mut b = Backoff::new();
        b.server_restarting();
        delays(&mut b, 0.5, 7);
        b.reset();
        assert_eq!(delays(&mut b, 0.5, 3), [0, 300, 1_000]);
    }

    #[test]
    fn a_broken_random_source_still_gives_sane_pauses() {
        let mut b = Backoff::new();
        b.next_delay_ms(f64::NAN);
        assert_eq!(b.next_delay_ms(f64::NAN), 300);
        assert_eq!(b.next_delay_ms(-3.0), 500);
        assert_eq!(b.next_delay_ms(f64::INFINITY), 1_000);
        assert_eq!(b.next_delay_ms(7.0), 1_500);
    }
}
