//! Commands from the hub: a member's signals to the media peer, its speaking and sharing rules,
//! its view, its departure; and how a session ends, whatever ended it.

use std::rc::Rc;
use std::time::Instant;

use super::demux::SessionId;
use super::session::Session;
use super::table::{RoomTable, TrackId};
use super::worker::Worker;
use super::{guard, sdp, Command};
use crate::protocol::{ErrorCode, PeerId, SdpType, ServerMsg, Signal};
use crate::server::hub::Tx;

impl Worker {
    /// Carry out one command. An offer or answer the media peer cannot use is refused to its sender
    /// with `bad_signal` (what str0m said), and changes nothing.
    pub fn command(&mut self, command: Command, now: Instant) {
        match command {
            Command::Signal {
                room,
                peer,
                data,
                reply,
            } => {
                let room = self.room_name(&room);
                match data {
                    Signal::Description {
                        sdp_type: SdpType::Offer,
                        sdp,
                    } => self.client_offer(room, peer, &sdp, reply, now),
                    Signal::Description {
                        sdp_type: SdpType::Answer,
                        sdp,
                    } => self.client_answer(&room, peer, &sdp, now),
                    Signal::Candidate { candidate, .. } => {
                        if let Some(id) = self.session_of(&room, peer) {
                            self.with_session(id, |s| s.add_candidate(&candidate));
                        }
                    }
                    // Rollback and pranswer have no use towards a peer that never rolls back for
                    // the client; unknown kinds are refused by the hub already.
                    _ => {}
                }
            }
            Command::Audio {
                room,
                peer,
                allowed,
            } => self.rule(&room, now, |t| t.set_audio(peer, allowed)),
            Command::Screen {
                room,
                peer,
                allowed,
            } => self.rule(&room, now, |t| t.set_screen(peer, allowed)),
            Command::View { room, peer, tiles } => {
                let room = self.room_name(&room);
                self.view(&room, peer, tiles, now);
            }
            Command::End { room } => {
                if let Some(r) = self.rooms.get(room.as_str()) {
                    let ids: Vec<SessionId> = r.sessions.values().copied().collect();
                    ids.into_iter().for_each(|id| self.remove_session(id));
                }
                self.rooms.remove(room.as_str());
            }
            Command::Leave { room, peer } => {
                let room = self.room_name(&room);
                if let Some(id) = self.session_of(&room, peer) {
                    self.remove_session(id);
                }
                if let Some(r) = self.rooms.get_mut(&room) {
                    r.table.forget(peer);
                    r.viewers.remove(&peer);
                    if r.table.is_empty() && r.sessions.is_empty() && r.viewers.is_empty() {
                        self.rooms.remove(&room);
                    }
                }
            }
        }
    }

    /// The client offered: answer on its session, or start one (its first offer, or a new
    /// browser connection — another DTLS fingerprint — which replaces the old session).
    fn client_offer(&mut self, room: Rc<str>, peer: PeerId, offer: &str, reply: Tx, now: Instant) {
        let current = self.session_of(&room, peer);
        let same = current
            .and_then(|id| self.sessions.get(&id))
            .is_some_and(|s| sdp::fingerprint(offer).is_some_and(|f| f == s.fingerprint));
        if let (Some(id), true) = (current, same) {
            let (mut rolled_back, mut answered) = (false, false);
            let back = reply.clone();
            self.with_session(id, |s| {
                let result;
                (rolled_back, result) = s.answer_offer(offer, reply);
                answered = result.is_ok();
                if let Err(e) = result {
                    refuse(&back, peer, "offer", &e);
                }
            });
            if let Some(s) = self.sessions.get(&id) {
                self.demux.add_session(id, &s.ufrag); // a restarted ICE has a new ufrag
            }
            if let Some(r) = self.rooms.get_mut(&room) {
                if rolled_back {
                    r.table.offer_dropped(peer);
                }
                // Our answer told the client every m-line's direction, as the session has it.
                if let (true, Some(s)) = (answered, self.sessions.get(&id)) {
                    let sending =
                        |mid| s.rtc.media(mid).is_some_and(|m| m.direction().is_sending());
                    let fresh = r.table.client_offered(peer, sending);
                    self.started(&room, peer, &fresh, now);
                }
            }
            // Polite: whatever our rolled-back offer carried is offered again after this answer.
            self.renegotiate.insert(id);
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        let host = self.host;
        let back = reply.clone();
        let accepted = guard(peer, || {
            Session::accept(id, room.clone(), peer, offer, reply, host, now)
        });
        let session = match accepted {
            Ok(Ok(session)) => session,
            // An offer that cannot start a session leaves the one that works alone.
            Ok(Err(e)) => return refuse(&back, peer, "offer", &e),
            Err(()) => return,
        };
        if let Some(old) = current {
            self.remove_session(old);
        }
        self.demux.add_session(id, &session.ufrag);
        self.sessions.insert(id, session);
        let r = self.rooms.entry(room).or_default();
        r.sessions.insert(peer, id);
        r.table.join(peer);
        // A new connection is a new path: its estimate starts over; its view stays.
        let viewer = r.viewers.entry(peer).or_default();
        viewer.estimate = None;
        viewer.switches.clear();
        self.renegotiate.insert(id);
        self.mark_dirty(id);
    }

    /// The client answered our offer: the new m-lines route, and each new video needs a keyframe.
    fn client_answer(&mut self, room: &Rc<str>, peer: PeerId, answer: &str, now: Instant) {
        let Some(id) = self.session_of(room, peer) else {
            return;
        };
        let mut outcome = Ok(false);
        self.with_session(id, |s| outcome = s.accept_answer(answer));
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        match outcome {
            Ok(true) => {
                let fresh = r.table.answered(peer);
                self.started(room, peer, &fresh, now);
            }
            Ok(false) => return,
            Err(e) => {
                if let Some(s) = self.sessions.get(&id) {
                    refuse(s.reply(), peer, "answer", &e);
                }
                r.table.offer_dropped(peer);
            }
        }
        // Changes that waited for this exchange to finish.
        self.renegotiate.insert(id);
    }

    /// `peer` now receives the videos of `fresh` (new or woken m-lines): each starts over in
    /// selection, with a keyframe of the layer chosen for it.
    pub fn started(&mut self, room: &Rc<str>, peer: PeerId, fresh: &[TrackId], now: Instant) {
        if fresh.is_empty() {
            return;
        }
        if let Some(r) = self.rooms.get_mut(room) {
            let viewer = r.viewers.entry(peer).or_default();
            for source in fresh {
                viewer.switches.remove(source);
            }
        }
        self.reselect(room, peer, now);
    }

    /// A right the room gives or takes (`set`, on the room's table): those it opens m-lines
    /// for renegotiate, and every member's bandwidth is shared out again (a screen share or a
    /// voice that comes or goes takes or gives back room for the cameras).
    fn rule(&mut self, room: &str, now: Instant, set: impl FnOnce(&mut RoomTable) -> Vec<PeerId>) {
        let room = self.room_name(room);
        let told = set(&mut self.rooms.entry(room.clone()).or_default().table);
        self.renegotiate_peers(&room, &told);
        self.reselect_room(&room, now);
    }

    fn session_of(&self, room: &str, peer: PeerId) -> Option<u64> {
        self.rooms.get(room)?.sessions.get(&peer).copied()
    }

    /// The shared name of `room` (one allocation per room, not per packet).
    fn room_name(&self, room: &str) -> Rc<str> {
        match self.rooms.get_key_value(room) {
            Some((name, _)) => name.clone(),
            None => Rc::from(room),
        }
    }

    /// End session `id`: forget its addresses, unpublish its tracks (the others' m-lines for
    /// them get stopped) and drop the room once nothing is left of it.
    pub fn remove_session(&mut self, id: SessionId) {
        let Some(session) = self.sessions.remove(&id) else {
            return;
        };
        self.demux.remove(id);
        let room = session.room.clone();
        let Some(r) = self.rooms.get_mut(&room) else {
            return;
        };
        if r.sessions.get(&session.peer) != Some(&id) {
            return; // already replaced by a newer session of the same member
        }
        r.sessions.remove(&session.peer);
        let told = r.table.leave(session.peer);
        r.throttle.forget(|t| t.peer != session.peer);
        r.meters.retain(|t, _| t.peer != session.peer);
        r.voices.forget(session.peer);
        if r.table.is_empty() && r.sessions.is_empty() && r.viewers.is_empty() {
            self.rooms.remove(&room);
        }
        self.renegotiate_peers(&room, &told);
        tracing::debug!(room = %room, peer = session.peer, "sfu session ended");
    }
}

/// Tells `peer` that the media peer could not use its offer or answer, and why.
fn refuse(reply: &Tx, peer: PeerId, what: &str, e: &dyn std::fmt::Display) {
    tracing::debug!(peer, error = %e, "sfu {what} refused");
    let message = format!("the media peer cannot use this {what}: {e}");
    let _ = reply.try_send(ServerMsg::Error {
        code: ErrorCode::BadSignal,
        message,
    });
}
