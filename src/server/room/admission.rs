//! Who gets in: joining, the waiting room, admitting; those who go are in `departure.rs`.
//!
//! A student is let in only by a teacher (or the room's auto-admit setting): until then they get
//! nothing of the class but `waiting`, so arriving before the teacher is no way in.

use super::{chat, refuse, Member, Out, Output, Record, Room, Stage};
use crate::protocol::{ErrorCode, MediaState, PeerId, PeerInfo, Role, ServerMsg, UnixMillis};
use crate::server::{secret, turn};

/// How long a student turned away must wait before knocking again.
pub const TURNED_AWAY_MS: UnixMillis = 60_000;
/// Most students waiting at once: the waiting room is not a way to hold server memory.
pub const MAX_WAITING: usize = 100;

/// Who asks to come in: the fields of [`super::Input::Join`].
pub(super) struct Knocker<'a> {
    pub peer: PeerId,
    pub address: &'a str,
    pub name: &'a str,
    pub key: Option<&'a str>,
    pub attendee: Option<&'a str>,
    pub media: MediaState,
    /// The member's first resume token (see [`super::Input::Join`]).
    pub resume: String,
}

impl Room {
    pub(super) fn join(&mut self, now: UnixMillis, who: Knocker, out: &mut Out) {
        let Knocker {
            peer,
            address,
            name,
            key,
            attendee,
            media,
            resume,
        } = who;
        if self.ended {
            return refuse(out, peer, ErrorCode::UnknownRoom);
        }
        if self.members.contains_key(&peer) {
            return refuse(out, peer, ErrorCode::AlreadyJoined);
        }
        let Some(name) = crate::protocol::clean_name(name) else {
            return refuse(out, peer, ErrorCode::InvalidName);
        };
        let role = match key {
            None => Role::Student,
            Some(key) if secret::hash(key) == self.spec.teacher_key_hash => Role::Teacher,
            Some(_) => return refuse(out, peer, ErrorCode::BadTeacherKey),
        };
        // Only the hash is kept: the token stays the browser's secret, the database can't replay it.
        let attendee = match attendee {
            None => None,
            Some(token) if crate::protocol::valid_attendee(token) => Some(secret::hash(token)),
            Some(_) => return refuse(out, peer, ErrorCode::InvalidAttendee),
        };
        let knock_key = format!("{address}\u{0}{}", name.to_lowercase());
        let info = PeerInfo {
            id: peer,
            name,
            role,
            media,
            hand: None,
            may_speak: true,
        };
        let mut member = Member {
            info,
            stage: Stage::Admitted,
            knock_key,
            attendee,
            granted: false,
            chat: chat::Bucket::full(now),
            hands: chat::Bucket::full(now),
            resume: secret::hash(&resume),
            away: None,
        };
        if role == Role::Teacher {
            if self.admitted() >= self.spec.capacity {
                return refuse(out, peer, ErrorCode::RoomFull);
            }
            self.members.insert(peer, member);
            return self.enter_with(now, peer, Some(resume), out);
        }
        if self.settings.room_locked {
            return refuse(out, peer, ErrorCode::RoomLocked);
        }
        // Expired entries are left for the tick to remove: a refusal must change nothing.
        let turned_away =
            |(k, until): &(String, UnixMillis)| *k == member.knock_key && *until > now;
        if self.turned_away.iter().any(turned_away) {
            return refuse(out, peer, ErrorCode::TryLater);
        }
        let was_removed = self.removed.contains(&member.knock_key);
        if self.settings.auto_admit && !was_removed {
            if self.admitted() >= self.spec.capacity {
                return refuse(out, peer, ErrorCode::RoomFull);
            }
            self.members.insert(peer, member);
            return self.enter_with(now, peer, Some(resume), out);
        }
        if self.members.len() - self.admitted() >= MAX_WAITING {
            return refuse(out, peer, ErrorCode::RoomFull);
        }
        self.seq += 1;
        member.stage = Stage::Waiting {
            since: now,
            seq: self.seq,
        };
        self.members.insert(peer, member);
        self.send_waiting(peer, resume, out);
        if let Some(knock) = self.knock(peer) {
            self.tell_teachers(&ServerMsg::Knock { knock }, out);
        }
    }

    pub(super) fn admit_one(&mut self, now: UnixMillis, by: PeerId, target: PeerId, out: &mut Out) {
        if self.knock(target).is_none() {
            return refuse(out, by, ErrorCode::UnknownPeer);
        }
        if self.admitted() >= self.spec.capacity {
            return refuse(out, by, ErrorCode::RoomFull);
        }
        self.enter(now, target, out);
    }

    /// Lets the waiting in, longest waiting first, as far as there are places.
    pub(super) fn admit_all(&mut self, now: UnixMillis, by: PeerId, out: &mut Out) {
        let mut waiting = self.waiting_list();
        waiting.sort_by_key(|(seq, _)| *seq);
        for (_, peer) in waiting {
            if self.admitted() >= self.spec.capacity {
                return refuse(out, by, ErrorCode::RoomFull);
            }
            self.enter(now, peer, out);
        }
    }

    /// Tells `peer` it waits, with its resume token.
    pub(super) fn send_waiting(&self, peer: PeerId, resume: String, out: &mut Out) {
        let room = self.summary();
        let resume = Some(resume);
        out.push(Output::Send(
            peer,
            ServerMsg::Waiting {
                you: peer,
                room,
                resume,
            },
        ));
    }

    /// Admits `peer` (already in `members`, waiting or new): the others meet them, they get the room.
    pub(super) fn enter(&mut self, now: UnixMillis, peer: PeerId, out: &mut Out) {
        self.enter_with(now, peer, None, out)
    }

    /// [`Self::enter`], handing the member `resume` as its token (when this answers its join).
    /// Members who are away are not told (they would not hear it): the two stay strangers until
    /// both are back (see `room/resume.rs`).
    fn enter_with(&mut self, now: UnixMillis, peer: PeerId, resume: Option<String>, out: &mut Out) {
        let settings = self.settings;
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        let was_waiting = member.stage != Stage::Admitted;
        let attendee = member.attendee.clone();
        member.stage = Stage::Admitted;
        let student = member.info.role != Role::Teacher;
        member.info.may_speak = !student || !settings.mics_locked || member.granted;
        member.info.media.audio &= member.info.may_speak;
        member.info.media.screen &= !student || settings.students_may_share;
        let info = member.info.clone();
        if was_waiting {
            self.tell_teachers(&ServerMsg::KnockEnded { peer }, out);
        }
        let away: Vec<PeerId> = self
            .admitted_but(peer)
            .filter(|id| self.members.get(id).is_some_and(|m| m.away.is_some()))
            .collect();
        for other in away {
            self.strangers.insert((other.min(peer), other.max(peer)));
        }
        self.tell_admitted(peer, &ServerMsg::PeerJoined { peer: info.clone() }, out);
        if let Some(joined) = self.joined(now, peer, resume, false) {
            out.push(Output::Send(peer, joined));
        }
        out.push(Output::Persist(Record::Admitted {
            peer,
            name: info.name,
            role: info.role,
            attendee,
            at: now,
        }));
    }

    /// `joined` for the admitted `peer`: the room as it is now and as `peer` knows it (not its
    /// strangers), fresh ICE servers, its `resume` token if one is handed out, whether it answers a
    /// resume.
    pub(super) fn joined(
        &self,
        now: UnixMillis,
        peer: PeerId,
        resume: Option<String>,
        resumed: bool,
    ) -> Option<ServerMsg> {
        let info = self.member(peer)?.clone();
        let student = info.role != Role::Teacher;
        let peers = self
            .known_to(peer)
            .filter_map(|id| self.member(id).cloned())
            .collect();
        let ice_servers =
            turn::ice_servers(&self.spec.ice_servers, self.spec.turn.as_ref(), now, peer);
        Some(ServerMsg::Joined {
            you: peer,
            role: info.role,
            room: self.summary(),
            peers,
            ice_servers,
            topology: self.topology(),
            settings: self.settings,
            waiting: if student { Vec::new() } else { self.knocks() },
            chat: chat::recent(&self.chat),
            me: Some(info),
            resume,
            resumed,
        })
    }
}
