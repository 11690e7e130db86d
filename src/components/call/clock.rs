//! "How long ago" for knocks and raised hands: a clock that ticks while the call view is shown.

use leptos::prelude::*;

use crate::protocol::UnixMillis;

/// How often the "N min" texts are refreshed.
#[cfg(feature = "hydrate")]
const TICK: std::time::Duration = std::time::Duration::from_secs(15);

/// The current time, refreshed every few seconds while the calling view lives (browser only;
/// `0` during server rendering, where no call is shown).
pub fn use_now() -> ReadSignal<UnixMillis> {
    let (now, set_now) = signal(current());
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let _ = set_now.try_set(current());
        },
        TICK,
    ) {
        on_cleanup(move || handle.clear());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}

fn current() -> UnixMillis {
    #[cfg(feature = "hydrate")]
    return js_sys::Date::now() as UnixMillis;
    #[cfg(not(feature = "hydrate"))]
    0
}

/// Whole minutes from `since` to `now` (never negative: clocks of server and browser differ).
pub fn minutes_since(since: UnixMillis, now: UnixMillis) -> i64 {
    (now - since).max(0) / 60_000
}
