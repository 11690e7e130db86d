//! What a link tells of the audio it receives, for the speaker detection (`client/levels.rs`).

use wasm_bindgen::JsCast;

use super::PeerLink;

impl PeerLink {
    /// The connection's statistics (`RTCPeerConnection.getStats()`), for the audio levels.
    pub fn stats(&self) -> js_sys::Promise {
        self.pc.get_stats()
    }

    /// Each received audio track's id with the level its sender put in the last packet
    /// (`getSynchronizationSources()`, from the RTP audio-level header extension): known even
    /// where nothing plays the audio out (a headless browser has no speakers, so its inbound
    /// `totalAudioEnergy` stays 0).
    pub fn source_levels(&self) -> Vec<(String, f64)> {
        self.pc
            .get_receivers()
            .iter()
            .map(|r| r.unchecked_into::<web_sys::RtcRtpReceiver>())
            .filter(|r| r.track().kind() == "audio")
            .map(|r| {
                let level = r
                    .get_synchronization_sources()
                    .iter()
                    .filter_map(|s| {
                        js_sys::Reflect::get(&s, &"audioLevel".into())
                            .ok()?
                            .as_f64()
                    })
                    .fold(0.0, f64::max);
                (r.track().id(), level)
            })
            .collect()
    }
}
