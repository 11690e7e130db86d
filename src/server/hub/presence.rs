//! Who is in the live rooms right now, for the admin room list.

use std::collections::HashMap;

use super::Hub;
use crate::protocol::Role;

/// A live room as the admin list shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presence {
    /// Members admitted to the call (students in the waiting room are not in the class yet).
    pub people: usize,
    /// Whether one of them is a teacher.
    pub teacher: bool,
    /// Students waiting to be let in.
    pub waiting: usize,
}

impl Hub {
    /// The presence in each of `room_ids` that is live (somebody connected, admitted or waiting);
    /// rooms nobody is in are absent. Holds the lock for one page of rooms, a few members each.
    pub fn presence(&self, room_ids: &[String]) -> HashMap<String, Presence> {
        let rooms = self.lock();
        room_ids
            .iter()
            .filter_map(|id| {
                let live = rooms.live.get(id)?;
                let mut presence = Presence::default();
                for &peer in live.queues.keys() {
                    match live.room.member(peer) {
                        Some(info) => {
                            presence.people += 1;
                            presence.teacher |= info.role == Role::Teacher;
                        }
                        None => presence.waiting += 1,
                    }
                }
                Some((id.clone(), presence))
            })
            .collect()
    }
}
