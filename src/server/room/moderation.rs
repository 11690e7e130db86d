//! Rights and what changes them: media, hands, the word, muting, the room's settings.
//!
//! The server holds each student's right to speak (`may_speak`) and their media as it allows it;
//! receivers play a student's audio only while both say yes, so a modified client that ignores a
//! mute gains nothing.

use super::{refuse, Out, Output, Record, Room, Stage};
use crate::protocol::{
    ClientMsg, ErrorCode, Hand, MediaState, PeerId, Role, ServerMsg, UnixMillis,
};
use crate::server::room::HandEvent;

/// Messages only a teacher may send. Everything else is open to any admitted member (with the
/// per-message rules below).
pub fn teacher_only(msg: &ClientMsg) -> bool {
    matches!(
        msg,
        ClientMsg::Admit { .. }
            | ClientMsg::Deny { .. }
            | ClientMsg::AdmitAll
            | ClientMsg::Mute { .. }
            | ClientMsg::MuteAll
            | ClientMsg::AllowSpeak { .. }
            | ClientMsg::RevokeSpeak { .. }
            | ClientMsg::Remove { .. }
            | ClientMsg::Settings(_)
            | ClientMsg::EndClass
    )
}

impl Room {
    /// The messages that change a member's rights or media (teacher-only ones already checked).
    pub(super) fn moderate(
        &mut self,
        now: UnixMillis,
        peer: PeerId,
        msg: ClientMsg,
        out: &mut Out,
    ) {
        let by = self.name_of(peer);
        match msg {
            ClientMsg::Media(media) => self.set_media(peer, media, out),
            ClientMsg::RaiseHand => self.raise_hand(now, peer, out),
            ClientMsg::LowerHand { peer: target } => {
                let target = target.unwrap_or(peer);
                if target != peer && !self.is_teacher(peer) {
                    return refuse(out, peer, ErrorCode::Forbidden);
                }
                self.lower_hand(now, peer, target, out);
            }
            ClientMsg::Mute { peer: target } => {
                if let Some(()) = self.student_target(peer, target, out) {
                    self.update(target, by, out, |m| m.info.media.audio = false);
                }
            }
            ClientMsg::MuteAll => {
                for student in self.students() {
                    if self.member(student).is_some_and(|m| m.media.audio) {
                        self.update(student, by.clone(), out, |m| m.info.media.audio = false);
                    }
                }
            }
            ClientMsg::AllowSpeak { peer: target } => {
                if let Some(()) = self.student_target(peer, target, out) {
                    self.record_hand(now, target, HandEvent::SpeakGranted, out);
                    self.update(target, by, out, |m| {
                        m.granted = true;
                        m.info.hand = None;
                        m.info.may_speak = true;
                    });
                }
            }
            ClientMsg::RevokeSpeak { peer: target } => {
                if let Some(()) = self.student_target(peer, target, out) {
                    let locked = self.settings.mics_locked;
                    self.record_hand(now, target, HandEvent::SpeakRevoked, out);
                    self.update(target, by, out, |m| {
                        m.granted = false;
                        m.info.may_speak = !locked;
                        m.info.media.audio = false;
                    });
                }
            }
            ClientMsg::Settings(change) => self.change_settings(now, peer, change, out),
            // Every other message is routed elsewhere by `Room::message`.
            _ => refuse(out, peer, ErrorCode::BadMessage),
        }
    }

    fn set_media(&mut self, peer: PeerId, media: MediaState, out: &mut Out) {
        let may_share = self.is_teacher(peer) || self.settings.students_may_share;
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        let now_on = |new: bool, old: bool| new && !old;
        if now_on(media.audio, member.info.media.audio) && !member.info.may_speak
            || now_on(media.screen, member.info.media.screen) && !may_share
        {
            return refuse(out, peer, ErrorCode::Forbidden);
        }
        member.info.media = media;
        self.tell_admitted(peer, &ServerMsg::Media { peer, media }, out);
    }

    fn raise_hand(&mut self, now: UnixMillis, peer: PeerId, out: &mut Out) {
        if self.is_teacher(peer) {
            return refuse(out, peer, ErrorCode::Forbidden);
        }
        if self
            .members
            .get(&peer)
            .is_none_or(|m| m.info.hand.is_some())
        {
            return;
        }
        if !self.charge_hand(now, peer) {
            return refuse_hands(out, peer);
        }
        self.seq += 1;
        let hand = Hand {
            seq: self.seq,
            at: now,
        };
        self.record_hand(now, peer, HandEvent::Raised, out);
        self.update(peer, None, out, |m| m.info.hand = Some(hand));
    }

    fn lower_hand(&mut self, now: UnixMillis, by: PeerId, target: PeerId, out: &mut Out) {
        match self.member(target) {
            None => return refuse(out, by, ErrorCode::UnknownPeer),
            Some(info) if info.hand.is_none() => return,
            Some(_) => {}
        }
        if by == target && !self.charge_hand(now, by) {
            return refuse_hands(out, by);
        }
        let by_name = (by != target).then(|| self.name_of(by)).flatten();
        self.record_hand(now, target, HandEvent::Lowered, out);
        self.update(target, by_name, out, |m| m.info.hand = None);
    }

    /// Checks that `target` is an admitted student a teacher may act on.
    fn student_target(&self, by: PeerId, target: PeerId, out: &mut Out) -> Option<()> {
        match self.member(target).map(|m| m.role) {
            None => refuse(out, by, ErrorCode::UnknownPeer),
            Some(Role::Teacher) => refuse(out, by, ErrorCode::Forbidden),
            Some(_) => return Some(()),
        }
        None
    }

    /// Changes a member and tells every admitted member (the member too) how they now stand.
    pub(super) fn update(
        &mut self,
        peer: PeerId,
        by: Option<String>,
        out: &mut Out,
        change: impl FnOnce(&mut super::Member),
    ) {
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        change(member);
        if member.stage != Stage::Admitted {
            return;
        }
        let msg = ServerMsg::PeerUpdated {
            peer: member.info.clone(),
            by,
        };
        out.push(Output::Send(peer, msg.clone()));
        self.tell_admitted(peer, &msg, out);
    }

    fn record_hand(&self, now: UnixMillis, peer: PeerId, event: HandEvent, out: &mut Out) {
        if let Some(name) = self.name_of(peer) {
            out.push(Output::Persist(Record::Hand {
                name,
                event,
                at: now,
            }));
        }
    }

    /// Takes one of `peer`'s hand tokens; false when they are raising and lowering too fast.
    fn charge_hand(&mut self, now: UnixMillis, peer: PeerId) -> bool {
        self.members
            .get_mut(&peer)
            .is_some_and(|m| m.hands.take(now))
    }

    pub(super) fn students(&self) -> Vec<PeerId> {
        self.members
            .iter()
            .filter(|(_, m)| m.stage == Stage::Admitted && m.info.role != Role::Teacher)
            .map(|(&id, _)| id)
            .collect()
    }

    pub(super) fn is_teacher(&self, peer: PeerId) -> bool {
        self.member(peer).is_some_and(|m| m.role == Role::Teacher)
    }
}

fn refuse_hands(out: &mut Out, peer: PeerId) {
    let message = "you are raising and lowering your hand too fast; wait a moment".to_string();
    let code = ErrorCode::RateLimited;
    out.push(Output::Send(peer, ServerMsg::Error { code, message }));
}
