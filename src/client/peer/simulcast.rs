//! The camera to the media peer as three simulcast encodings (docs/protocol.md "Simulcast"): the
//! media peer forwards each receiver one of them — a thumbnail needs a quarter of the pixels and a
//! tenth of the bits of the large tile, and a student on a weak link can still get the small one.

use js_sys::Array;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcPeerConnection, RtcRtpEncodingParameters, RtcRtpSender,
    RtcRtpTransceiverDirection, RtcRtpTransceiverInit,
};

/// The layers, smallest first: `rid`, how much smaller than the camera, most bits per second.
/// The bitrates are what a 320×180, 640×360 and 1280×720 picture of a person needs to look sharp.
pub const LAYERS: [(&str, f32, u32); 3] = [
    ("l", 4.0, 150_000),
    ("m", 2.0, 500_000),
    ("h", 1.0, 1_500_000),
];

/// Adds `track` of `stream` as a send-only transceiver with the three encodings; returns its
/// sender (`replaceTrack` on it swaps the camera in every layer at once). Browsers leave out
/// layers a small camera cannot fill; the media peer forwards what comes.
pub fn add_camera(
    pc: &RtcPeerConnection,
    track: &MediaStreamTrack,
    stream: &MediaStream,
) -> RtcRtpSender {
    let encodings = Array::new();
    for (rid, scale, max_bitrate) in LAYERS {
        let encoding = RtcRtpEncodingParameters::new();
        encoding.set_rid(rid);
        encoding.set_scale_resolution_down_by(scale);
        encoding.set_max_bitrate(max_bitrate);
        encodings.push(&encoding);
    }
    let init = RtcRtpTransceiverInit::new();
    init.set_direction(RtcRtpTransceiverDirection::Sendonly);
    init.set_streams(&Array::of1(stream));
    init.set_send_encodings(&encodings);
    pc.add_transceiver_with_media_stream_track_and_init(track, &init)
        .sender()
}
