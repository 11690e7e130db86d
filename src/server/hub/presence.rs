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

#[cfg(test)]
mod tests {
    use super::super::{Hub, JoinRequest};
    use super::Presence;
    use crate::protocol::{ClientMsg, MediaState};
    use crate::server::records::Recorder;
    use crate::server::room::RoomSpec;
    use crate::server::secret;

    fn join(hub: &Hub, peer: u64, key: Option<&str>) -> crate::server::hub::queue::Rx {
        let spec = RoomSpec {
            id: "r".into(),
            name: "Math".into(),
            teacher_key_hash: secret::hash("key"),
            capacity: 6,
            mesh_size: 6,
            ice_servers: vec![],
            turn: None,
            auto_admit: false,
            chat: vec![],
            resume_grace: 15_000,
        };
        let msg = ClientMsg::Join {
            room: "r".into(),
            name: format!("P{peer}"),
            teacher_key: key.map(Into::into),
            media: MediaState::default(),
            attendee: None,
        };
        let (tx, rx) = crate::server::hub::queue::channel(64);
        let request = JoinRequest {
            peer,
            address: format!("10.0.0.{peer}"),
            msg,
        };
        let _ = hub.join(spec, request, tx);
        rx
    }

    #[test]
    fn presence_counts_the_admitted_the_teacher_and_the_waiting() {
        let hub = Hub::new(Recorder::discard());
        let ids = ["r".to_string(), "empty".to_string()];
        assert!(hub.presence(&ids).is_empty(), "nobody anywhere");
        let _student = join(&hub, 1, None);
        let only_waiting = hub.presence(&ids);
        assert_eq!(
            only_waiting["r"],
            Presence {
                people: 0,
                teacher: false,
                waiting: 1
            }
        );
        let _teacher = join(&hub, 2, Some("key"));
        let with_teacher = hub.presence(&ids);
        assert_eq!(
            with_teacher["r"],
            Presence {
                people: 1,
                teacher: true,
                waiting: 1
            }
        );
        assert!(!with_teacher.contains_key("empty"));
        hub.leave("r", 2, 2);
        hub.leave("r", 1, 1);
        assert!(hub.presence(&ids).is_empty(), "an empty room is forgotten");
    }
}
