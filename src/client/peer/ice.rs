//! A link's health and its ICE restarts (see `client/ice_restart.rs` for when they happen).

use std::cell::Cell;

use futures::channel::mpsc::UnboundedSender;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::{
    RtcIceConnectionState, RtcPeerConnection, RtcPeerConnectionState, RtcSdpType, RtcSignalingState,
};

use super::PeerLink;
use crate::call_model::recovery::CONNECT_DEADLINE_MS;
use crate::client::events::{Event, PeerEvent};
use crate::client::rtc::configuration;
use crate::client::timer;
use crate::protocol::{IceServer, MEDIA_PEER};

/// What `call_model::recovery` asks about a link.
#[derive(Default)]
pub(super) struct Health {
    /// ICE was restarted since the connection was last `connected`.
    restarted: Cell<bool>,
    /// The connection was `connected` at least once.
    ever_connected: Cell<bool>,
}

/// For a new link `pc` `to_media_peer`: reports [`PeerEvent::ConnectDeadline`] once
/// [`CONNECT_DEADLINE_MS`] have passed, unless it was closed meanwhile (replaced, or the call
/// ended), so the event always concerns the link there is now.
pub(super) fn watch_connecting(
    to_media_peer: bool,
    pc: &RtcPeerConnection,
    events: &UnboundedSender<Event>,
) {
    if !to_media_peer {
        return;
    }
    let (pc, events) = (pc.clone(), events.clone());
    wasm_bindgen_futures::spawn_local(async move {
        timer::sleep_ms(CONNECT_DEADLINE_MS).await;
        if pc.connection_state() != RtcPeerConnectionState::Closed {
            let _ = events.unbounded_send(Event::Peer(MEDIA_PEER, PeerEvent::ConnectDeadline));
        }
    });
}

impl PeerLink {
    pub fn connection_state(&self) -> RtcPeerConnectionState {
        self.pc.connection_state()
    }

    /// Whether the ICE transport itself failed (when the connection failed and this did not, the
    /// DTLS handshake did).
    pub fn ice_failed(&self) -> bool {
        self.pc.ice_connection_state() == RtcIceConnectionState::Failed
    }

    /// Whether ICE was restarted since the connection was last `connected`.
    pub fn restarted(&self) -> bool {
        self.health.restarted.get()
    }

    /// Whether the connection was ever `connected`.
    pub fn ever_connected(&self) -> bool {
        self.health.ever_connected.get()
    }

    /// The connection is `connected`: the next failure starts afresh.
    pub fn connected(&self) {
        self.health.restarted.set(false);
        self.health.ever_connected.set(true);
    }

    pub fn signaling_state(&self) -> RtcSignalingState {
        self.pc.signaling_state()
    }

    /// Restarts ICE: the browser then asks for a negotiation (`negotiationneeded`) whose offer
    /// carries new credentials, and gathers candidates again.
    pub fn restart_ice(&self) {
        self.health.restarted.set(true);
        // `restartIce()` is not in web-sys yet.
        if let Ok(f) = Reflect::get(&self.pc, &"restartIce".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&self.pc);
            }
        }
    }

    /// Withdraws our offer still waiting for an answer (the answer was lost with the socket).
    pub async fn roll_back(&self) -> Result<(), JsValue> {
        self.set_local(RtcSdpType::Rollback, "").await
    }

    /// Uses the ICE servers of the latest `joined` from now on (fresh TURN credentials for the
    /// next restart); the current candidate pair is not touched.
    pub fn use_ice_servers(&self, ice_servers: &[IceServer]) {
        if let Err(e) = self
            .pc
            .set_configuration_with_configuration(&configuration(ice_servers))
        {
            web_sys::console::debug_2(&"[call] new ICE servers not applied".into(), &e);
        }
    }
}
