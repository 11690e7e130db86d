//! The one-publisher rooms of the `steps`, `lecture` and `class` scenarios.

use std::sync::Arc;
use std::time::Duration;

use crate::load::Load;
use crate::stats::Stats;

/// Adds `rooms` rooms of `publishers` members on camera (they also receive each other), then,
/// once they send, `subscribers` receive-only members each. Returns the new receivers.
pub fn add_rooms(
    load: &mut Load,
    rooms: usize,
    publishers: u64,
    subscribers: u64,
) -> Vec<Arc<Stats>> {
    let names: Vec<String> = (0..rooms).map(|_| load.new_room()).collect();
    let gap = load.settings().join_gap;
    let mut receivers = Vec::new();
    for room in &names {
        for peer in 1..=publishers {
            let stats = load.spawn(room, peer, true, &[], &[]);
            if publishers > 1 {
                receivers.push(stats);
            }
            std::thread::sleep(gap);
        }
    }
    std::thread::sleep(Duration::from_secs(1));
    for room in &names {
        for peer in publishers + 1..=publishers + subscribers {
            receivers.push(load.spawn(room, peer, false, &[], &[]));
            std::thread::sleep(gap);
        }
    }
    let p = publishers as usize;
    load.expect_streams(rooms * (p * subscribers as usize + p * (p - 1)));
    receivers
}
