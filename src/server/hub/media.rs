//! The hub's side of the media server: rooms ask it things through [`Output::Media`], and the
//! hub hands each request over with the queue its answers go to.
//!
//! [`Output::Media`]: crate::server::room::Output::Media

use std::sync::Arc;

use super::{Hub, LiveRoom, Tx};
use crate::server::room::Media;

/// Where the hub hands what rooms ask of the media server: the SFU worker, or a fake in tests.
pub trait MediaServer: Send + Sync {
    /// Carries out `cmd` for room `room`, without blocking. `reply` is the queue of the member a
    /// [`Media::Signal`] came from: what the media peer answers goes there.
    fn command(&self, room: &str, cmd: Media, reply: Option<Tx>);

    /// Room `room` was torn down (its state could not be trusted): forget all of it, whatever it
    /// was told before. The room's departures come first, but a member it lost track of has none.
    fn end_room(&self, room: &str);
}

impl Hub {
    /// The same hub, with rooms that may move their media to `media`.
    pub fn with_media(self, media: Arc<dyn MediaServer>) -> Self {
        Hub {
            media: Some(media),
            ..self
        }
    }

    /// Hands `cmd` to the media server, with the queue of the member a signal came from (it has
    /// one: signals come from connected members).
    pub(super) fn to_media(&self, live: &LiveRoom, room_id: &str, cmd: Media) {
        let Some(media) = &self.media else {
            return;
        };
        let reply = match &cmd {
            Media::Signal { peer, .. } => live.queues.get(peer).map(|l| l.tx.clone()),
            _ => None,
        };
        media.command(room_id, cmd, reply);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use super::*;
    use crate::protocol::{ServerMsg, MEDIA_PEER};
    use crate::server::hub::queue::{channel, Rx};
    use crate::server::hub::tests::{drain, signal};
    use crate::server::records::Recorder;
    use crate::server::room::RoomSpec;

    /// Records what it is asked; answers every signal on its reply queue.
    #[derive(Default)]
    struct Fake(Mutex<Vec<(String, Media)>>, Mutex<Vec<String>>);

    impl MediaServer for Fake {
        fn command(&self, room: &str, cmd: Media, reply: Option<Tx>) {
            if let (Media::Signal { data, .. }, Some(tx)) = (&cmd, reply) {
                let from = MEDIA_PEER;
                let _ = tx.try_send(ServerMsg::Signal {
                    from,
                    data: data.clone(),
                });
            }
            self.0.lock().unwrap().push((room.into(), cmd));
        }

        fn end_room(&self, room: &str) {
            self.1.lock().unwrap().push(room.into());
        }
    }

    fn join(hub: &Hub, peer: u64) -> Rx {
        join_with(hub, peer, 64)
    }

    fn join_with(hub: &Hub, peer: u64, depth: usize) -> Rx {
        // The shared test room (students come straight in), a mesh of one at most.
        let spec = RoomSpec {
            mesh_size: 1,
            capacity: 10,
            ..crate::server::hub::tests::spec("r")
        };
        let msg = crate::protocol::ClientMsg::Join {
            room: "r".into(),
            name: format!("M{peer}"),
            teacher_key: None,
            media: Default::default(),
            attendee: None,
        };
        let (tx, rx) = channel(depth);
        let req = super::super::JoinRequest {
            peer,
            address: "10.0.0.1".into(),
            msg,
        };
        assert!(matches!(
            hub.join(spec, req, tx),
            super::super::Joined::Yes(_)
        ));
        rx
    }

    #[test]
    fn signals_reach_the_media_server_with_the_senders_queue_and_leaves_follow() {
        let fake = Arc::new(Fake::default());
        let hub = Hub::new(Recorder::discard()).with_media(fake.clone());
        let mut one = join(&hub, 1);
        let _two = join(&hub, 2);
        drain(&mut one);
        hub.handle("r", 1, 1, signal(MEDIA_PEER));
        let answers = drain(&mut one);
        assert!(matches!(answers[..], [ServerMsg::Signal { from: 0, .. }]));
        hub.leave("r", 2, 2);
        let seen: Vec<Media> = fake
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, m)| m.clone())
            .collect();
        let audio = |peer| Media::Audio {
            peer,
            allowed: false,
        };
        let sent = match &seen[2] {
            Media::Signal { peer: 1, .. } => seen[2].clone(),
            other => panic!("not the signal of 1: {other:?}"),
        };
        assert_eq!(
            seen,
            vec![audio(1), audio(2), sent, Media::Leave { peer: 2 }]
        );
        assert!(fake.0.lock().unwrap().iter().all(|(room, _)| room == "r"));
    }

    /// A room torn down (after a transition panicked) ends on the media server as a whole.
    #[test]
    fn a_torn_down_room_ends_on_the_media_server() {
        let fake = Arc::new(Fake::default());
        let hub = Hub::new(Recorder::discard()).with_media(fake.clone());
        let _one = join(&hub, 1);
        let _two = join(&hub, 2);
        hub.tear_down(&mut hub.lock(), "r");
        assert_eq!(*fake.1.lock().unwrap(), vec!["r".to_string()]);
        let leaves = fake.0.lock().unwrap();
        let left = |p| leaves.iter().any(|(_, m)| *m == Media::Leave { peer: p });
        assert!(left(1) && left(2), "the departures first");
    }

    /// Keeps each member's reply queue from its first signal until it leaves, as the SFU does.
    #[derive(Default)]
    struct Keeper(Mutex<HashMap<u64, Tx>>);

    impl MediaServer for Keeper {
        fn command(&self, _room: &str, cmd: Media, reply: Option<Tx>) {
            let mut kept = self.0.lock().unwrap();
            match (cmd, reply) {
                (Media::Signal { peer, .. }, Some(tx)) => {
                    kept.insert(peer, tx);
                }
                (Media::Leave { peer }, _) => {
                    kept.remove(&peer);
                }
                _ => {}
            }
        }

        fn end_room(&self, _room: &str) {}
    }

    /// Found in review: the hub let go of a member whose queue was full, but the media server still
    /// held a sender for it, so its connection never ended and its messages went nowhere.
    #[test]
    fn a_member_the_hub_lets_go_loses_its_connection_though_the_media_server_keeps_a_sender() {
        let keeper = Arc::new(Keeper::default());
        let hub = Hub::new(Recorder::discard()).with_media(keeper.clone());
        let mut one = join_with(&hub, 1, 4);
        let _two = join(&hub, 2); // past the mesh of one: the room is on the media server
        drain(&mut one);
        hub.handle("r", 1, 1, signal(MEDIA_PEER));
        assert!(keeper.0.lock().unwrap().contains_key(&1));
        // Others come in while 1 reads nothing: its queue overflows and the hub lets it go.
        let _others: Vec<Rx> = (3..10).map(|p| join(&hub, p)).collect();
        assert!(keeper.0.lock().unwrap().contains_key(&1), "away, not gone");
        while one.try_recv().is_ok() {}
        assert_eq!(
            one.try_recv(),
            Err(tokio::sync::mpsc::error::TryRecvError::Disconnected),
            "its connection goes on"
        );
    }

    /// Found in review (session 27): a room torn down after a panic dropped its members' queues
    /// without closing them, so a media server still holding a sender kept their connections open,
    /// talking to a room that no longer existed.
    #[test]
    fn a_torn_down_room_closes_its_members_connections_whoever_holds_a_sender() {
        /// Keeps every member's reply queue and never lets go.
        #[derive(Default)]
        struct Hoarder(Mutex<Vec<Tx>>);
        impl MediaServer for Hoarder {
            fn command(&self, _room: &str, _cmd: Media, reply: Option<Tx>) {
                self.0.lock().unwrap().extend(reply);
            }
            fn end_room(&self, _room: &str) {}
        }
        let hoarder = Arc::new(Hoarder::default());
        let hub = Hub::new(Recorder::discard()).with_media(hoarder.clone());
        let mut one = join(&hub, 1);
        let _two = join(&hub, 2);
        hub.handle("r", 1, 1, signal(MEDIA_PEER));
        assert_eq!(hoarder.0.lock().unwrap().len(), 1);
        hub.tear_down(&mut hub.lock(), "r");
        while one.try_recv().is_ok() {}
        assert_eq!(
            one.try_recv(),
            Err(tokio::sync::mpsc::error::TryRecvError::Disconnected)
        );
    }
}
