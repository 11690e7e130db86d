//! The engine's answers to its peer connections: negotiation, candidates, remote streams and
//! connection states (the ICE restarts are in `ice_restart.rs`).

use super::engine::{warn, Engine};
use super::events::{PeerEvent, Update};
use crate::protocol::{ClientMsg, PeerId, Signal};

impl Engine {
    pub(super) async fn on_peer(&mut self, id: PeerId, event: PeerEvent) {
        let Some(link) = self.peers.get_mut(&id) else {
            return;
        };
        match event {
            // Signaling is away: the offer could not be sent. Made once we are back.
            PeerEvent::NegotiationNeeded if !self.connection.is_up() => {
                self.negotiation_due.insert(id);
            }
            PeerEvent::NegotiationNeeded => match link.offer().await {
                Ok(Some(offer)) => self.signal(id, offer),
                Ok(None) => {}
                Err(e) => warn("making an offer failed", &e),
            },
            PeerEvent::Signal(candidate) => self.signal(id, candidate),
            PeerEvent::Track(stream) => self.emit(Update::Remote(id, stream)),
            PeerEvent::Screen(stream) => self.emit(Update::RemoteScreen(id, stream)),
            PeerEvent::Forwarded(stream) => self.on_forwarded(stream),
            PeerEvent::State(state) => self.on_link_state(id, state).await,
            PeerEvent::DisconnectedAWhile => self.on_disconnected_a_while(id),
            PeerEvent::ConnectDeadline => self.on_connect_deadline(id).await,
        }
    }

    pub(super) fn signal(&self, to: PeerId, data: Signal) {
        self.send(&ClientMsg::Signal {
            to,
            from: None,
            data,
        });
    }
}
