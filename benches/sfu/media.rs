//! What a synthetic publisher sends: frames shaped like a camera's and a microphone's, each
//! ending with a [`TAG`] that the client appends: who sent it, which layer, and when.

use std::time::Duration;

use str0m::format::Codec;
use str0m::media::{Frequency, MediaTime};

use classroom::protocol::PeerId;

/// A VP8 keyframe header (frame tag + start code + 320×240), then filler.
const VP8_KEY: [u8; 10] = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
/// A VP8 interframe tag, then filler.
const VP8_DELTA: [u8; 3] = [0x11, 0x02, 0x00];
/// A camera without simulcast: 500 kbit/s at 30 frames/s; str0m cuts each frame into RTP
/// packets of ≤ ~1,100 bytes.
pub const VIDEO_FRAME: usize = bytes_per_frame(500_000);
/// 30 frames/s.
pub const VIDEO_EVERY: Duration = Duration::from_micros(33_333);
/// An Opus frame of 20 ms at ~32 kbit/s.
const AUDIO_FRAME: usize = 80;
/// 50 frames/s.
pub const AUDIO_EVERY: Duration = Duration::from_millis(20);
/// The end of every frame: the publisher's peer id (2 bytes, LE), its layer's letter (`l`, `m`,
/// `h`; `-` without simulcast) and the send time (8 bytes, LE µs since the bench's epoch). The
/// receiver reads who and which layer from it, since the SFU rewrites everything around it.
pub const TAG: usize = 11;

/// The simulcast layers a camera sends in `class-view`: rid and frame size. Their rates (150,
/// 500, 1,500 kbit/s) are about what Chromium sends for a 720p camera at ¼, ½ and full size.
pub const LAYERS: [(&str, usize); 3] = [
    ("l", bytes_per_frame(150_000)),
    ("m", bytes_per_frame(500_000)),
    ("h", bytes_per_frame(1_500_000)),
];

/// The layers of a shared screen in `slides`, as the browser sends them to the media peer
/// (`call_model/simulcast/screen.rs`): half size at 300 kbit/s, full size at 1.5 Mbit/s; sent
/// at 30 frames/s like the camera (a video played on the screen; still slides send fewer).
pub const SCREEN: [(&str, usize); 2] = [
    ("l", bytes_per_frame(300_000)),
    ("h", bytes_per_frame(1_500_000)),
];

const fn bytes_per_frame(bps: usize) -> usize {
    bps / 8 / 30
}

/// The tag that ends a frame (see [`TAG`]).
pub fn tag(peer: u64, layer: u8, sent_us: u64) -> [u8; TAG] {
    let mut tag = [0u8; TAG];
    tag[..2].copy_from_slice(&(peer as u16).to_le_bytes());
    tag[2] = layer;
    tag[3..].copy_from_slice(&sent_us.to_le_bytes());
    tag
}

/// (publisher, layer letter, send time µs) of a received frame, if it is long enough.
pub fn untag(frame: &[u8]) -> Option<(u16, u8, u64)> {
    let at = frame.len().checked_sub(TAG)?;
    let t = &frame[at..];
    let peer = u16::from_le_bytes([t[0], t[1]]);
    let sent = u64::from_le_bytes(t[3..].try_into().ok()?);
    Some((peer, t[2], sent))
}

/// The media time of a frame `elapsed` after the stream began.
pub fn time(codec: Codec, elapsed: Duration) -> MediaTime {
    let micros = elapsed.as_micros() as u64;
    match codec {
        Codec::Opus => MediaTime::new(micros * 48 / 1000, Frequency::FORTY_EIGHT_KHZ),
        _ => MediaTime::new(micros * 90 / 1000, Frequency::NINETY_KHZ),
    }
}

/// An Opus-sized audio frame, without its tag.
pub fn audio() -> Vec<u8> {
    vec![0xfc; AUDIO_FRAME - TAG]
}

/// A VP8-like video frame of `size` bytes in all, without its tag.
pub fn video(size: usize, keyframe: bool) -> Vec<u8> {
    let head: &[u8] = if keyframe { &VP8_KEY } else { &VP8_DELTA };
    let mut frame = head.to_vec();
    // Filler: the SFU neither parses nor checks it.
    frame.resize(size - TAG, 7);
    frame
}

/// The RFC 6464 level `peer`'s audio carries: the teacher (peer 1) talks at -20 dBov, students sit
/// at room noise between -60 and -89. `BENCH_LEVELS=0`: no level extension (every voice is then
/// forwarded, as for a client that sends none).
pub fn audio_level(peer: PeerId) -> Option<i8> {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var("BENCH_LEVELS").as_deref() != Ok("0")) {
        return None;
    }
    Some(if peer == 1 {
        -20
    } else {
        -60 - (peer % 30) as i8
    })
}
