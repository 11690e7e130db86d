//! What a room keeps across a server restart: who is in it (waiting or admitted, role, hand, right
//! to speak, resume token hash), its switches and memories. The room hands out a [`Saved`] state
//! whenever it changes ([`super::Record::Saved`]); a restarted server builds the room again from the
//! last one, with every member away, so that each can resume within the grace period. It also
//! opens and closes the class sessions that attendance is recorded in.

use serde::{Deserialize, Serialize};

use super::{chat, Away, Member, Out, Output, Record, Room, RoomSpec, SessionEnd, Stage};
use crate::protocol::{PeerId, PeerInfo, Settings, UnixMillis};

/// A room's state as stored (JSON in `live_rooms`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    settings: Settings,
    seq: u64,
    turned_away: Vec<(String, UnixMillis)>,
    removed: Vec<String>,
    strangers: Vec<(PeerId, PeerId)>,
    members: Vec<SavedMember>,
    /// The room had moved to the media server (see `room/media.rs`): it stays there after a restart.
    #[serde(default)]
    sfu: bool,
}

/// One member as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SavedMember {
    info: PeerInfo,
    /// `(since, seq)` while waiting.
    waiting: Option<(UnixMillis, u64)>,
    knock_key: String,
    attendee: Option<String>,
    granted: bool,
    resume: String,
    /// Since when it has been away, if it was.
    away_since: Option<UnixMillis>,
}

impl Saved {
    /// The ids of the members, for the caller to keep new ids clear of them.
    pub fn peers(&self) -> impl Iterator<Item = PeerId> + '_ {
        self.members.iter().map(|m| m.info.id)
    }
}

impl Room {
    /// Hands out the state if it changed since last time (`None` once the room is empty or ended).
    pub(super) fn save(&mut self, out: &mut Out) {
        let now = if self.members.is_empty() || self.ended {
            None
        } else {
            Some(self.snapshot())
        };
        if now != self.saved {
            out.push(Output::Persist(Record::Saved(now.clone().map(Box::new))));
            self.saved = now;
        }
    }

    fn snapshot(&self) -> Saved {
        let members = self
            .members
            .values()
            .map(|m| SavedMember {
                info: m.info.clone(),
                waiting: match m.stage {
                    Stage::Waiting { since, seq } => Some((since, seq)),
                    Stage::Admitted => None,
                },
                knock_key: m.knock_key.clone(),
                attendee: m.attendee.clone(),
                granted: m.granted,
                resume: m.resume.clone(),
                away_since: m.away.map(|a| a.since),
            })
            .collect();
        Saved {
            settings: self.settings,
            seq: self.seq,
            turned_away: self.turned_away.clone(),
            removed: self.removed.clone(),
            strangers: self.strangers.iter().copied().collect(),
            members,
            sfu: self.media.sfu,
        }
    }

    /// The room of a server that stopped, as `saved` left it, at `now`: every member is away (since
    /// it was lost, or since `last_alive`, when the old server was last known running) and keeps
    /// its place until `now` plus the grace period. Returns the room and when to tick it first.
    pub fn restore(
        spec: RoomSpec,
        saved: Saved,
        last_alive: UnixMillis,
        now: UnixMillis,
    ) -> (Room, UnixMillis) {
        let until = now.saturating_add(spec.resume_grace);
        let mut room = Room::new(spec);
        room.settings = saved.settings;
        room.seq = saved.seq;
        room.turned_away = saved.turned_away;
        room.removed = saved.removed;
        room.strangers = saved.strangers.into_iter().collect();
        room.media.sfu = saved.sfu;
        for m in saved.members {
            let since = m.away_since.unwrap_or(last_alive).min(last_alive);
            let member = Member {
                stage: match m.waiting {
                    Some((since, seq)) => Stage::Waiting { since, seq },
                    None => Stage::Admitted,
                },
                knock_key: m.knock_key,
                attendee: m.attendee,
                granted: m.granted,
                chat: chat::Bucket::full(now),
                hands: chat::Bucket::full(now),
                resume: m.resume,
                away: Some(Away {
                    since,
                    until,
                    restored: m.away_since.is_none(),
                }),
                info: m.info,
            };
            room.members.insert(member.info.id, member);
        }
        room.in_session = !room.members.is_empty();
        room.saved = Some(room.snapshot());
        (room, until)
    }

    /// Opens a class session when someone came into the empty room (its record goes first, before
    /// the attendance it holds) and closes it when the room emptied or the class ended.
    pub(super) fn track_session(&mut self, now: UnixMillis, out: &mut Out) {
        // Set by this step's departures only: consumed here, whatever happens.
        let departed = self.departed.take();
        if !self.in_session && !self.members.is_empty() {
            self.in_session = true;
            out.insert(0, Output::Persist(Record::SessionStarted { at: now }));
        } else if self.in_session && self.members.is_empty() {
            self.in_session = false;
            let (left_at, restart) = departed.unwrap_or((now, false));
            let (at, reason) = match (self.ended, restart) {
                (true, _) => (now, SessionEnd::Ended),
                (false, true) => (left_at, SessionEnd::Restart),
                (false, false) => (left_at, SessionEnd::Empty),
            };
            out.push(Output::Persist(Record::SessionEnded { at, reason }));
        }
    }
}
