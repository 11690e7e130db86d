//! A session's send streams, which str0m keeps until told otherwise: dropped when an m-line stops
//! or is parked, declared anew when a parked one wakes.

use str0m::media::{MediaKind, Mid};

use super::Session;

impl Session {
    /// Drops the send streams of stopped m-lines. They never carry media again, yet str0m keeps
    /// them, and its pacer walks every send stream of the session on each timeout — one per packet
    /// it releases — so a class whose members come and go would pay for every m-line it ever had.
    pub(super) fn drop_send_streams(&mut self, stopped: &[Mid]) {
        let mut api = self.rtc.direct_api();
        for mid in stopped {
            // The media peer's own m-lines have one stream each (no simulcast towards members).
            if let Some(ssrc) = api.stream_tx_by_mid(*mid, None).map(|s| s.ssrc()) {
                api.remove_stream_tx(ssrc);
            }
        }
    }

    /// Gives each m-line to wake a new send stream, before the offer is made so that the offer
    /// names its SSRC: the browser's receiver starts over on it (new SSRC, new sequence numbers).
    pub(super) fn declare_woken(&mut self, wake: &[(Mid, MediaKind)]) {
        for (mid, kind) in wake {
            if self.rtc.media(*mid).is_none() {
                continue;
            }
            let mut api = self.rtc.direct_api();
            if api.stream_tx_by_mid(*mid, None).is_none() {
                let ssrc = api.new_ssrc();
                let rtx = (*kind == MediaKind::Video).then(|| api.new_ssrc());
                api.declare_stream_tx(ssrc, rtx, *mid, None);
            }
        }
    }

    /// Whether m-line `mid` has a send stream (for tests: what str0m's pacer walks).
    #[cfg(test)]
    pub(super) fn sends_on(&mut self, mid: Mid) -> bool {
        self.rtc.direct_api().stream_tx_by_mid(mid, None).is_some()
    }
}
