//! What the administrator does to a live room: end the class, delete the room, change the teacher
//! key. The administrator is not a member: these come from the admin pages through the hub, never
//! from a socket, so no client message can reach them.

use super::{Out, Output, Record, Room};
use crate::protocol::{EndedReason, UnixMillis};

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
                // No `by`: the administrator is not in the room; clients word the message.
                self.send_everyone_off(now, EndedReason::ClassEnded, None, out);
                out.push(Output::Persist(Record::ClassEnded { at: now }));
            }
            AdminAction::Delete => self.send_everyone_off(now, EndedReason::RoomDeleted, None, out),
        }
    }
}
