//! What a synthetic publisher sends: frames shaped like a camera's and a microphone's, each
//! ending with 8 bytes of send time that the client appends.

use std::time::Duration;

use str0m::format::Codec;
use str0m::media::{Frequency, MediaTime};

/// A VP8 keyframe header (frame tag + start code + 320×240), then filler.
const VP8_KEY: [u8; 10] = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
/// A VP8 interframe tag, then filler.
const VP8_DELTA: [u8; 3] = [0x11, 0x02, 0x00];
/// 500 kbit/s at 30 frames/s; str0m cuts each frame into RTP packets of ≤ ~1,100 bytes.
const VIDEO_FRAME: usize = 500_000 / 8 / 30;
pub const VIDEO_EVERY: Duration = Duration::from_micros(33_333);
/// An Opus frame of 20 ms at ~32 kbit/s.
const AUDIO_FRAME: usize = 80;
pub const AUDIO_EVERY: Duration = Duration::from_millis(20);
/// Room left at the end of every frame for the send time.
pub const STAMP: usize = 8;

/// The next frame of `codec` (Opus or VP8), `elapsed` after the stream began, without its stamp.
pub fn frame(codec: Codec, elapsed: Duration, keyframe: bool) -> (MediaTime, Vec<u8>) {
    let micros = elapsed.as_micros() as u64;
    if codec == Codec::Opus {
        let time = MediaTime::new(micros * 48 / 1000, Frequency::FORTY_EIGHT_KHZ);
        return (time, vec![0xfc; AUDIO_FRAME - STAMP]);
    }
    let head: &[u8] = if keyframe { &VP8_KEY } else { &VP8_DELTA };
    let mut frame = head.to_vec();
    // Filler: the SFU neither parses nor checks it.
    frame.resize(VIDEO_FRAME - STAMP, 7);
    (
        MediaTime::new(micros * 90 / 1000, Frequency::NINETY_KHZ),
        frame,
    )
}
