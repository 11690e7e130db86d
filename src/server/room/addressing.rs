//! Who a message goes to: the relay of signals between admitted members, and the room's ways of
//! telling everyone, the admitted, or the teachers.

use super::{refuse, Out, Output, Room, Stage};
use crate::protocol::{ErrorCode, PeerId, Role, ServerMsg, MEDIA_PEER};

impl Room {
    pub(super) fn relay(
        &self,
        peer: PeerId,
        to: PeerId,
        from: Option<PeerId>,
        data: crate::protocol::Signal,
        out: &mut Out,
    ) {
        if from.is_some_and(|claimed| claimed != peer) {
            return refuse(out, peer, ErrorCode::SpoofedSender);
        }
        if to != MEDIA_PEER && (to == peer || self.member(to).is_none()) {
            return refuse(out, peer, ErrorCode::UnknownPeer);
        }
        if let Err(why) = data.check() {
            let message = why.to_string();
            let code = ErrorCode::BadSignal;
            return out.push(Output::Send(peer, ServerMsg::Error { code, message }));
        }
        if to == MEDIA_PEER {
            return self.to_media(peer, data, out);
        }
        out.push(Output::Send(to, ServerMsg::Signal { from: peer, data }));
    }

    /// Admitted members but `except`.
    pub(super) fn admitted_but(&self, except: PeerId) -> impl Iterator<Item = PeerId> + '_ {
        self.members
            .iter()
            .filter(move |(&id, m)| id != except && m.stage == Stage::Admitted)
            .map(|(&id, _)| id)
    }

    /// Admitted members but `peer` who know of `peer` (not strangers to it, see `room/resume.rs`).
    pub(super) fn known_to(&self, peer: PeerId) -> impl Iterator<Item = PeerId> + '_ {
        self.admitted_but(peer)
            .filter(move |&o| !self.strangers.contains(&(o.min(peer), o.max(peer))))
    }

    /// Sends `msg`, news about `about`, to every admitted member who knows it.
    pub(super) fn tell_admitted(&self, about: PeerId, msg: &ServerMsg, out: &mut Out) {
        out.extend(self.known_to(about).map(|to| Output::Send(to, msg.clone())));
    }

    /// Sends `msg` to every admitted member.
    pub(super) fn tell_all(&self, msg: &ServerMsg, out: &mut Out) {
        for (&id, m) in &self.members {
            if m.stage == Stage::Admitted {
                out.push(Output::Send(id, msg.clone()));
            }
        }
    }

    /// Sends `msg` to every admitted teacher.
    pub(super) fn tell_teachers(&self, msg: &ServerMsg, out: &mut Out) {
        for (&id, m) in &self.members {
            if m.stage == Stage::Admitted && m.info.role == Role::Teacher {
                out.push(Output::Send(id, msg.clone()));
            }
        }
    }

    /// The display name of `peer`, to say who did something.
    pub(super) fn name_of(&self, peer: PeerId) -> Option<String> {
        self.members.get(&peer).map(|m| m.info.name.clone())
    }
}
