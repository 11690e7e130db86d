//! The room state machine on a simulated clock: inputs in, outputs checked, no sockets.

mod admin;
mod basics;
mod chat;
mod class_mode;
mod hands;
mod let_go;
mod media;
mod permissions;
mod restart;
mod resume;
mod sent_off;
mod sessions;
mod view;
mod waiting;

use super::*;
use crate::protocol::{ClientMsg, EndedReason, ErrorCode, MediaState, PeerId, ServerMsg};
use crate::server::secret;

pub const KEY: &str = "the-teacher-key";

/// The resume token `peer` joins with in these tests.
pub fn token(peer: PeerId) -> String {
    format!("resume-token-of-peer-{peer:04}")
}

/// A room and its clock.
pub struct Sim {
    pub room: Room,
    pub now: UnixMillis,
}

pub fn av() -> MediaState {
    MediaState {
        audio: true,
        video: true,
        screen: false,
    }
}

/// A room named "Math 3-1" with teacher key [`KEY`], behind the waiting room.
pub fn spec(id: &str, capacity: usize) -> RoomSpec {
    RoomSpec {
        id: id.into(),
        name: "Math 3-1".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        mesh_size: capacity,
        ice_servers: vec![],
        turn: None,
        auto_admit: false,
        chat: vec![],
        resume_grace: 15_000,
    }
}

impl Sim {
    pub fn new(capacity: usize) -> Self {
        Sim {
            room: Room::new(spec("r1", capacity)),
            now: 1_700_000_000_000,
        }
    }

    /// One step's outputs but the saved states (which `tests/resume.rs` checks with
    /// [`Self::step_all`]), so that tests of the rules read the rules' outputs only.
    pub fn step(&mut self, input: Input) -> Vec<Output> {
        let mut out = self.step_all(input);
        out.retain(|o| !matches!(o, Output::Persist(Record::Saved(_))));
        out
    }

    pub fn step_all(&mut self, input: Input) -> Vec<Output> {
        self.room.step(self.now, input)
    }

    /// `peer` joins from its own address, with the teacher key when `key` is given.
    pub fn join_as(&mut self, peer: PeerId, name: &str, key: Option<&str>) -> Vec<Output> {
        self.step(Input::Join {
            peer,
            address: format!("10.0.0.{peer}"),
            name: name.into(),
            teacher_key: key.map(Into::into),
            media: av(),
            attendee: None,
            resume: token(peer),
        })
    }

    pub fn teacher(&mut self, peer: PeerId, name: &str) -> Vec<Output> {
        self.join_as(peer, name, Some(KEY))
    }

    pub fn student(&mut self, peer: PeerId, name: &str) -> Vec<Output> {
        self.join_as(peer, name, None)
    }

    /// A student who knocks and whom teacher `by` lets in.
    pub fn admitted(&mut self, peer: PeerId, name: &str, by: PeerId) -> Vec<Output> {
        self.student(peer, name);
        self.send(by, ClientMsg::Admit { peer })
    }

    pub fn send(&mut self, peer: PeerId, msg: ClientMsg) -> Vec<Output> {
        self.step(Input::Message(peer, msg))
    }

    pub fn disconnect(&mut self, peer: PeerId) -> Vec<Output> {
        self.step(Input::Disconnect(peer))
    }

    pub fn advance(&mut self, ms: UnixMillis) {
        self.now += ms;
    }
}

/// The messages `peer` is sent, in order.
pub fn to(out: &[Output], peer: PeerId) -> Vec<ServerMsg> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(p, msg) if *p == peer => Some(msg.clone()),
            _ => None,
        })
        .collect()
}

/// Who is sent anything at all.
pub fn recipients(out: &[Output]) -> Vec<PeerId> {
    let mut all: Vec<PeerId> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send(p, _) => Some(*p),
            _ => None,
        })
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The code of `out` if it is exactly one refusal.
pub fn refusal(out: &[Output]) -> Option<ErrorCode> {
    match out {
        [Output::Send(_, ServerMsg::Error { code, .. })] => Some(*code),
        _ => None,
    }
}

/// The records `out` asks to keep, but the saved states (`tests/resume.rs` checks those).
pub fn records(out: &[Output]) -> Vec<Record> {
    out.iter()
        .filter_map(|o| match o {
            Output::Persist(Record::Saved(_)) => None,
            Output::Persist(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// The peers `out` asks to close, with why.
pub fn closes(out: &[Output]) -> Vec<(PeerId, EndedReason)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Close(p, why) => Some((*p, *why)),
            _ => None,
        })
        .collect()
}

/// The info of `peer` as the last `peer_updated` about it in `out` says.
pub fn updated(out: &[Output], peer: PeerId) -> Option<PeerInfo> {
    out.iter().rev().find_map(|o| match o {
        Output::Send(_, ServerMsg::PeerUpdated { peer: info, .. }) if info.id == peer => {
            Some(info.clone())
        }
        _ => None,
    })
}
