//! Keeping media alive when the network under a peer connection changes: ICE restarts.
//!
//! A connection that went `disconnected` and has not recovered a second later, or that `failed`,
//! gets `restartIce()`; the new credentials travel in an ordinary renegotiation (perfect
//! negotiation, docs/protocol.md "Media topology"). Without signaling that renegotiation cannot
//! happen, so the restart is remembered and made once the server has taken us back. Connections
//! are never closed because signaling went away: media flows browser to browser. A link to the
//! media peer that a restart cannot mend (its DTLS handshake failed, or a restart did not help)
//! is replaced by a new connection (`call_model::recovery`), and so is one that has not connected
//! within a deadline (a handshake whose records are lost never fails by itself).

use web_sys::{RtcPeerConnectionState, RtcSignalingState};

use super::engine::{warn, Engine};
use super::events::{Event, PeerEvent};
use super::timer;
use crate::call_model::recovery::{on_connect_deadline, on_failed, Recovery};
use crate::call_model::topology::LinkPlan;
use crate::protocol::{PeerId, MEDIA_PEER};

/// How long a `disconnected` connection may take to come back by itself before ICE is restarted:
/// consent checks often recover a brief loss without a restart.
const DISCONNECTED_GRACE_MS: i32 = 1_000;

impl Engine {
    /// A link's connection state changed.
    pub(super) async fn on_link_state(&mut self, id: PeerId, state: RtcPeerConnectionState) {
        match state {
            RtcPeerConnectionState::Failed => {
                let Some(link) = self.peers.get(&id) else {
                    return;
                };
                match on_failed(id == MEDIA_PEER, link.ice_failed(), link.restarted()) {
                    Recovery::RestartIce => self.restart_ice(id),
                    Recovery::NewConnection => self.renew_media_link().await,
                }
            }
            RtcPeerConnectionState::Disconnected => {
                let tx = self.tx.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    timer::sleep_ms(DISCONNECTED_GRACE_MS).await;
                    // After the call ended the channel is closed and this goes nowhere.
                    let _ = tx.unbounded_send(Event::Peer(id, PeerEvent::DisconnectedAWhile));
                });
            }
            RtcPeerConnectionState::Connected => {
                self.restart_due.remove(&id);
                if let Some(link) = self.peers.get(&id) {
                    link.connected();
                }
            }
            _ => {}
        }
    }

    /// A second after `disconnected`: restart unless it has come back meanwhile.
    pub(super) fn on_disconnected_a_while(&mut self, id: PeerId) {
        let still = self
            .peers
            .get(&id)
            .is_some_and(|link| link.connection_state() == RtcPeerConnectionState::Disconnected);
        if still {
            self.restart_ice(id);
        }
    }

    /// The media peer's link was made `CONNECT_DEADLINE_MS` ago and is still open.
    pub(super) async fn on_connect_deadline(&mut self, id: PeerId) {
        let Some(link) = self.peers.get(&id) else {
            return;
        };
        if on_connect_deadline(id == MEDIA_PEER, link.ever_connected()).is_some() {
            self.renew_media_link().await;
        }
    }

    /// Closes the link to the media peer and offers from a new connection, which the media peer
    /// takes as a new media session of ours. Its tiles go dark until the new one forwards them.
    async fn renew_media_link(&mut self) {
        web_sys::console::info_1(&"[call] a new connection to the media peer".into());
        self.close_links(&[MEDIA_PEER]);
        let plan = LinkPlan {
            offer: vec![MEDIA_PEER],
            ..LinkPlan::default()
        };
        // The media peer keeps our view for the new session; sent again in case it has not.
        self.resend_view();
        self.open_links(&plan).await;
    }

    /// Restarts ICE on the link to `id` now, or once signaling is back.
    fn restart_ice(&mut self, id: PeerId) {
        let Some(link) = self.peers.get(&id) else {
            return;
        };
        if self.connection.is_up() {
            web_sys::console::info_1(&format!("[call] restarting ICE with {id}").into());
            link.restart_ice();
        } else {
            self.restart_due.insert(id);
        }
    }

    /// Signaling is back (resumed): finish what the links could not do without it. A link left
    /// mid-negotiation lost the other side's answer with the old connection, so its offer is rolled
    /// back and made again; broken links restart ICE; the others renegotiate if they wanted to.
    pub(super) async fn catch_up_links(&mut self) {
        let ids: Vec<PeerId> = self.peers.keys().copied().collect();
        for id in ids {
            let Some(link) = self.peers.get_mut(&id) else {
                continue;
            };
            let broken = matches!(
                link.connection_state(),
                RtcPeerConnectionState::Disconnected | RtcPeerConnectionState::Failed
            );
            let restart = self.restart_due.remove(&id) || broken;
            let stuck = link.signaling_state() == RtcSignalingState::HaveLocalOffer;
            if stuck {
                if let Err(e) = link.roll_back().await {
                    warn("rolling back a lost offer failed", &e);
                }
            }
            if restart {
                web_sys::console::info_1(&format!("[call] restarting ICE with {id}").into());
                link.restart_ice();
            } else if self.negotiation_due.contains(&id) || stuck {
                // `restartIce()` makes the browser ask for a negotiation itself; this does it by hand.
                let _ = self
                    .tx
                    .unbounded_send(Event::Peer(id, PeerEvent::NegotiationNeeded));
            }
        }
        self.negotiation_due.clear();
        self.restart_due.clear();
    }
}
