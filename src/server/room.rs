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
mod moderation;
mod roster;
mod settings;

pub use admin::AdminAction;
pub use io::{HandEvent, Input, Output, Record, SessionEnd};

use std::collections::{BTreeMap, VecDeque};

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
    /// STUN/TURN servers with fixed credentials (`--ice-server`), the same for everyone.
    pub ice_servers: Vec<IceServer>,
    /// A TURN service with shared-secret credentials: each participant gets their own in `joined`.
    pub turn: Option<crate::server::turn::TurnRest>,
    /// The "let students in automatically" setting, kept with the room.
    pub auto_admit: bool,
    /// The latest chat messages of earlier sessions, oldest first.
    pub chat: Vec<ChatLine>,
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
        }
    }

    /// Applies one input at time `now` and returns what to do.
    pub fn step(&mut self, now: UnixMillis, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        match input {
            Input::Join {
                peer,
                address,
                name,
                teacher_key,
                media,
                attendee,
            } => {
                let who = admission::Knocker {
                    peer,
                    address: &address,
                    name: &name,
                    key: teacher_key.as_deref(),
                    attendee: attendee.as_deref(),
                    media,
                };
                self.join(now, who, &mut out)
            }
            Input::Message(peer, msg) => self.message(now, peer, msg, &mut out),
            Input::Disconnect(peer) => self.depart(now, peer, &mut out),
            Input::Tick => self.tick(now, &mut out),
            Input::Admin(action) => self.admin(now, action, &mut out),
        }
        self.track_session(now, &mut out);
        out
    }

    /// Opens a class session when someone came into the empty room (its record goes first, before
    /// the attendance it holds) and closes it when the room emptied or the class ended.
    fn track_session(&mut self, now: UnixMillis, out: &mut Out) {
        if !self.in_session && !self.members.is_empty() {
            self.in_session = true;
            out.insert(0, Output::Persist(Record::SessionStarted { at: now }));
        } else if self.in_session && self.members.is_empty() {
            self.in_session = false;
            let reason = if self.ended {
                SessionEnd::Ended
            } else {
                SessionEnd::Empty
            };
            out.push(Output::Persist(Record::SessionEnded { at: now, reason }));
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
        if matches!(msg, ClientMsg::Join { .. }) {
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
        if let Some(next) = self.turned_away.iter().map(|(_, until)| *until).min() {
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
