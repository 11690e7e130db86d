//! Which media worker carries each room: pure bookkeeping, no threads.
//!
//! A room's sessions forward to each other on one thread without locks, so every command for a
//! room must reach the same worker. A room is pinned on the first command that names a member and
//! unpinned once every member it was told of has left (the room tells `Leave` for each one; see
//! `room/media.rs`). A new room goes to the worker with the fewest members: a school's few large
//! classes then spread over the cores, where a hash of the name would put two classes on one
//! worker half the time with two workers.

use std::collections::{HashMap, HashSet};

use crate::protocol::PeerId;
use crate::server::room::Media;

/// The rooms pinned to workers and each worker's member count.
#[derive(Debug)]
pub struct Pins {
    rooms: HashMap<String, Pin>,
    /// Members per worker, by index.
    load: Vec<usize>,
}

#[derive(Debug)]
struct Pin {
    worker: usize,
    members: HashSet<PeerId>,
}

impl Pins {
    /// Bookkeeping for `workers` workers (at least one).
    pub fn new(workers: usize) -> Pins {
        Pins {
            rooms: HashMap::new(),
            load: vec![0; workers.max(1)],
        }
    }

    /// The worker that must carry `cmd` for `room`; `None` for a departure from a room no worker
    /// holds (nothing to end).
    pub fn route(&mut self, room: &str, cmd: &Media) -> Option<usize> {
        match cmd {
            Media::Leave { peer } => self.leave(room, *peer),
            Media::Signal { peer, .. } | Media::Audio { peer, .. } | Media::View { peer, .. } => {
                Some(self.member(room, *peer))
            }
        }
    }

    /// The members of all rooms pinned to `worker`.
    pub fn members(&self, worker: usize) -> usize {
        self.load.get(worker).copied().unwrap_or(0)
    }

    /// The worker holding `room`, if any.
    pub fn worker_of(&self, room: &str) -> Option<usize> {
        self.rooms.get(room).map(|p| p.worker)
    }

    fn member(&mut self, room: &str, peer: PeerId) -> usize {
        let pin = match self.rooms.get_mut(room) {
            Some(pin) => pin,
            None => {
                let worker = least_loaded(&self.load);
                let pin = Pin {
                    worker,
                    members: HashSet::new(),
                };
                self.rooms.entry(room.to_owned()).or_insert(pin)
            }
        };
        if pin.members.insert(peer) {
            self.load[pin.worker] += 1;
        }
        pin.worker
    }

    fn leave(&mut self, room: &str, peer: PeerId) -> Option<usize> {
        let pin = self.rooms.get_mut(room)?;
        let worker = pin.worker;
        if pin.members.remove(&peer) {
            self.load[worker] -= 1;
        }
        if pin.members.is_empty() {
            self.rooms.remove(room);
        }
        Some(worker)
    }
}

/// The first worker with the fewest members.
fn least_loaded(load: &[usize]) -> usize {
    (0..load.len()).min_by_key(|&i| load[i]).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audio(peer: PeerId) -> Media {
        Media::Audio {
            peer,
            allowed: true,
        }
    }

    fn leave(peer: PeerId) -> Media {
        Media::Leave { peer }
    }

    #[test]
    fn each_new_room_goes_to_the_least_loaded_worker_and_stays_there() {
        let mut pins = Pins::new(2);
        for peer in 1..=30 {
            assert_eq!(pins.route("algebra", &audio(peer)), Some(0));
        }
        assert_eq!(pins.route("biology", &audio(1)), Some(1));
        assert_eq!(pins.route("chemistry", &audio(1)), Some(1), "1 member < 30");
        let view = Media::View {
            peer: 7,
            tiles: vec![],
        };
        assert_eq!(pins.route("algebra", &view), Some(0));
        assert_eq!(pins.route("algebra", &leave(3)), Some(0));
        assert_eq!(pins.load, vec![29, 2]);
    }

    #[test]
    fn a_room_everyone_left_is_unpinned_and_its_load_given_back() {
        let mut pins = Pins::new(3);
        pins.route("r", &audio(1));
        pins.route("r", &audio(2));
        pins.route("r", &audio(2)); // told twice: counted once
        assert_eq!(pins.load, vec![2, 0, 0]);
        assert_eq!(pins.route("r", &leave(1)), Some(0));
        assert_eq!(pins.worker_of("r"), Some(0));
        assert_eq!(
            pins.route("r", &leave(2)),
            Some(0),
            "the last leave still goes"
        );
        assert_eq!(pins.worker_of("r"), None);
        assert_eq!(pins.load, vec![0, 0, 0]);
    }

    /// Bad or late input pins nothing and unbalances nothing: a departure from a room no worker
    /// holds, a departure told twice, a member who was never told in.
    #[test]
    fn unknown_departures_change_nothing() {
        let mut pins = Pins::new(2);
        assert_eq!(pins.route("ghost", &leave(1)), None);
        assert_eq!(pins.worker_of("ghost"), None);
        pins.route("r", &audio(1));
        pins.route("r", &audio(2));
        assert_eq!(pins.route("r", &leave(9)), Some(0));
        assert_eq!(pins.route("r", &leave(1)), Some(0));
        assert_eq!(pins.route("r", &leave(1)), Some(0));
        assert_eq!(pins.load, vec![1, 0]);
        assert_eq!(pins.worker_of("r"), Some(0));
    }

    #[test]
    fn one_worker_takes_every_room() {
        let mut pins = Pins::new(0);
        assert_eq!(pins.route("a", &audio(1)), Some(0));
        assert_eq!(pins.route("b", &audio(1)), Some(0));
    }
}
