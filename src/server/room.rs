//! One room's rules as a pure state machine: the waiting room, roles and rights, hands, chat, relay.
//!
//! Sans-IO, in the manner of str0m: [`Room::step`] takes the current time and one [`Input`] (a
//! client message, a join, a disconnect, a tick) and returns [`Output`]s — messages to send,
//! connections to close, records to persist, when to wake it next. No clock, socket, lock or
//! database in here, so every rule is tested on a simulated clock, and the hub around it only moves
//! bytes. Nothing a client sends can make it panic (fuzzed: `fuzz/fuzz_targets/room.rs`).

mod addressing;
mod admin;
mod admission;
pub mod chat;
mod io;
mod media;
mod moderation;
mod resume;
mod roster;
mod saved;
mod settings;

pub use admin::AdminAction;
pub use io::{HandEvent, Input, Output, Record, SessionEnd};
pub use media::Media;
pub use saved::Saved;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::protocol::{
    ChatLine, ClientMsg, ErrorCode, IceServer, PeerId, PeerInfo, Role, ServerMsg, Settings,
    UnixMillis,
};

/// What a room needs to know from storage.
#[derive(Clone, Debug, PartialEq)]
pub struct RoomSpec {
    pub id: String,
    pub name: String,
    /// Hex SHA-256 of the teacher key; the key itself is never kept.
    pub teacher_key_hash: String,
    pub capacity: usize,
    /// The most admitted members a mesh carries: past it the room moves to the media server. At or
    /// above `capacity` (no media server) it never does.
    pub mesh_size: usize,
    /// STUN/TURN servers with fixed credentials (`--ice-server`), the same for everyone.
    pub ice_servers: Vec<IceServer>,
    /// A TURN service with shared-secret credentials: each participant gets their own in `joined`.
    pub turn: Option<crate::server::turn::TurnRest>,
    /// The "let students in automatically" setting, kept with the room.
    pub auto_admit: bool,
    /// The latest chat messages of earlier sessions, oldest first.
    pub chat: Vec<ChatLine>,
    /// How long a member whose connection was lost keeps its place (`--resume-grace`).
    pub resume_grace: UnixMillis,
}

/// A member whose connection is lost: since when (its attendance ends then if it does not come
/// back), and until when its place is kept.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Away {
    since: UnixMillis,
    until: UnixMillis,
    /// Restored after a server restart: `since` is when the old server was last known alive.
    restored: bool,
}

/// Where a connection stands in the room.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Waiting { since: UnixMillis, seq: u64 },
    Admitted,
}

/// One connection in the room, waiting or admitted.
#[derive(Clone, Debug, PartialEq)]
struct Member {
    info: PeerInfo,
    stage: Stage,
    /// Where it came from and under which name: the key of the "turned away" memory.
    knock_key: String,
    /// Hex SHA-256 of the attendee token, if the client sent one.
    attendee: Option<String>,
    /// A teacher gave this student the word.
    granted: bool,
    chat: chat::Bucket,
    /// Raising and lowering one's own hand: each change is told to everyone, so it is rate-limited
    /// like the chat.
    hands: chat::Bucket,
    /// Hex SHA-256 of the member's current resume token (single use).
    resume: String,
    /// Set while its connection is lost.
    away: Option<Away>,
}

/// The live state of one room.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    spec: RoomSpec,
    settings: Settings,
    members: BTreeMap<PeerId, Member>,
    /// Counter for hand and knock order.
    seq: u64,
    chat: VecDeque<ChatLine>,
    /// Knock keys denied recently, with when they may knock again.
    turned_away: Vec<(String, UnixMillis)>,
    /// Knock keys removed during this session: they always wait, even with auto-admit.
    removed: Vec<String>,
    ended: bool,
    /// A class session is open (someone has been in since the room was last empty).
    in_session: bool,
    /// Pairs of admitted members (smaller id first) who have not been introduced: one came in
    /// while the other was away. Each is told about the other when both are back.
    strangers: BTreeSet<(PeerId, PeerId)>,
    /// The last [`Saved`] state handed out, to hand out only changes.
    saved: Option<Saved>,
    /// The last departure of this step: when it counts from, and whether it was a member who did
    /// not come back after a restart. A session that empties ends then.
    departed: Option<(UnixMillis, bool)>,
    /// Mesh or media server, and what the media server was told (see `room/media.rs`).
    media: media::MediaPlan,
}

/// Collects a transition's outputs.
type Out = Vec<Output>;

impl Room {
    /// An empty room.
    pub fn new(mut spec: RoomSpec) -> Self {
        let settings = Settings {
            auto_admit: spec.auto_admit,
            ..Settings::default()
        };
        let chat = std::mem::take(&mut spec.chat).into();
        Room {
            spec,
            settings,
            members: BTreeMap::new(),
            seq: 0,
            chat,
            turned_away: Vec::new(),
            removed: Vec::new(),
            ended: false,
            in_session: false,
            strangers: BTreeSet::new(),
            saved: None,
            departed: None,
            media: media::MediaPlan::default(),
        }
    }

    /// Applies one input at time `now` and returns what to do.
    pub fn step(&mut self, now: UnixMillis, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        // Relayed signals, chat lines and views change nothing a restart needs and take nobody out: the
        // relay path skips the snapshot and the bookkeeping below.
        if let Input::Message(
            peer,
            msg @ (ClientMsg::Signal { .. } | ClientMsg::Chat { .. } | ClientMsg::View { .. }),
        ) = input
        {
            self.message(now, peer, msg, &mut out);
            self.hush(&[], &mut out);
            return out;
        }
        // Whoever is away now and does not come back in this step hears nothing of it, even if it
        // is let go in this very step.
        let away_before: Vec<PeerId> = self
            .members
            .iter()
            .filter(|(_, m)| m.away.is_some())
            .map(|(&id, _)| id)
            .collect();
        match input {
            Input::Join {
                peer,
                address,
                name,
                teacher_key,
                media,
                attendee,
                resume,
            } => {
                let who = admission::Knocker {
                    peer,
                    address: &address,
                    name: &name,
                    key: teacher_key.as_deref(),
                    attendee: attendee.as_deref(),
                    media,
                    resume,
                };
                self.join(now, who, &mut out)
            }
            Input::Message(peer, msg) => self.message(now, peer, msg, &mut out),
            Input::Resume {
                conn,
                token,
                fresh,
                media,
            } => self.resume(now, conn, &token, fresh, media, &mut out),
            Input::Lost(peer) => self.lose(now, peer, &mut out),
            Input::Disconnect(peer) => self.depart(now, peer, &mut out),
            Input::Tick => self.tick(now, &mut out),
            Input::Admin(action) => self.admin(now, action, &mut out),
        }
        self.sync_media(&mut out);
        self.track_session(now, &mut out);
        self.save(&mut out);
        self.hush(&away_before, &mut out);
        out
    }

    /// Drops what was addressed to members who are away — now, or at the start of the step
    /// (`away_before`) without coming back in it: they would not hear it, and the `joined` of their
    /// resume brings them up to date. `ended` goes out whatever: it comes with a close, and the hub
    /// drops what has no queue.
    fn hush(&self, away_before: &[PeerId], out: &mut Out) {
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

    /// Opens a class session when someone came into the empty room (its record goes first, before
    /// the attendance it holds) and closes it when the room emptied or the class ended.
    fn track_session(&mut self, now: UnixMillis, out: &mut Out) {
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

    /// The member's info, if `peer` is admitted.
    pub fn member(&self, peer: PeerId) -> Option<&PeerInfo> {
        self.members
            .get(&peer)
            .filter(|m| m.stage == Stage::Admitted)
            .map(|m| &m.info)
    }

    /// Whether `peer` is in the room, admitted or waiting.
    pub fn contains(&self, peer: PeerId) -> bool {
        self.members.contains_key(&peer)
    }

    /// Whether `peer` is in the room with its connection lost (within the grace period).
    pub fn is_away(&self, peer: PeerId) -> bool {
        self.members.get(&peer).is_some_and(|m| m.away.is_some())
    }

    /// The admitted members `peer` has been told about (all but itself and its strangers).
    pub fn known_by(&self, peer: PeerId) -> Vec<PeerId> {
        self.known_to(peer).collect()
    }

    /// Everyone in the room, admitted or waiting, connected or away.
    pub fn peers(&self) -> Vec<PeerId> {
        self.members.keys().copied().collect()
    }

    /// Number of connections in the room, admitted or waiting.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when nobody is in the room (the hub then forgets it).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// True once a teacher or the administrator ended the class (or deleted the room); the room
    /// takes nobody any more.
    pub fn has_ended(&self) -> bool {
        self.ended
    }

    /// The room's current settings.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    fn message(&mut self, now: UnixMillis, peer: PeerId, msg: ClientMsg, out: &mut Out) {
        let Some(member) = self.members.get(&peer) else {
            return refuse(out, peer, ErrorCode::NotJoined);
        };
        if matches!(msg, ClientMsg::Join { .. } | ClientMsg::Resume { .. }) {
            return refuse(out, peer, ErrorCode::AlreadyJoined);
        }
        if matches!(msg, ClientMsg::Leave) {
            return self.depart(now, peer, out);
        }
        if member.stage != Stage::Admitted {
            return refuse(out, peer, ErrorCode::NotAdmitted);
        }
        if moderation::teacher_only(&msg) && member.info.role != Role::Teacher {
            return refuse(out, peer, ErrorCode::Forbidden);
        }
        match msg {
            ClientMsg::Signal { to, from, data } => self.relay(peer, to, from, data, out),
            ClientMsg::Chat { text } => self.chat(now, peer, &text, out),
            ClientMsg::View { tiles } => self.view(peer, tiles, out),
            ClientMsg::Admit { peer: target } => self.admit_one(now, peer, target, out),
            ClientMsg::AdmitAll => self.admit_all(now, peer, out),
            ClientMsg::Deny { peer: target } => self.deny(now, peer, target, out),
            ClientMsg::Remove { peer: target } => self.remove(now, peer, target, out),
            ClientMsg::EndClass => self.end_class(now, peer, out),
            msg => self.moderate(now, peer, msg, out),
        }
    }

    fn tick(&mut self, now: UnixMillis, out: &mut Out) {
        self.turned_away.retain(|(_, until)| *until > now);
        self.let_go(now, out);
        let away = self
            .members
            .values()
            .filter_map(|m| m.away.map(|a| a.until));
        let turned_away = self.turned_away.iter().map(|(_, until)| *until);
        if let Some(next) = away.chain(turned_away).min() {
            out.push(Output::WakeAt(next));
        }
    }
}

fn refuse(out: &mut Out, peer: PeerId, code: ErrorCode) {
    out.push(Output::Send(peer, ServerMsg::error(code)));
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
