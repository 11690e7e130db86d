//! The camera to the media peer as simulcast encodings (docs/protocol.md "Simulcast"): the media
//! peer forwards each receiver one of them — a thumbnail needs a quarter of the pixels and a
//! tenth of the bits of the large tile, and a student on a weak link can still get the small one.
//! Which encodings a camera or a screen of its size gets is `call_model::simulcast`.

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcPeerConnection, RtcRtpEncodingParameters, RtcRtpSender,
    RtcRtpTransceiverDirection, RtcRtpTransceiverInit,
};

use crate::call_model::simulcast::{layers, refit, screen_layers, Layer};

/// The camera's size; 0 (or a browser that does not say) is taken for the default capture by
/// `layers` and `refit`.
fn size(track: &MediaStreamTrack) -> (u32, u32) {
    let settings = track.get_settings();
    (
        settings.get_width().unwrap_or(0).max(0) as u32,
        settings.get_height().unwrap_or(0).max(0) as u32,
    )
}

/// Adds `track` of `stream` as a send-only transceiver with the encodings its size allows;
/// returns its sender. Another camera later goes through [`refit_camera`] first.
pub fn add_camera(
    pc: &RtcPeerConnection,
    track: &MediaStreamTrack,
    stream: &MediaStream,
) -> RtcRtpSender {
    let (width, height) = size(track);
    add_layered(pc, track, stream, layers(width, height))
}

/// Adds a shared screen's `track` of `stream` like [`add_camera`], as a screen's layers.
pub fn add_screen(
    pc: &RtcPeerConnection,
    track: &MediaStreamTrack,
    stream: &MediaStream,
) -> RtcRtpSender {
    let (width, height) = size(track);
    add_layered(pc, track, stream, screen_layers(width, height))
}

fn add_layered(
    pc: &RtcPeerConnection,
    track: &MediaStreamTrack,
    stream: &MediaStream,
    layers: &[Layer],
) -> RtcRtpSender {
    let init = RtcRtpTransceiverInit::new();
    init.set_direction(RtcRtpTransceiverDirection::Sendonly);
    init.set_streams(&Array::of1(stream));
    let encodings = Array::new();
    for layer in layers {
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

/// Re-plans the encodings of `sender` (planned by [`add_camera`] for an earlier camera) for
/// `track`, which is about to replace that camera: their number cannot change without
/// renegotiating, so the first ones the browser will send get the scales and caps of
/// `call_model::simulcast::refit`. A browser that refuses only keeps the old plan.
pub async fn refit_camera(sender: &RtcRtpSender, track: &MediaStreamTrack) {
    let (width, height) = size(track);
    let parameters = sender.get_parameters();
    let Some(encodings) = parameters.get_encodings() else {
        return;
    };
    for (i, layer) in refit(encodings.length() as usize, width, height)
        .iter()
        .enumerate()
    {
        let encoding: RtcRtpEncodingParameters = encodings.get(i as u32).unchecked_into();
        encoding.set_scale_resolution_down_by(layer.scale);
        encoding.set_max_bitrate(layer.max_bitrate);
    }
    parameters.set_encodings(&encodings);
    if let Err(e) = JsFuture::from(sender.set_parameters_with_parameters(&parameters)).await {
        web_sys::console::warn_2(&"[call] camera layers not re-planned".into(), &e);
    }
}
