//! Who is in the room, as lists: the waiting list in knock order, the admitted count, the summary.

use super::{Room, Stage};
use crate::protocol::{Knock, PeerId, RoomSummary};

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
}
