//! Lost connections and coming back: a member whose connection drops keeps its place for the grace
//! period, and a new connection with its resume token takes it back — same id, role, admission, hand
//! and right to speak — without the others seeing it leave and join again.
//!
//! While a member is away, people admitted meanwhile are not told about it and it is not told about
//! them (it would not hear it): the pair are *strangers*, introduced with `peer_joined` once both are
//! back, so whoever comes back offers to whoever it has never met, as a newcomer would.

use super::{refuse, Away, Out, Output, Room, Stage};
use crate::protocol::{ErrorCode, MediaState, PeerId, ServerMsg, UnixMillis};
use crate::server::secret;

impl Room {
    /// Marks `peer` away until the grace period ends (a wake-up then lets it go).
    pub(super) fn lose(&mut self, now: UnixMillis, peer: PeerId, out: &mut Out) {
        let grace = self.spec.resume_grace;
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        if member.away.is_some() {
            return;
        }
        let until = now.saturating_add(grace);
        member.away = Some(Away {
            since: now,
            until,
            restored: false,
        });
        out.push(Output::WakeAt(until));
    }

    /// Lets go of members whose grace period is over, as if they had left when they were lost.
    pub(super) fn let_go(&mut self, now: UnixMillis, out: &mut Out) {
        let expired: Vec<PeerId> = self
            .members
            .iter()
            .filter(|(_, m)| m.away.is_some_and(|a| a.until <= now))
            .map(|(&id, _)| id)
            .collect();
        for peer in expired {
            self.depart(now, peer, out);
        }
    }

    /// Connection `conn` resumes the member `token` was issued to.
    pub(super) fn resume(
        &mut self,
        now: UnixMillis,
        conn: PeerId,
        token: &str,
        fresh: String,
        media: MediaState,
        out: &mut Out,
    ) {
        let peer = if crate::protocol::valid_resume_token(token) && !self.ended {
            let hash = secret::hash(token);
            // A grace period that ran out before its wake-up came is over all the same (the
            // tick lets the member go; a refusal changes nothing).
            let kept = |m: &super::Member| m.away.is_none_or(|a| a.until > now);
            self.members
                .iter()
                .find(|(_, m)| m.resume == hash && kept(m))
                .map(|(&id, _)| id)
        } else {
            None
        };
        let Some(peer) = peer else {
            return refuse(out, conn, ErrorCode::ResumeFailed);
        };
        out.push(Output::Rebind { conn, peer });
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        member.resume = secret::hash(&fresh);
        member.away = None;
        let stage = member.stage.clone();
        if stage != Stage::Admitted {
            member.info.media = media;
            return self.send_waiting(peer, fresh, out);
        }
        self.introduce(peer, out);
        self.resume_media(peer, media, out);
        if let Some(joined) = self.joined(now, peer, Some(fresh), true) {
            out.push(Output::Send(peer, joined));
        }
    }

    /// What the member sends now, within what it may send (what it may not turn on stays off,
    /// silently: `me` in `joined` tells it), told to the others if it changed.
    fn resume_media(&mut self, peer: PeerId, media: MediaState, out: &mut Out) {
        let may_share = self.is_teacher(peer) || self.settings.students_may_share;
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        let old = member.info.media;
        let media = MediaState {
            audio: media.audio && (old.audio || member.info.may_speak),
            video: media.video,
            screen: media.screen && (old.screen || may_share),
        };
        if media != old {
            member.info.media = media;
            self.tell_admitted(peer, &ServerMsg::Media { peer, media }, out);
        }
    }

    /// Tells the members `peer` has not met, and who are here, that it is in the room.
    fn introduce(&mut self, peer: PeerId, out: &mut Out) {
        let Some(info) = self.member(peer).cloned() else {
            return;
        };
        let met: Vec<(PeerId, PeerId)> = self
            .strangers
            .iter()
            .filter(|&&(a, b)| a == peer || b == peer)
            .filter(|&&(a, b)| {
                let other = if a == peer { b } else { a };
                self.members.get(&other).is_some_and(|m| m.away.is_none())
            })
            .copied()
            .collect();
        for pair in met {
            self.strangers.remove(&pair);
            let other = if pair.0 == peer { pair.1 } else { pair.0 };
            let peer = info.clone();
            out.push(Output::Send(other, ServerMsg::PeerJoined { peer }));
        }
    }

    /// Drops what was addressed to members who are away — now, or at the start of the step
    /// (`away_before`) without coming back in it: they would not hear it, and the `joined` of their
    /// resume brings them up to date. `ended` goes out whatever: it comes with a close, and the hub
    /// drops what has no queue.
    pub(super) fn hush(&self, away_before: &[PeerId], out: &mut Out) {
        let here = |p: &PeerId| self.members.get(p).is_some_and(|m| m.away.is_none());
        out.retain(|o| match o {
            Output::Send(_, ServerMsg::Ended { .. }) => true,
            Output::Send(to, _) => {
                let away_now = self.members.get(to).is_some_and(|m| m.away.is_some());
                !away_now && (!away_before.contains(to) || here(to))
            }
            _ => true,
        });
    }
}
