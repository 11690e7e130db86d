//! The engine's side of the media topology: holding the links `call_model::topology` plans (one
//! per participant in a mesh, one to the media peer in an SFU room), switching when the room
//! does, and showing what the media peer forwards in the tiles of the people it comes from.

use web_sys::MediaStream;

use super::engine::{warn, Engine};
use super::events::{Event, PeerEvent, Update};
use super::peer::PeerLink;
use crate::call_model::topology::{plan_links, stream_owner, LinkPlan, Media, Moment, StreamOwner};
use crate::protocol::{PeerId, Topology, MEDIA_PEER};

impl Engine {
    /// `topology`: the room's media moved (to the media peer, when too many came or a teacher
    /// turned class mode on). Nobody left; only the links change. Local tracks stay as they are.
    pub(super) async fn on_topology(&mut self, topology: Topology) {
        let media = Media::from(topology);
        if media == self.media {
            return;
        }
        self.media = media;
        let present: Vec<PeerId> = self.others.iter().map(|p| p.id).collect();
        let plan = self.plan_links(Moment::Switched, &present);
        self.close_links(&plan.close);
        self.view_ahead(&present);
        self.open_links(&plan).await;
    }

    /// The links for `moment` in the room's current topology, with `present` the others in the
    /// room.
    pub(super) fn plan_links(&self, moment: Moment, present: &[PeerId]) -> LinkPlan {
        let linked: Vec<PeerId> = self.peers.keys().copied().collect();
        plan_links(self.media, moment, &linked, present, self.me_id())
    }

    /// Opens our link to `remote` (offering first when `initiate`), carrying our screen share if
    /// one is on.
    pub(super) fn connect(&mut self, remote: PeerId, initiate: bool) {
        match PeerLink::new(
            self.me_id(),
            remote,
            &self.ice,
            &self.local,
            initiate,
            &self.tx,
        ) {
            Ok(mut link) => {
                if let Some(share) = &self.screen {
                    link.set_screen(Some((share.stream(), share.track())));
                }
                self.peers.insert(remote, link);
            }
            Err(e) => warn("creating a peer connection failed", &e),
        }
    }

    /// Closes the links to `ids` (`pc.close()`, callbacks detached) and blanks the media they
    /// carried; the participants stay.
    pub(super) fn close_links(&mut self, ids: &[PeerId]) {
        for &id in ids {
            self.peers.remove(&id);
            self.restart_due.remove(&id);
            self.negotiation_due.remove(&id);
            if id == MEDIA_PEER {
                for owner in std::mem::take(&mut self.forwarded).into_keys() {
                    self.emit(ended(owner));
                }
            } else {
                self.emit(Update::RemoteEnded(id));
                self.emit(Update::RemoteScreenEnded(id));
            }
        }
    }

    /// Opens the links the plan asks for (offering, or waiting for the other side's offer) and
    /// renegotiates on the kept links it names.
    pub(super) async fn open_links(&mut self, plan: &LinkPlan) {
        for &id in &plan.offer {
            self.connect(id, true);
        }
        for &id in &plan.answer {
            self.connect(id, false);
        }
        self.offer_now(&plan.offer).await;
        for &id in &plan.renegotiate {
            let _ = self
                .tx
                .unbounded_send(Event::Peer(id, PeerEvent::NegotiationNeeded));
        }
    }

    /// Makes and sends the offers of new links at once. Waiting for `negotiationneeded` put
    /// whatever the page did next between a link and its offer: on a join that was drawing the
    /// call, ~25 ms (docs/BENCHMARKS.md, "The phases of a join"). The `negotiationneeded` that
    /// Chromium may still fire arrives while this offer waits for its answer and makes none
    /// (`PeerLink::offer`); a link to the media peer that sends nothing would get no event at
    /// all. One after the other, as the events were handled before (at most the mesh's few
    /// links); `join_all` would cost 3 KB of WASM.
    async fn offer_now(&mut self, ids: &[PeerId]) {
        if !self.connection.is_up() {
            self.negotiation_due.extend(ids);
            return;
        }
        for &id in ids {
            let Some(link) = self.peers.get_mut(&id) else {
                continue;
            };
            match link.offer().await {
                Ok(Some(offer)) => self.signal(id, offer),
                Ok(None) => {}
                Err(e) => warn("making an offer failed", &e),
            }
        }
    }

    /// The media peer forwards a stream: show it in its sender's camera or screen tile.
    pub(super) fn on_forwarded(&mut self, stream: MediaStream) {
        let Some(owner) = stream_owner(&stream.id(), self.me_id()) else {
            web_sys::console::debug_2(&"[call] forwarded stream of nobody".into(), &stream);
            return;
        };
        self.forwarded.insert(owner, Clone::clone(&stream));
        self.emit(match owner {
            StreamOwner::Camera(id) => Update::Remote(id, stream),
            StreamOwner::Screen(id) => Update::RemoteScreen(id, stream),
        });
    }

    /// After the media peer's description: a forwarded stream left without tracks (its m-lines
    /// stopped: the sender stopped sharing or left) is no longer shown.
    pub(super) fn prune_forwarded(&mut self) {
        let gone: Vec<StreamOwner> = self
            .forwarded
            .iter()
            .filter(|(_, stream)| stream.get_tracks().length() == 0)
            .map(|(owner, _)| *owner)
            .collect();
        for owner in gone {
            self.forwarded.remove(&owner);
            self.emit(ended(owner));
        }
    }

    /// Forgets what the media peer forwarded of `peer` (who left).
    pub(super) fn forget_forwarded(&mut self, peer: PeerId) {
        self.forwarded.retain(|owner, _| owner.peer() != peer);
    }
}

fn ended(owner: StreamOwner) -> Update {
    match owner {
        StreamOwner::Camera(id) => Update::RemoteEnded(id),
        StreamOwner::Screen(id) => Update::RemoteScreenEnded(id),
    }
}
