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
mod departure;
mod io;
mod media;
mod moderation;
mod resume;
mod roster;
mod saved;
mod settings;
mod spec;

pub use admin::AdminAction;
pub use io::{HandEvent, Input, Output, Record, SessionEnd};
pub use media::Media;
pub use saved::Saved;
pub use spec::RoomSpec;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::protocol::{
    ChatLine, ClientMsg, ErrorCode, PeerId, PeerInfo, Role, ServerMsg, Settings, UnixMillis,
};

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
