//! Which media worker carries each room: pure bookkeeping, no threads.
//!
//! A room's sessions forward to each other on one thread without locks, so every command for a
//! room must reach the same worker. A room is pinned on the first command that names a member and
//! unpinned once every member it was told of has left (the room tells `Leave` for each one; see
//! `room/media.rs`). A new room goes to the worker with the fewest members: a school's few large
//! classes then spread over the cores, where a hash of the name would put two classes on one
//! worker half the time with two workers.
//!
//! The pins also keep each member's last audio and screen rights. The room tells a right only when
//! it changes, so when a worker's thread ends and its rooms move, the new worker would otherwise
//! never hear the rights given before the move: the teacher's voice would stay silent.

use std::collections::HashMap;

use crate::protocol::PeerId;
use crate::server::room::Media;

/// The rooms pinned to workers and each worker's member count.
#[derive(Debug)]
pub struct Pins {
    rooms: HashMap<String, Pin>,
    /// Members per worker, by index.
    load: Vec<usize>,
    /// Workers found gone (their thread ended): nothing is pinned to them any more.
    retired: Vec<bool>,
}

#[derive(Debug)]
struct Pin {
    /// `None` once the worker is gone: the room's next command pins it to a live one.
    worker: Option<usize>,
    members: HashMap<PeerId, Rights>,
    /// Set when the room moved: its new worker is owed the rights given so far.
    owed: bool,
}

/// What a member may send through the media server, as last told.
#[derive(Clone, Copy, Debug, Default)]
struct Rights {
    audio: bool,
    screen: bool,
}

impl Pins {
    /// Bookkeeping for `workers` workers (at least one).
    pub fn new(workers: usize) -> Pins {
        Pins {
            rooms: HashMap::new(),
            load: vec![0; workers.max(1)],
            retired: vec![false; workers.max(1)],
        }
    }

    /// Worker `worker` is gone: its rooms are unpinned (their next command pins them to a live
    /// worker, where their browsers' next offers start new sessions, and [`Pins::owed`] gives the
    /// rights to tell it first) and no room goes there again.
    pub fn retire(&mut self, worker: usize) {
        if let Some(retired) = self.retired.get_mut(worker) {
            *retired = true;
            for pin in self.rooms.values_mut() {
                if pin.worker == Some(worker) {
                    pin.worker = None;
                }
            }
            self.load[worker] = 0;
        }
    }

    /// The rights `room`'s worker must be told before anything else, once, after the room moved
    /// to it: the audio and screen rights given on the worker that is gone (new sessions start
    /// with neither).
    pub fn owed(&mut self, room: &str) -> Vec<Media> {
        let Some(pin) = self
            .rooms
            .get_mut(room)
            .filter(|p| p.owed && p.worker.is_some())
        else {
            return Vec::new();
        };
        pin.owed = false;
        let mut owed = Vec::new();
        for (&peer, rights) in &pin.members {
            if rights.audio {
                owed.push(Media::Audio {
                    peer,
                    allowed: true,
                });
            }
            if rights.screen {
                owed.push(Media::Screen {
                    peer,
                    allowed: true,
                });
            }
        }
        owed
    }

    /// The worker that must carry `cmd` for `room`; `None` for a departure from a room no worker
    /// holds (nothing to end), or when every worker is gone.
    pub fn route(&mut self, room: &str, cmd: &Media) -> Option<usize> {
        let (peer, rights) = match cmd {
            Media::Leave { peer } => return self.leave(room, *peer),
            Media::Signal { peer, .. } | Media::View { peer, .. } => (*peer, None),
            Media::Audio { peer, allowed } => (*peer, Some((true, *allowed))),
            Media::Screen { peer, allowed } => (*peer, Some((false, *allowed))),
        };
        let (worker, told) = self.member(room, peer)?;
        match rights {
            Some((true, allowed)) => told.audio = allowed,
            Some((false, allowed)) => told.screen = allowed,
            None => {}
        }
        Some(worker)
    }

    /// Unpins `room` whatever it was told; the worker it was on, if any.
    pub fn end(&mut self, room: &str) -> Option<usize> {
        let pin = self.rooms.remove(room)?;
        let worker = pin.worker?;
        self.load[worker] -= pin.members.len();
        Some(worker)
    }

    /// The members of all rooms pinned to `worker`.
    pub fn members(&self, worker: usize) -> usize {
        self.load.get(worker).copied().unwrap_or(0)
    }

    /// The worker holding `room`, if any.
    pub fn worker_of(&self, room: &str) -> Option<usize> {
        self.rooms.get(room).and_then(|p| p.worker)
    }

    /// Pins `room` if it is not (or its worker is gone) and counts `peer` in it: the worker and
    /// the member's rights as told.
    fn member(&mut self, room: &str, peer: PeerId) -> Option<(usize, &mut Rights)> {
        let unpinned = self.rooms.get(room).is_none_or(|p| p.worker.is_none());
        let fresh = match unpinned {
            true => Some(least_loaded(&self.load, &self.retired)?),
            false => None,
        };
        let pin = self.rooms.entry(room.to_owned()).or_insert_with(|| Pin {
            worker: None,
            members: HashMap::new(),
            owed: false,
        });
        if let Some(worker) = fresh {
            pin.worker = Some(worker);
            // Members already listed moved from a worker that is gone.
            pin.owed = !pin.members.is_empty();
            self.load[worker] += pin.members.len();
        }
        let worker = pin.worker?;
        if !pin.members.contains_key(&peer) {
            self.load[worker] += 1;
        }
        Some((worker, pin.members.entry(peer).or_default()))
    }

    fn leave(&mut self, room: &str, peer: PeerId) -> Option<usize> {
        let pin = self.rooms.get_mut(room)?;
        let worker = pin.worker;
        if pin.members.remove(&peer).is_some() {
            if let Some(w) = worker {
                self.load[w] -= 1;
            }
        }
        if pin.members.is_empty() {
            self.rooms.remove(room);
        }
        // A departure from a room whose worker is gone ends nothing anywhere.
        worker
    }
}

/// The first live worker with the fewest members; `None` if every worker is gone.
fn least_loaded(load: &[usize], retired: &[bool]) -> Option<usize> {
    (0..load.len())
        .filter(|&i| !retired[i])
        .min_by_key(|&i| load[i])
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

    /// Found in review: a worker whose thread had ended kept its pins, and once its rooms emptied
    /// its load was the lowest, so every new class went there and had no media.
    #[test]
    fn a_retired_worker_gets_no_rooms_and_gives_its_rooms_back() {
        let mut pins = Pins::new(2);
        pins.route("a", &audio(1));
        pins.route("b", &audio(1));
        pins.route("b", &audio(2));
        pins.retire(0);
        pins.retire(7); // no such worker: nothing happens
        assert_eq!(pins.worker_of("a"), None, "unpinned");
        assert_eq!(
            pins.route("a", &audio(2)),
            Some(1),
            "pinned to a live worker again"
        );
        assert_eq!(
            pins.route("c", &audio(1)),
            Some(1),
            "though it carries more"
        );
        pins.retire(1);
        assert_eq!(pins.route("d", &audio(1)), None, "no worker left");
        assert_eq!(pins.worker_of("d"), None);
        assert_eq!(pins.route("a", &leave(1)), None, "nothing to end anywhere");
    }

    /// Found in review (session 26): the room tells a right only when it changes, so a room moved
    /// off a dead worker had its new worker forward nobody's voice or screen, teacher included.
    #[test]
    fn a_moved_room_owes_its_new_worker_the_rights_given_before() {
        let mut pins = Pins::new(2);
        pins.route("r", &audio(1)); // the teacher may speak
        pins.route("r", &audio(2));
        pins.route(
            "r",
            &Media::Audio {
                peer: 2,
                allowed: false,
            },
        ); // the word taken back
        pins.route(
            "r",
            &Media::Screen {
                peer: 3,
                allowed: true,
            },
        );
        assert!(pins.owed("r").is_empty(), "nothing owed where it was told");
        pins.retire(0);
        let signal = Media::View {
            peer: 2,
            tiles: vec![],
        };
        assert_eq!(pins.route("r", &signal), Some(1));
        assert_eq!(pins.members(1), 3, "its members count on the new worker");
        let mut owed = pins.owed("r");
        owed.sort_by_key(|m| format!("{m:?}"));
        assert_eq!(
            owed,
            vec![
                audio(1),
                Media::Screen {
                    peer: 3,
                    allowed: true
                }
            ]
        );
        assert!(pins.owed("r").is_empty(), "owed once");
        assert_eq!(pins.route("r", &leave(1)), Some(1));
        assert_eq!(pins.members(1), 2);
    }

    /// Found in review: a room torn down after a panic sent departures only for the members it
    /// still listed, so one it had lost track of kept the room pinned and the worker's load high.
    #[test]
    fn an_ended_room_is_unpinned_whoever_never_left() {
        let mut pins = Pins::new(2);
        pins.route("r", &audio(1));
        pins.route("r", &audio(2));
        pins.route("s", &audio(1));
        pins.route("r", &leave(1)); // 2 never leaves
        assert_eq!(pins.end("r"), Some(0));
        assert_eq!((pins.worker_of("r"), pins.members(0)), (None, 0));
        assert_eq!(pins.end("r"), None);
        assert_eq!(pins.members(1), 1, "the other room stays");
    }
}
