//! Which media worker carries each room: pure bookkeeping, no threads.
//!
//! A room's sessions forward to each other on one thread without locks, so every command for a
//! room must reach the same worker. A room is pinned on the first command that names a member and
//! unpinned once every member it was told of has left (the room tells `Leave` for each one; see
//! `room/media.rs`). A new room goes to the worker with the fewest members: a school's few large
//! classes then spread over the cores, where a hash of the name would put two classes on one
//! worker half the time with two workers.
//!
//! The pins also keep each member's last audio and screen rights and view. The room tells a right
//! only when it changes, so when a worker's thread ends and its rooms move, the new worker would
//! otherwise never hear the rights given before the move (the teacher's voice would stay silent),
//! nor the views (every member would get every camera).

use std::collections::HashMap;

use crate::protocol::{PeerId, Tile};
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

/// What a member may send through the media server, and the cameras it shows, as last told.
#[derive(Clone, Debug, Default)]
struct Rights {
    audio: bool,
    screen: bool,
    view: Option<Vec<Tile>>,
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

    /// What `room`'s worker must be told before anything else, once, after the room moved to it:
    /// the audio and screen rights given on the worker that is gone (new sessions start with
    /// neither), and the views.
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
            if let Some(tiles) = &rights.view {
                owed.push(Media::View {
                    peer,
                    tiles: tiles.clone(),
                });
            }
        }
        owed
    }

    /// The worker that must carry `cmd` for `room`; `None` for a departure from a room no worker
    /// holds (nothing to end), or when every worker is gone.
    pub fn route(&mut self, room: &str, cmd: &Media) -> Option<usize> {
        let peer = match cmd {
            Media::Leave { peer } => return self.leave(room, *peer),
            Media::Signal { peer, .. }
            | Media::View { peer, .. }
            | Media::Audio { peer, .. }
            | Media::Screen { peer, .. } => *peer,
        };
        let (worker, told) = self.member(room, peer)?;
        match cmd {
            Media::Audio { allowed, .. } => told.audio = *allowed,
            Media::Screen { allowed, .. } => told.screen = *allowed,
            Media::View { tiles, .. } => told.view = Some(tiles.clone()),
            Media::Signal { .. } | Media::Leave { .. } => {}
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
mod tests;
