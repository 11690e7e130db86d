//! A link's health and its ICE restarts (see `client/ice_restart.rs` for when they happen).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::{RtcPeerConnectionState, RtcSdpType, RtcSignalingState};

use super::PeerLink;
use crate::client::rtc::configuration;
use crate::protocol::IceServer;

impl PeerLink {
    pub fn connection_state(&self) -> RtcPeerConnectionState {
        self.pc.connection_state()
    }

    pub fn signaling_state(&self) -> RtcSignalingState {
        self.pc.signaling_state()
    }

    /// Restarts ICE: the browser then asks for a negotiation (`negotiationneeded`) whose offer
    /// carries new credentials, and gathers candidates again.
    pub fn restart_ice(&self) {
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
