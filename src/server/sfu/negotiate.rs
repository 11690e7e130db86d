//! Renegotiation: which sessions must be offered the table's changes, and offering them once a
//! round of input is settled (one offer per session carries whatever piled up meanwhile).

use std::mem;
use std::rc::Rc;

use super::guard;
use super::session::Offered;
use super::worker::Worker;
use crate::protocol::PeerId;

impl Worker {
    /// Mark `peers` of `room` for a renegotiation.
    pub fn renegotiate_peers(&mut self, room: &Rc<str>, peers: &[PeerId]) {
        if let Some(r) = self.rooms.get(room) {
            self.renegotiate
                .extend(peers.iter().filter_map(|p| r.sessions.get(p)));
        }
    }

    /// Send an offer to every marked session whose table holds changes and that can take one now.
    pub fn offer_changes(&mut self) {
        for id in mem::take(&mut self.renegotiate) {
            let Some(session) = self.sessions.get_mut(&id) else {
                continue;
            };
            let Some(r) = self.rooms.get_mut(&session.room) else {
                continue;
            };
            let plan = r.table.plan(session.peer);
            if plan.is_empty() {
                continue;
            }
            let peer = session.peer;
            match guard(peer, || session.offer(&plan)) {
                Ok(Offered::Sent(added)) => r.table.offered(peer, &added),
                Ok(Offered::Applied) => {
                    r.table.offered(peer, &[]);
                    let fresh = r.table.answered(peer);
                    let room = session.room.clone();
                    self.started(&room, peer, &fresh, std::time::Instant::now());
                }
                // Its parks and wakes hold in the session, what it added does not.
                Ok(Offered::Lost) => {
                    r.table.offered(peer, &[]);
                    r.table.offer_dropped(peer);
                }
                Ok(Offered::NotNow) => {}
                Err(()) => self.remove_session(id),
            }
            self.mark_dirty(id);
        }
    }
}
