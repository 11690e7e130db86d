//! Coming in: a `join` runs in the room it names, made live if nobody is in it, and the
//! connection's queue is the hub's only if the member is inside (admitted or waiting).

use std::collections::HashMap;

use super::{guarded, Hub, Joined, Link, LiveRoom, Tx};
use crate::protocol::{ClientMsg, ErrorCode, PeerId, ServerMsg};
use crate::server::db::now_ms;
use crate::server::room::{Input, Room, RoomSpec};
use crate::server::secret;

/// A `join`, as the socket task hands it over.
pub struct JoinRequest {
    pub peer: PeerId,
    /// The client's address (for "turned away" memory).
    pub address: String,
    pub msg: ClientMsg,
}

impl Hub {
    /// Runs a `join` in the room described by `spec` (made live if nobody is in it). A refused join
    /// gives the queue back untouched but for the refusal, whatever else happens.
    pub fn join(&self, spec: RoomSpec, join: JoinRequest, tx: Tx) -> Joined {
        let JoinRequest { peer, address, msg } = join;
        let ClientMsg::Join {
            name,
            teacher_key,
            media,
            attendee,
            ..
        } = msg
        else {
            let _ = tx.try_send(ServerMsg::error(ErrorCode::BadMessage));
            return Joined::No(tx);
        };
        let input = Input::Join {
            peer,
            address,
            name,
            teacher_key,
            media,
            attendee,
            resume: secret::resume_token(),
        };
        let mut rooms = self.lock();
        let room_id = spec.id.clone();
        if rooms.ended.contains(&room_id) {
            let _ = tx.try_send(ServerMsg::error(ErrorCode::UnknownRoom));
            return Joined::No(tx);
        }
        let spec = rooms.current_key(spec);
        let live = rooms
            .live
            .entry(room_id.clone())
            .or_insert_with(|| LiveRoom {
                room: Room::new(spec),
                queues: HashMap::new(),
                wake: None,
            });
        let link = Link {
            conn: peer,
            tx: tx.clone(),
        };
        live.queues.insert(peer, link);
        let Some(out) = guarded(&room_id, || live.room.step(now_ms(), input)) else {
            self.tear_down(&mut rooms, &room_id);
            let _ = tx.try_send(ServerMsg::error(ErrorCode::Internal));
            return Joined::No(tx);
        };
        let mut gone = self.apply(live, &room_id, None, out);
        let stuck_self = gone.contains(&peer);
        if stuck_self {
            // Its own queue is full already: it does not come in at all (nor stay away).
            gone.retain(|&p| p != peer);
            live.queues.remove(&peer);
            match self.run(live, &room_id, None, Input::Disconnect(peer)) {
                Some(more) => gone.extend(more),
                None => {
                    self.tear_down(&mut rooms, &room_id);
                    return Joined::No(tx);
                }
            }
        }
        let inside = live.room.contains(peer);
        if !inside {
            live.queues.remove(&peer);
        }
        self.settle(&mut rooms, &room_id, gone);
        if !inside || stuck_self {
            // Refused, or its own queue was already full (it sent a flood before joining and read
            // nothing): it is out again, and keeps its connection and queue.
            return Joined::No(tx);
        }
        Joined::Yes(peer)
    }
}
