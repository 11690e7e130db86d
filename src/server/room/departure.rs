//! Who goes: turning a knocking student away, removing a member, leaving (however it happens),
//! and the last word to one who is sent off.

use super::admission::TURNED_AWAY_MS;
use super::{refuse, Out, Output, Record, Room, Stage};
use crate::protocol::{EndedReason, ErrorCode, PeerId, Role, ServerMsg, UnixMillis};

impl Room {
    pub(super) fn deny(&mut self, now: UnixMillis, by: PeerId, target: PeerId, out: &mut Out) {
        if self.knock(target).is_none() {
            return refuse(out, by, ErrorCode::UnknownPeer);
        }
        let Some(member) = self.members.remove(&target) else {
            return;
        };
        let until = now.saturating_add(TURNED_AWAY_MS);
        out.push(Output::Persist(Record::Denied {
            name: member.info.name.clone(),
            attendee: member.attendee.clone(),
            at: now,
        }));
        self.turned_away.push((member.knock_key, until));
        self.tell_teachers(&ServerMsg::KnockEnded { peer: target }, out);
        self.send_off(target, EndedReason::Denied, self.name_of(by), out);
        out.push(Output::WakeAt(until));
    }

    pub(super) fn remove(&mut self, now: UnixMillis, by: PeerId, target: PeerId, out: &mut Out) {
        if self.knock(target).is_some() {
            return self.deny(now, by, target, out);
        }
        match self.member(target).map(|m| m.role) {
            None => return refuse(out, by, ErrorCode::UnknownPeer),
            Some(Role::Teacher) => return refuse(out, by, ErrorCode::Forbidden),
            Some(_) => {}
        }
        let by_name = self.name_of(by);
        if let Some(member) = self.members.get(&target) {
            self.removed.push(member.knock_key.clone());
        }
        self.depart(now, target, out);
        self.send_off(target, EndedReason::Removed, by_name, out);
    }

    /// Takes `peer` out, whatever the reason, and tells whom it concerns. Idempotent. A member
    /// who was away leaves as of when it was lost.
    pub(super) fn depart(&mut self, now: UnixMillis, peer: PeerId, out: &mut Out) {
        let Some(member) = self.members.remove(&peer) else {
            return;
        };
        let at = member.away.map_or(now, |away| away.since.min(now));
        let restart = member.away.is_some_and(|away| away.restored);
        self.departed = Some((at, restart));
        match member.stage {
            Stage::Waiting { .. } => self.tell_teachers(&ServerMsg::KnockEnded { peer }, out),
            Stage::Admitted => {
                // Only those who met it (its strangers never heard of it).
                self.tell_admitted(peer, &ServerMsg::PeerLeft { peer }, out);
                out.push(Output::Persist(Record::Left { peer, at, restart }));
            }
        }
        self.strangers.retain(|&(a, b)| a != peer && b != peer);
    }

    /// Says `ended` to `peer` (no longer a member) and asks for its connection to be closed.
    pub(super) fn send_off(
        &self,
        peer: PeerId,
        reason: EndedReason,
        by: Option<String>,
        out: &mut Out,
    ) {
        out.push(Output::Send(peer, ServerMsg::Ended { reason, by }));
        out.push(Output::Close(peer, reason));
    }
}
