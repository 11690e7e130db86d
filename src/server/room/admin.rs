//! What the administrator does to a live room: end the class, delete the room, change the teacher
//! key. The administrator is not a member: these come from the admin pages through the hub, never
//! from a socket, so no client message can reach them.

use super::{Out, Output, Record, Room, Stage};
use crate::protocol::{EndedReason, PeerId, ServerMsg, UnixMillis};

/// An administrator's action on a room.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminAction {
    /// Ends the class as a teacher's `end_class` does: everyone is sent off with `class_ended`
    /// and the room is closed (the same [`Record::ClassEnded`]).
    EndClass,
    /// Sends everyone off with `room_deleted`; the caller then deletes the room's rows.
    Delete,
    /// From now on the teacher key is the one with this hash (hex SHA-256).
    ///
    /// A teacher already in the call under the old key stays: the key is checked when someone
    /// joins, the teacher in the call is running the lesson, and cutting them off mid-sentence
    /// would punish the class for a leaked link. An administrator who wants them out ends the class
    /// (everyone goes), then hands out the new link.
    TeacherKey(String),
}

impl Room {
    pub(super) fn admin(&mut self, now: UnixMillis, action: AdminAction, out: &mut Out) {
        match action {
            AdminAction::TeacherKey(hash) => self.spec.teacher_key_hash = hash,
            // Ending twice changes nothing (and records nothing twice).
            _ if self.ended => {}
            AdminAction::EndClass => {
                self.send_everyone_off(now, EndedReason::ClassEnded, out);
                out.push(Output::Persist(Record::ClassEnded { at: now }));
            }
            AdminAction::Delete => self.send_everyone_off(now, EndedReason::RoomDeleted, out),
        }
    }

    /// Everyone, waiting or admitted, is told `ended` (with no `by`: the administrator is not in
    /// the room, and clients word the message themselves) and closed; the room takes nobody after.
    fn send_everyone_off(&mut self, now: UnixMillis, reason: EndedReason, out: &mut Out) {
        let everyone: Vec<(PeerId, bool)> = self
            .members
            .iter()
            .map(|(&id, m)| (id, m.stage == Stage::Admitted))
            .collect();
        self.members.clear();
        for (peer, admitted) in everyone {
            if admitted {
                out.push(Output::Persist(Record::Left { peer, at: now }));
            }
            out.push(Output::Send(peer, ServerMsg::Ended { reason, by: None }));
            out.push(Output::Close(peer, reason));
        }
        self.ended = true;
    }
}
