//! One room's membership and relay rules as a pure state machine.
//!
//! No I/O, no clock, no locks: a message goes in, the messages to send come out, addressed. The
//! socket task and the hub only move bytes; every decision about who may say what to whom lives
//! here, so it is tested without sockets (as str0m tests its protocol).

use std::collections::BTreeMap;

use crate::protocol::{
    clean_name, ClientMsg, ErrorCode, IceServer, MediaState, PeerId, PeerInfo, Role, RoomSummary,
    ServerMsg, Signal, Topology,
};
use crate::server::secret;

/// What [`Room::handle`] asks the caller to send, in order.
pub type Outbox = Vec<(PeerId, ServerMsg)>;

/// What a room needs to know from storage to admit people.
#[derive(Clone, Debug, PartialEq)]
pub struct RoomSpec {
    pub id: String,
    pub name: String,
    /// Hex SHA-256 of the teacher key; the key itself is never kept.
    pub teacher_key_hash: String,
    pub capacity: usize,
    pub ice_servers: Vec<IceServer>,
}

/// The live state of one room.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    spec: RoomSpec,
    members: BTreeMap<PeerId, PeerInfo>,
}

impl Room {
    /// An empty room.
    pub fn new(spec: RoomSpec) -> Self {
        Room {
            spec,
            members: BTreeMap::new(),
        }
    }

    /// Applies one message from `peer` and returns what to send to whom.
    pub fn handle(&mut self, peer: PeerId, msg: ClientMsg) -> Outbox {
        match msg {
            ClientMsg::Join {
                name,
                teacher_key,
                media,
                ..
            } => self.join(peer, &name, teacher_key.as_deref(), media),
            _ if !self.members.contains_key(&peer) => refuse(peer, ErrorCode::NotJoined),
            ClientMsg::Signal { to, from, data } => self.relay(peer, to, from, data),
            ClientMsg::Media(media) => self.set_media(peer, media),
            ClientMsg::Leave => self.leave(peer),
            _ => refuse(peer, ErrorCode::Forbidden),
        }
    }

    /// Removes `peer` (it left, or its connection ended) and tells the others. Idempotent.
    pub fn leave(&mut self, peer: PeerId) -> Outbox {
        if self.members.remove(&peer).is_none() {
            return Vec::new();
        }
        self.others(peer)
            .map(|to| (to, ServerMsg::PeerLeft { peer }))
            .collect()
    }

    /// The member's info, if `peer` is in the room.
    pub fn member(&self, peer: PeerId) -> Option<&PeerInfo> {
        self.members.get(&peer)
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when nobody is in the room (the hub then forgets it).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn join(&mut self, peer: PeerId, name: &str, key: Option<&str>, media: MediaState) -> Outbox {
        if self.members.contains_key(&peer) {
            return refuse(peer, ErrorCode::AlreadyJoined);
        }
        let Some(name) = clean_name(name) else {
            return refuse(peer, ErrorCode::InvalidName);
        };
        let role = match key {
            None => Role::Student,
            Some(key) if secret::hash(key) == self.spec.teacher_key_hash => Role::Teacher,
            Some(_) => return refuse(peer, ErrorCode::BadTeacherKey),
        };
        if self.members.len() >= self.spec.capacity {
            return refuse(peer, ErrorCode::RoomFull);
        }
        let info = PeerInfo {
            id: peer,
            name,
            role,
            media,
            hand: None,
            may_speak: true,
        };
        let mut out: Outbox = self
            .others(peer)
            .map(|to| (to, ServerMsg::PeerJoined { peer: info.clone() }))
            .collect();
        out.push((
            peer,
            ServerMsg::Joined {
                you: peer,
                role,
                room: RoomSummary {
                    id: self.spec.id.clone(),
                    name: self.spec.name.clone(),
                    capacity: self.spec.capacity,
                },
                peers: self.members.values().cloned().collect(),
                ice_servers: self.spec.ice_servers.clone(),
                topology: Topology::Mesh,
                settings: Default::default(),
                waiting: Vec::new(),
                chat: Vec::new(),
            },
        ));
        self.members.insert(peer, info);
        out
    }

    fn relay(&self, peer: PeerId, to: PeerId, from: Option<PeerId>, data: Signal) -> Outbox {
        if from.is_some_and(|claimed| claimed != peer) {
            return refuse(peer, ErrorCode::SpoofedSender);
        }
        if to == peer || !self.members.contains_key(&to) {
            return refuse(peer, ErrorCode::UnknownPeer);
        }
        if let Err(why) = data.check() {
            let message = why.to_string();
            return vec![(
                peer,
                ServerMsg::Error {
                    code: ErrorCode::BadSignal,
                    message,
                },
            )];
        }
        vec![(to, ServerMsg::Signal { from: peer, data })]
    }

    fn set_media(&mut self, peer: PeerId, media: MediaState) -> Outbox {
        if let Some(info) = self.members.get_mut(&peer) {
            info.media = media;
        }
        self.others(peer)
            .map(|to| (to, ServerMsg::Media { peer, media }))
            .collect()
    }

    fn others(&self, peer: PeerId) -> impl Iterator<Item = PeerId> + '_ {
        self.members.keys().copied().filter(move |&id| id != peer)
    }
}

fn refuse(peer: PeerId, code: ErrorCode) -> Outbox {
    vec![(peer, ServerMsg::error(code))]
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
