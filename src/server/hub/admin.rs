//! The administrator's actions on rooms, live or not: end the class, delete, reopen, a new teacher
//! key. Each takes the hub's lock once, like a member's message.

use super::{guarded, Hub, Rooms};
use crate::server::db::now_ms;
use crate::server::room::{AdminAction, Input, Record, RoomSpec};

impl Hub {
    /// Ends the class of `room_id` for everyone in it, as a teacher's `end_class` does (with no
    /// teacher's name), and closes the room through the same [`Record::ClassEnded`] — also when
    /// nobody is in it. Returns how many connections were ended. Ending an ended room again changes
    /// nothing (the record only closes a room that is open).
    pub fn end_class(&self, room_id: &str) -> usize {
        self.close(room_id, AdminAction::EndClass)
    }

    /// Sends everyone in `room_id` off with `room_deleted` and refuses it from now on, so no join
    /// that read the room before it was deleted gets in. Returns how many connections were ended.
    /// The caller deletes the rows after flushing the records.
    pub fn delete_room(&self, room_id: &str) -> usize {
        let ended = self.close(room_id, AdminAction::Delete);
        self.lock().rekeyed.remove(room_id);
        ended
    }

    /// Forgets that `room_id` was ended (its row was reopened): joins are let through again.
    /// Returns whether it was remembered as ended.
    pub fn reopen(&self, room_id: &str) -> bool {
        self.lock().ended.remove(room_id)
    }

    /// From now on the teacher key of `room_id` is the one hashed to `hash` (already stored): the
    /// live room takes it at once, and a room made live later by a join that read the old row
    /// takes it too.
    pub fn set_teacher_key(&self, room_id: &str, hash: &str) {
        let mut rooms = self.lock();
        rooms.rekeyed.insert(room_id.to_string(), hash.to_string());
        let Some(live) = rooms.live.get_mut(room_id) else {
            return;
        };
        let input = Input::Admin(AdminAction::TeacherKey(hash.to_string()));
        match guarded(room_id, || live.room.step(now_ms(), input)) {
            Some(out) => {
                let gone = self.apply(live, room_id, None, out);
                self.settle(&mut rooms, room_id, gone);
            }
            None => self.tear_down(&mut rooms, room_id),
        }
    }

    fn close(&self, room_id: &str, action: AdminAction) -> usize {
        let mut rooms = self.lock();
        let mut ended = 0;
        if let Some(live) = rooms.live.get_mut(room_id) {
            ended = live.queues.len();
            let input = Input::Admin(action.clone());
            match guarded(room_id, || live.room.step(now_ms(), input)) {
                Some(out) => {
                    let gone = self.apply(live, room_id, None, out);
                    // The room has ended: settling forgets it and remembers it as ended.
                    self.settle(&mut rooms, room_id, gone);
                    return ended;
                }
                None => self.tear_down(&mut rooms, room_id),
            }
        }
        // Nobody in it (or its state was lost): the hub only remembers it as ended.
        rooms.ended.insert(room_id.to_string());
        if action == AdminAction::EndClass {
            self.recorder
                .write(room_id, Record::ClassEnded { at: now_ms() });
        }
        ended
    }
}

impl Rooms {
    /// `spec` with the teacher key the administrator set since it was read, if any.
    pub(super) fn current_key(&self, mut spec: RoomSpec) -> RoomSpec {
        if let Some(hash) = self.rekeyed.get(&spec.id) {
            spec.teacher_key_hash.clone_from(hash);
        }
        spec
    }
}
