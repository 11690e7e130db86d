//! The camera to the media peer as simulcast encodings (docs/protocol.md "Simulcast"): the media
//! peer forwards each receiver one of them — a thumbnail needs a quarter of the pixels and a
//! tenth of the bits of the large tile, and a student on a weak link can still get the small one.
//! Which encodings a camera of its size gets is `call_model::simulcast`.

use js_sys::Array;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcPeerConnection, RtcRtpEncodingParameters, RtcRtpSender,
    RtcRtpTransceiverDirection, RtcRtpTransceiverInit,
};

use crate::call_model::simulcast::layers;

/// Adds `track` of `stream` as a send-only transceiver with the encodings its size allows;
/// returns its sender (`replaceTrack` on it swaps the camera in every layer at once; the
/// encodings stay those planned for the first camera).
pub fn add_camera(
    pc: &RtcPeerConnection,
    track: &MediaStreamTrack,
    stream: &MediaStream,
) -> RtcRtpSender {
    let settings = track.get_settings();
    // 0 (or a browser that does not say) is taken for the default capture by `layers`.
    let (width, height) = (
        settings.get_width().unwrap_or(0).max(0) as u32,
        settings.get_height().unwrap_or(0).max(0) as u32,
    );
    let init = RtcRtpTransceiverInit::new();
    init.set_direction(RtcRtpTransceiverDirection::Sendonly);
    init.set_streams(&Array::of1(stream));
    let encodings = Array::new();
    for layer in layers(width, height) {
        let encoding = RtcRtpEncodingParameters::new();
        encoding.set_rid(layer.rid);
        encoding.set_scale_resolution_down_by(layer.scale);
        encoding.set_max_bitrate(layer.max_bitrate);
        encodings.push(&encoding);
    }
    init.set_send_encodings(&encodings);
    pc.add_transceiver_with_media_stream_track_and_init(track, &init)
        .sender()
}
