//! The room's media topology and what the media server (the SFU) must know of it.
//!
//! A room starts as a mesh. It moves to the media server — for the rest of its session — once more
//! people are admitted than a mesh carries (`spec.mesh_size`), or when a teacher turns class mode on.
//! The move is one-way within a session: moving back would cut everyone's video mid-class for
//! nothing a teacher would notice; the next session starts as a mesh again.
//!
//! In a mesh, speaking rights are enforced by receivers (they play a student's audio only while the
//! server allows it). Through the media server they are enforced by the server itself: after every
//! step the room tells it, for each admitted member, whether their audio may be forwarded — only what
//! changed — and who is no longer in the call. Waiting, removed and departed members are never in it.

use std::collections::BTreeMap;

use super::{Out, Output, Room, Stage};
use crate::protocol::{ErrorCode, PeerId, ServerMsg, Signal, Tile, Topology, MAX_VIEW_TILES};

/// What the room asks of the media server.
#[derive(Clone, Debug, PartialEq)]
pub enum Media {
    /// A signal from member `peer` to the media peer (`signal {to: 0}`).
    Signal { peer: PeerId, data: Signal },
    /// Whether `peer`'s audio may be forwarded (its `media.audio && may_speak`).
    Audio { peer: PeerId, allowed: bool },
    /// Whether `peer`'s screen share may be forwarded (its `media.screen`, which a student may
    /// turn on only while students may share). Before the first: not.
    Screen { peer: PeerId, allowed: bool },
    /// `peer` is no longer in the call: its media session ends.
    Leave { peer: PeerId },
    /// The cameras `peer` displays (its `view`), each an admitted other member, once, by peer id.
    View { peer: PeerId, tiles: Vec<Tile> },
}

/// The media side of a room: its topology and what the media server was last told.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct MediaPlan {
    pub sfu: bool,
    /// Admitted members as the media server knows them, with their audio and screen rights.
    told: BTreeMap<PeerId, (bool, bool)>,
}

impl Room {
    /// The topology a member admitted now is told in `joined`: the one this step will end with.
    pub(super) fn topology(&self) -> Topology {
        if self.media.sfu || self.wants_sfu() {
            Topology::Sfu
        } else {
            Topology::Mesh
        }
    }

    fn wants_sfu(&self) -> bool {
        let admitted = self.members.values().filter(|m| m.stage == Stage::Admitted);
        self.spec.mesh_size < self.spec.capacity
            && (self.settings.class_mode || admitted.count() > self.spec.mesh_size)
    }

    /// A signal addressed to the media peer: handed to the media server in a room that uses it.
    pub(super) fn to_media(&self, peer: PeerId, data: Signal, out: &mut Out) {
        if !self.media.sfu {
            return super::refuse(out, peer, ErrorCode::UnknownPeer);
        }
        out.push(Output::Media(Media::Signal { peer, data }));
    }

    /// A member's `view`: handed to the media server, cleaned, in a room that uses it. Tiles of
    /// members who are not (or no longer) in the call are dropped, not refused: a `view` may cross
    /// a `peer_left`. Twice the same peer: the last tile counts.
    pub(super) fn view(&self, peer: PeerId, tiles: Vec<Tile>, out: &mut Out) {
        if tiles.len() > MAX_VIEW_TILES {
            return super::refuse(out, peer, ErrorCode::BadMessage);
        }
        if !self.media.sfu {
            return;
        }
        let shown: BTreeMap<PeerId, Tile> = tiles
            .into_iter()
            .filter(|t| t.peer != peer)
            .filter(|t| {
                self.members
                    .get(&t.peer)
                    .is_some_and(|m| m.stage == Stage::Admitted)
            })
            .map(|t| (t.peer, t))
            .collect();
        let tiles = shown.into_values().collect();
        out.push(Output::Media(Media::View { peer, tiles }));
    }

    /// After a step: moves the room to the media server if it must, and tells the media server what
    /// changed about rights and presence. A room that emptied starts its next session as a mesh.
    pub(super) fn sync_media(&mut self, out: &mut Out) {
        if !self.media.sfu && self.wants_sfu() {
            self.media.sfu = true;
            // Whoever was admitted in this very step has it in its `joined` already: one more
            // message would be the joiner's last, and a joiner whose queue cannot take all it is
            // sent does not come in (hub.rs) — after `joined` had reached it.
            let told: Vec<PeerId> = out
                .iter()
                .filter_map(|o| match o {
                    Output::Send(p, ServerMsg::Joined { .. }) => Some(*p),
                    _ => None,
                })
                .collect();
            let msg = ServerMsg::Topology {
                topology: Topology::Sfu,
            };
            for (&id, m) in &self.members {
                if m.stage == Stage::Admitted && !told.contains(&id) {
                    out.push(Output::Send(id, msg.clone()));
                }
            }
        }
        let now: BTreeMap<PeerId, (bool, bool)> = if self.media.sfu {
            let admitted = self
                .members
                .iter()
                .filter(|(_, m)| m.stage == Stage::Admitted);
            let rights = |m: &super::Member| {
                let media = &m.info.media;
                (media.audio && m.info.may_speak, media.screen)
            };
            admitted.map(|(&id, m)| (id, rights(m))).collect()
        } else {
            BTreeMap::new()
        };
        for &peer in self.media.told.keys() {
            if !now.contains_key(&peer) {
                out.push(Output::Media(Media::Leave { peer }));
            }
        }
        for (&peer, &(audio, screen)) in &now {
            let told = self.media.told.get(&peer);
            if told.map(|t| t.0) != Some(audio) {
                out.push(Output::Media(Media::Audio {
                    peer,
                    allowed: audio,
                }));
            }
            // A screen share is not forwarded until allowed: only a change is worth telling.
            if told.is_some_and(|t| t.1) != screen {
                out.push(Output::Media(Media::Screen {
                    peer,
                    allowed: screen,
                }));
            }
        }
        self.media.told = now;
        if self.members.is_empty() {
            self.media.sfu = false;
        }
    }
}
