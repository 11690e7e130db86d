//! Ending a class, by a teacher or by the administrator, and the administrator's other actions on
//! a live room: delete it, change the teacher key. The administrator is not a member: those come
//! from the admin pages through the hub, never from a socket, so no client message can reach them.

use super::{Out, Output, Record, Room, Stage};
use crate::protocol::{EndedReason, PeerId, UnixMillis};

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

    pub(super) fn end_class(&mut self, now: UnixMillis, by: PeerId, out: &mut Out) {
        let by_name = self.name_of(by);
        self.send_everyone_off(now, EndedReason::ClassEnded, by_name, out);
        out.push(Output::Persist(Record::ClassEnded { at: now }));
    }

    /// Everyone, waiting or admitted, is told `ended` (`by` whom, if a member did it) and closed;
    /// the attendance of the admitted ends; the room takes nobody after.
    pub(super) fn send_everyone_off(
        &mut self,
        now: UnixMillis,
        reason: EndedReason,
        by: Option<String>,
        out: &mut Out,
    ) {
        // A member who was away left when its connection was lost (and, after a restart, in
        // the server's last heartbeat), as on any other departure (`depart`).
        let everyone: Vec<(PeerId, bool, UnixMillis, bool)> = self
            .members
            .iter()
            .map(|(&id, m)| {
                let at = m.away.map_or(now, |away| away.since.min(now));
                let restart = m.away.is_some_and(|away| away.restored);
                (id, m.stage == Stage::Admitted, at, restart)
            })
            .collect();
        self.members.clear();
        for (peer, admitted, at, restart) in everyone {
            if admitted {
                out.push(Output::Persist(Record::Left { peer, at, restart }));
            }
            self.send_off(peer, reason, by.clone(), out);
        }
        self.ended = true;
    }
}
