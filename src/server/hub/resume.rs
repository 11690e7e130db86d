//! Taking a place back: a `resume` on a new connection, and rooms restored after a restart.

use super::{guarded, ConnId, Hub, Joined, Link, LiveRoom, Tx};
use crate::protocol::{ErrorCode, MediaState, PeerId, ServerMsg, UnixMillis};
use crate::server::db::now_ms;
use crate::server::room::{Input, Output, Room};
use crate::server::secret;

/// A `resume`, as the socket task hands it over.
pub struct ResumeRequest {
    pub conn: ConnId,
    pub room: String,
    pub token: String,
    pub media: MediaState,
}

impl Hub {
    /// Runs a `resume`: on success the connection is the member the token belongs to (its old
    /// connection, if still open, is ended); refused with `resume_failed` otherwise, the queue
    /// handed back. Only a live room can be resumed: one that emptied or ended has no place left.
    pub fn resume(&self, request: ResumeRequest, tx: Tx) -> Joined {
        let ResumeRequest {
            conn,
            room,
            token,
            media,
        } = request;
        let mut rooms = self.lock();
        let Some(live) = rooms.live.get_mut(&room) else {
            let _ = tx.try_send(ServerMsg::error(ErrorCode::ResumeFailed));
            return Joined::No(tx);
        };
        let link = Link {
            conn,
            tx: tx.clone(),
        };
        live.queues.insert(conn, link);
        let fresh = secret::resume_token();
        let input = Input::Resume {
            conn,
            token,
            fresh,
            media,
        };
        let Some(out) = guarded(&room, || live.room.step(now_ms(), input)) else {
            self.tear_down(&mut rooms, &room);
            let _ = tx.try_send(ServerMsg::error(ErrorCode::Internal));
            return Joined::No(tx);
        };
        let peer = out.iter().find_map(|o| match o {
            Output::Rebind { conn: c, peer } if *c == conn => Some(*peer),
            _ => None,
        });
        let gone = self.apply(live, &room, None, out);
        if peer.is_none() {
            // Refused: the refusal is all the room said to `conn`, whose queue goes back to it.
            live.queues.remove(&conn);
        }
        let stuck = peer.is_some_and(|p| gone.contains(&p));
        self.settle(&mut rooms, &room, gone);
        match peer {
            Some(peer) if !stuck => Joined::Yes(peer),
            _ => Joined::No(tx),
        }
    }

    /// Makes `room` live again as a restarted server found it (every member away, see
    /// [`Room::restore`]), waking it when `wake` says. (The caller keeps new peer ids above its
    /// members' with [`Hub::seed_peer_ids`].)
    pub fn restore(&self, room_id: String, room: Room, wake: UnixMillis) {
        let live = LiveRoom {
            room,
            queues: Default::default(),
            wake: Some(wake),
        };
        self.lock().live.insert(room_id, live);
    }

    /// New peer ids start above `highest` (ids a previous run gave out stay unique).
    pub fn seed_peer_ids(&self, highest: PeerId) {
        self.next_peer
            .fetch_max(highest, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use crate::server::hub::queue::{channel, Rx};
    use tokio::sync::mpsc::error::TryRecvError;

    use super::super::tests::{drain, hub, member, signal};
    use super::*;

    /// Resumes `room` on a new connection `conn` with `token`.
    fn resume(hub: &Hub, conn: u64, room: &str, token: &str) -> (Joined, Rx) {
        let (tx, rx) = channel(16);
        let request = ResumeRequest {
            conn,
            room: room.into(),
            token: token.into(),
            media: MediaState::default(),
        };
        (hub.resume(request, tx), rx)
    }

    fn token_of(rx: &mut Rx) -> String {
        drain(rx)
            .into_iter()
            .find_map(|m| match m {
                ServerMsg::Joined { resume, .. } => resume,
                _ => None,
            })
            .expect("a token")
    }

    #[test]
    fn a_resume_moves_the_member_to_the_new_connection_and_ends_the_old_one() {
        let hub = hub();
        let mut old = member(&hub, "r1", 1, 8);
        let token = token_of(&mut old);
        let mut other = member(&hub, "r1", 2, 8);
        drain(&mut other);
        drain(&mut old);
        let (joined, mut new) = resume(&hub, 5, "r1", &token);
        assert!(matches!(joined, Joined::Yes(1)), "the same member");
        assert!(matches!(old.try_recv(), Err(TryRecvError::Disconnected)));
        assert!(matches!(
            &drain(&mut new)[..],
            [ServerMsg::Joined {
                you: 1,
                resumed: true,
                ..
            }]
        ));
        assert!(drain(&mut other).is_empty(), "no leave, no join");

        // The old connection speaks for nobody now, and its end changes nothing.
        hub.handle("r1", 1, 1, signal(2));
        hub.lost("r1", 1, 1);
        hub.leave("r1", 1, 1);
        assert!(drain(&mut other).is_empty());
        hub.handle("r1", 1, 5, signal(2));
        assert_eq!(drain(&mut other).len(), 1, "the new one does");
        assert_eq!(hub.counts(), (1, 2));
    }

    #[test]
    fn a_bad_token_or_a_room_not_live_gives_the_queue_back_with_resume_failed() {
        let hub = hub();
        let _a = member(&hub, "r1", 1, 8);
        for (room, token) in [("r1", "resume-token-nobody-has-this"), ("r2", "x")] {
            let (joined, mut rx) = resume(&hub, 9, room, token);
            assert!(matches!(joined, Joined::No(_)));
            assert_eq!(
                drain(&mut rx),
                vec![ServerMsg::error(ErrorCode::ResumeFailed)]
            );
        }
        assert_eq!(hub.counts(), (1, 1));
    }

    #[test]
    fn a_lost_connection_keeps_the_place_and_a_resume_after_it_works() {
        let hub = hub();
        let mut a = member(&hub, "r1", 1, 8);
        let token = token_of(&mut a);
        let mut b = member(&hub, "r1", 2, 8);
        drain(&mut b);
        hub.lost("r1", 1, 1);
        assert_eq!(hub.counts(), (1, 2));
        assert!(drain(&mut b).is_empty());
        let (joined, _rx) = resume(&hub, 6, "r1", &token);
        assert!(matches!(joined, Joined::Yes(1)));
        // A second resume with the same token fails: it was used.
        let (joined, _rx) = resume(&hub, 7, "r1", &token);
        assert!(matches!(joined, Joined::No(_)));
    }
}
