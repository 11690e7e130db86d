//! What one signaling connection may send: a token bucket of messages and one of bytes.
//!
//! Sized for the largest honest burst, a join into a full room: the newcomer sends one offer and a
//! handful of ICE candidates to every member at once (measured: docs/BENCHMARKS.md). Above the
//! budget a message is refused with `rate_limited`; a client that keeps sending regardless is
//! disconnected (close code 1008): after 50 refusals in a row, or when it keeps sending at more
//! than twice the budget.

use std::num::NonZeroU32;

use governor::clock::MonotonicClock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// A bucket on the standard monotonic clock: governor's default clock (quanta) carries its own
/// calibration, ~50 bytes in each of the two buckets every connection keeps for its life, for a
/// speed-up of nanoseconds per message.
type Bucket =
    RateLimiter<NotKeyed, InMemoryState, MonotonicClock, NoOpMiddleware<std::time::Instant>>;

/// Messages a connection may send at once, and then per second.
pub const BURST_MESSAGES: u32 = 400;
pub const MESSAGES_PER_SECOND: u32 = 50;
/// Bytes a connection may send at once, and then per second.
pub const BURST_BYTES: u32 = 1024 * 1024;
pub const BYTES_PER_SECOND: u32 = 256 * 1024;
/// How far refused messages may outnumber admitted ones before the connection is closed: 50 in a
/// row, or a client that keeps sending at more than twice its budget.
pub const STRIKES_BEFORE_CLOSE: u32 = 50;

/// What to do with one incoming message.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within budget: handle it.
    Admit,
    /// Over budget: refuse it with `rate_limited`.
    Refuse,
    /// Over budget again and again: close the connection.
    Close,
}

/// One connection's budget.
pub struct Budget {
    messages: Bucket,
    bytes: Bucket,
    strikes: u32,
}

impl Budget {
    /// A full budget.
    pub fn new() -> Self {
        Budget {
            messages: RateLimiter::direct_with_clock(
                quota(MESSAGES_PER_SECOND, BURST_MESSAGES),
                MonotonicClock,
            ),
            bytes: RateLimiter::direct_with_clock(
                quota(BYTES_PER_SECOND, BURST_BYTES),
                MonotonicClock,
            ),
            strikes: 0,
        }
    }

    /// Charges one message of `len` bytes.
    pub fn charge(&mut self, len: usize) -> Verdict {
        let bytes =
            NonZeroU32::new(u32::try_from(len).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MIN);
        // Bytes are only charged for a message that is itself within the message budget.
        let ok = self.messages.check().is_ok() && matches!(self.bytes.check_n(bytes), Ok(Ok(())));
        if ok {
            // One admission takes one strike back, not all of them: a flood that only pauses for
            // the budget's refill (one admitted message every 20 ms) would otherwise never close.
            self.strikes = self.strikes.saturating_sub(1);
            return Verdict::Admit;
        }
        self.strikes += 1;
        if self.strikes >= STRIKES_BEFORE_CLOSE {
            Verdict::Close
        } else {
            Verdict::Refuse
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new()
    }
}

fn quota(per_second: u32, burst: u32) -> Quota {
    let per_second = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(per_second).allow_burst(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_small() {
        // Every connection keeps one for its whole life.
        assert!(
            std::mem::size_of::<Budget>() <= 96,
            "{}",
            std::mem::size_of::<Budget>()
        );
    }

    #[test]
    fn a_burst_passes_then_refusals_then_close() {
        let mut budget = Budget::new();
        for _ in 0..BURST_MESSAGES {
            assert_eq!(budget.charge(100), Verdict::Admit);
        }
        for _ in 1..STRIKES_BEFORE_CLOSE {
            assert_eq!(budget.charge(100), Verdict::Refuse);
        }
        assert_eq!(budget.charge(100), Verdict::Close);
    }

    #[test]
    fn large_messages_spend_the_byte_budget() {
        let mut budget = Budget::new();
        let big = 64 * 1024;
        for _ in 0..(BURST_BYTES as usize / big) {
            assert_eq!(budget.charge(big), Verdict::Admit);
        }
        assert_eq!(budget.charge(big), Verdict::Refuse);
    }

    #[test]
    fn a_message_larger_than_the_whole_budget_is_refused_not_a_panic() {
        let mut budget = Budget::new();
        assert_eq!(budget.charge(usize::MAX), Verdict::Refuse);
        assert_eq!(budget.charge(0), Verdict::Admit);
    }

    /// Found in review: a flood paced to let one message through per refill (every 20 ms) reset
    /// the strikes each time, and was never closed at up to ~50 times the budget.
    #[test]
    fn a_flood_that_waits_for_each_refill_is_closed_all_the_same() {
        let mut budget = Budget::new();
        for _ in 0..BURST_MESSAGES {
            budget.charge(10);
        }
        let start = std::time::Instant::now();
        let mut admitted = 0;
        let verdict = loop {
            match budget.charge(10) {
                Verdict::Close => break Verdict::Close,
                Verdict::Admit => admitted += 1,
                Verdict::Refuse => {}
            }
            if start.elapsed() > std::time::Duration::from_secs(2) {
                break Verdict::Refuse;
            }
            // ~1,000 a second: fewer than 50 refusals between two admissions.
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        assert_eq!(verdict, Verdict::Close, "{admitted} admitted, never closed");
    }
}
