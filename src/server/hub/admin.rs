//! The administrator's actions on rooms, live or not: end the class, delete, reopen, a new teacher
//! key. Each takes the hub's lock once, like a member's message.

use super::{Hub, Rooms};
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
        match self.run(live, room_id, None, input) {
            Some(gone) => self.settle(&mut rooms, room_id, gone),
            None => self.tear_down(&mut rooms, room_id),
        }
    }

    fn close(&self, room_id: &str, action: AdminAction) -> usize {
        let mut rooms = self.lock();
        let mut ended = 0;
        if let Some(live) = rooms.live.get_mut(room_id) {
            ended = live.queues.len();
            let input = Input::Admin(action.clone());
            match self.run(live, room_id, None, input) {
                Some(gone) => {
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

#[cfg(test)]
mod tests {
    use crate::server::hub::queue::{channel, Rx as Receiver};

    use super::super::{Hub, JoinRequest, Joined};
    use crate::protocol::{ClientMsg, EndedReason, ErrorCode, MediaState, ServerMsg};
    use crate::server::records::Recorder;
    use crate::server::room::RoomSpec;
    use crate::server::secret;

    /// Room "r" as a join read it from the database, with teacher key `key`.
    fn spec(key: &str) -> RoomSpec {
        RoomSpec {
            id: "r".into(),
            name: "Math".into(),
            teacher_key_hash: secret::hash(key),
            capacity: 6,
            mesh_size: 6,
            ice_servers: vec![],
            turn: None,
            auto_admit: true,
            chat: vec![],
            resume_grace: 15_000,
        }
    }

    /// Peer `peer` joins with the room as read with `read_key`, using `key` (none: a student).
    fn join(hub: &Hub, peer: u64, read_key: &str, key: Option<&str>) -> (bool, Receiver) {
        let msg = ClientMsg::Join {
            room: "r".into(),
            name: format!("P{peer}"),
            teacher_key: key.map(Into::into),
            media: MediaState::default(),
            attendee: None,
        };
        let (tx, rx) = channel(64);
        let request = JoinRequest {
            peer,
            address: format!("10.0.0.{peer}"),
            msg,
        };
        let joined = matches!(hub.join(spec(read_key), request, tx), Joined::Yes(_));
        (joined, rx)
    }

    fn refused_with(rx: &mut Receiver, want: ErrorCode) {
        match rx.try_recv() {
            Ok(ServerMsg::Error { code, .. }) => assert_eq!(code, want),
            other => panic!("expected {want:?}, got {other:?}"),
        }
    }

    #[test]
    fn a_join_that_read_the_old_key_still_needs_the_new_one() {
        let hub = Hub::new(Recorder::discard());
        hub.set_teacher_key("r", &secret::hash("new"));
        let (joined, mut rx) = join(&hub, 1, "old", Some("old"));
        assert!(!joined);
        refused_with(&mut rx, ErrorCode::BadTeacherKey);
        let (joined, _rx) = join(&hub, 2, "old", Some("new"));
        assert!(joined, "the new key makes a teacher");
    }

    #[test]
    fn ended_and_deleted_rooms_refuse_joins_that_read_them_open_until_reopened() {
        let hub = Hub::new(Recorder::discard());
        let (_, mut student) = join(&hub, 1, "k", None);
        assert!(matches!(student.try_recv(), Ok(ServerMsg::Joined { .. })));
        assert_eq!(hub.delete_room("r"), 1);
        assert_eq!(
            student.try_recv().ok(),
            Some(ServerMsg::Ended {
                reason: EndedReason::RoomDeleted,
                by: None
            })
        );
        assert!(
            student.try_recv().is_err(),
            "its queue is dropped: the socket closes"
        );
        let (joined, mut rx) = join(&hub, 2, "k", None);
        assert!(!joined);
        refused_with(&mut rx, ErrorCode::UnknownRoom);

        assert_eq!(hub.end_class("r"), 0, "nobody was in it");
        assert!(hub.reopen("r"));
        assert!(!hub.reopen("r"), "only once");
        assert!(join(&hub, 3, "k", None).0);
    }
}
