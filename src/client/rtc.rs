//! Plain helpers around `RTCPeerConnection`: its configuration, SDP text, and telling a screen
//! share from a camera on the receiving side.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{
    RtcConfiguration, RtcIceServer, RtcIceTransportPolicy, RtcPeerConnection, RtcRtpTransceiver,
    RtcTrackEvent,
};

use crate::protocol::IceServer;

/// Whether a received track is a screen share: a video track on any video transceiver but the
/// first. Senders put the camera's video first (offered or answered in the first video m-line)
/// and add a screen share as a transceiver of its own later, so the order tells them apart on
/// both sides, even for a sender without a camera.
pub fn is_screen(pc: &RtcPeerConnection, event: &RtcTrackEvent) -> bool {
    if event.track().kind() != "video" {
        return false;
    }
    let first_video = pc
        .get_transceivers()
        .iter()
        .map(|t| t.unchecked_into::<RtcRtpTransceiver>())
        .find(|t| t.receiver().track().kind() == "video");
    first_video.is_some_and(|first| !Object::is(&first, &event.transceiver()))
}

/// The `RTCConfiguration` for the ICE servers the server named.
pub fn configuration(ice_servers: &[IceServer]) -> RtcConfiguration {
    let servers = Array::new();
    for s in ice_servers {
        let server = RtcIceServer::new();
        let urls: Array = s.urls.iter().map(|u| JsValue::from_str(u)).collect();
        server.set_urls(&urls);
        if let Some(u) = &s.username {
            server.set_username(u);
        }
        if let Some(c) = &s.credential {
            server.set_credential(c);
        }
        servers.push(&server);
    }
    let config = RtcConfiguration::new();
    config.set_ice_servers(&servers);
    if relay_only() {
        config.set_ice_transport_policy(RtcIceTransportPolicy::Relay);
    }
    config
}

/// Where the test-only "relay only" switch is kept (`localStorage`).
const RELAY_ONLY_KEY: &str = "classroom.test.relay_only";

/// Whether this browser was told to use TURN relays only (`iceTransportPolicy: "relay"`): the
/// end-to-end TURN test sets `localStorage["classroom.test.relay_only"] = "1"` to prove a call
/// works through the relay alone. It only ever affects the browser that sets it, which can hide
/// its own addresses that way; with no TURN server configured its calls do not connect.
fn relay_only() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(RELAY_ONLY_KEY).ok().flatten())
        .is_some_and(|v| v == "1")
}

/// The `sdp` text of a session description.
pub fn sdp_of(description: &JsValue) -> Result<String, JsValue> {
    Reflect::get(description, &"sdp".into())?
        .as_string()
        .ok_or_else(|| "description without sdp".into())
}
