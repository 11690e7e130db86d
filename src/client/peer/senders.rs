//! What a link sends: attaching our tracks, swapping camera and microphone tracks, and adding or
//! removing a screen share.

use js_sys::Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcRtpSender, RtcRtpTransceiverDirection, RtcRtpTransceiverInit,
};

use super::{simulcast, PeerLink};
use crate::client::media;

impl PeerLink {
    /// Adds our tracks. The offerer also adds a receive-only transceiver for a kind it has no track
    /// of, so the offer always asks for both audio and video from the other side — except to the
    /// media peer, which offers us what we receive itself.
    pub(super) fn attach_local(&mut self, offering: bool) {
        if std::mem::replace(&mut self.attached, true) {
            return;
        }
        for kind in ["audio", "video"] {
            match media::tracks(&self.local, kind).first() {
                Some(track) => {
                    let sender = self.add_sender(kind, track, &self.local);
                    if !track.enabled() {
                        // Muted: the transceiver exists (unmuting needs no renegotiation), but
                        // nothing is sent, not even encoded silence.
                        let _ = sender.replace_track(None);
                    }
                    self.senders.push((kind.to_string(), sender));
                }
                None if offering && !self.to_media_peer => {
                    let init = RtcRtpTransceiverInit::new();
                    init.set_direction(RtcRtpTransceiverDirection::Recvonly);
                    self.pc.add_transceiver_with_str_and_init(kind, &init);
                }
                None => {}
            }
        }
        self.send_screen();
    }

    /// Sends `track` instead of whatever this link sent of its kind (`None` sends nothing), without
    /// renegotiating; adds it (renegotiating once) if this link never sent that kind.
    pub async fn replace_track(
        &mut self,
        kind: &str,
        track: Option<&MediaStreamTrack>,
        stream: &MediaStream,
    ) {
        if !self.attached {
            return; // not negotiated yet: the answer will attach whatever the stream holds then
        }
        let existing = self.senders.iter().find(|(k, _)| k == kind).map(|(_, s)| s);
        match (existing, track) {
            (Some(sender), _) => {
                if let (true, "video", Some(track)) = (self.to_media_peer, kind, track) {
                    // Before the swap, so that no frame of the new camera goes out on the old plan.
                    simulcast::refit_camera(sender, track).await;
                }
                let _ = JsFuture::from(sender.replace_track(track)).await;
            }
            (None, Some(track)) => {
                let sender = self.add_sender(kind, track, stream);
                self.senders.push((kind.to_string(), sender));
            }
            (None, None) => {}
        }
    }

    /// Sends `track` of `stream`: the camera to the media peer as simulcast (see `simulcast`),
    /// anything else as one encoding.
    fn add_sender(
        &self,
        kind: &str,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> RtcRtpSender {
        if self.to_media_peer && kind == "video" {
            simulcast::add_camera(&self.pc, track, stream)
        } else {
            self.pc.add_track_0(track, stream)
        }
    }

    /// Shares `screen` (stream and display track) on this link, or stops sharing (`None`).
    /// Either renegotiates; before the first negotiation it is only remembered.
    pub fn set_screen(&mut self, screen: Option<(&MediaStream, &MediaStreamTrack)>) {
        if let Some(sender) = self.screen_sender.take() {
            self.pc.remove_track(&sender);
        }
        self.screen = screen.map(|(s, t)| (Clone::clone(s), Clone::clone(t)));
        if self.attached {
            self.send_screen();
        }
    }

    /// Adds the screen track as a transceiver of its own, always after the camera's, so the
    /// receiver can tell the two videos apart by order (see `rtc::is_screen`). To the media peer
    /// it goes as simulcast, so that a weak link can get the smaller picture.
    pub(super) fn send_screen(&mut self) {
        let Some((stream, track)) = &self.screen else {
            return;
        };
        let sender = if self.to_media_peer {
            simulcast::add_screen(&self.pc, track, stream)
        } else {
            let init = RtcRtpTransceiverInit::new();
            init.set_direction(RtcRtpTransceiverDirection::Sendonly);
            init.set_streams(&Array::of1(stream));
            self.pc
                .add_transceiver_with_media_stream_track_and_init(track, &init)
                .sender()
        };
        self.screen_sender = Some(sender);
    }
}
