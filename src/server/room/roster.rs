//! Who is in the room: single members, the lists (the waiting list in knock order, the admitted
//! count, the summary), and what the hub asks without changing anything.

use super::{Room, Stage};
use crate::protocol::{Knock, PeerId, PeerInfo, RoomSummary, Settings};

impl Room {
    /// How `peer` appears in the teachers' waiting list, if it is waiting.
    pub(super) fn knock(&self, peer: PeerId) -> Option<Knock> {
        let member = self.members.get(&peer)?;
        let Stage::Waiting { since, .. } = member.stage else {
            return None;
        };
        Some(Knock {
            id: peer,
            name: member.info.name.clone(),
            since,
        })
    }

    /// Everyone waiting, first come first.
    pub(super) fn knocks(&self) -> Vec<Knock> {
        let mut list = self.waiting_list();
        list.sort_by_key(|(seq, _)| *seq);
        list.into_iter()
            .filter_map(|(_, p)| self.knock(p))
            .collect()
    }

    pub(super) fn waiting_list(&self) -> Vec<(u64, PeerId)> {
        self.members
            .iter()
            .filter_map(|(&id, m)| match m.stage {
                Stage::Waiting { seq, .. } => Some((seq, id)),
                Stage::Admitted => None,
            })
            .collect()
    }

    pub(super) fn admitted(&self) -> usize {
        self.members
            .values()
            .filter(|m| m.stage == Stage::Admitted)
            .count()
    }

    pub(super) fn summary(&self) -> RoomSummary {
        RoomSummary {
            id: self.spec.id.clone(),
            name: self.spec.name.clone(),
            capacity: self.spec.capacity,
        }
    }

    /// The member's info, if `peer` is admitted.
    pub fn member(&self, peer: PeerId) -> Option<&PeerInfo> {
        self.members
            .get(&peer)
            .filter(|m| m.stage == Stage::Admitted)
            .map(|m| &m.info)
    }

    /// Whether `peer` is in the room, admitted or waiting.
    pub fn contains(&self, peer: PeerId) -> bool {
        self.members.contains_key(&peer)
    }

    /// Whether `peer` is in the room with its connection lost (within the grace period).
    pub fn is_away(&self, peer: PeerId) -> bool {
        self.members.get(&peer).is_some_and(|m| m.away.is_some())
    }

    /// The admitted members `peer` has been told about (all but itself and its strangers).
    pub fn known_by(&self, peer: PeerId) -> Vec<PeerId> {
        self.known_to(peer).collect()
    }

    /// Everyone in the room, admitted or waiting, connected or away.
    pub fn peers(&self) -> Vec<PeerId> {
        self.members.keys().copied().collect()
    }

    /// Number of connections in the room, admitted or waiting.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when nobody is in the room (the hub then forgets it).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// True once a teacher or the administrator ended the class (or deleted the room); the room
    /// takes nobody any more.
    pub fn has_ended(&self) -> bool {
        self.ended
    }

    /// The room's current settings.
    pub fn settings(&self) -> Settings {
        self.settings
    }
}
