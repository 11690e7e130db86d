//! The media a synthetic client sends: Opus-sized audio and VP8 frames, on one stream or as
//! simulcast layers, each frame's last byte telling whose (or which layer) it is.

use std::time::{Duration, Instant};

use str0m::format::Codec;
use str0m::media::{Frequency, MediaKind, MediaTime, Mid, Rid};

use super::Client;

/// A VP8 keyframe header (frame tag + start code + 320×240), then filler.
const VP8_KEY: [u8; 10] = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
/// A VP8 interframe tag, then filler.
const VP8_DELTA: [u8; 3] = [0x11, 0x02, 0x00];

/// Payload bytes per frame of each simulcast layer: at 30 frames/s about 40, 150 and 600 kbit/s.
fn layer_size(rid: &str) -> usize {
    match rid {
        "l" => 150,
        "m" => 600,
        _ => 2400,
    }
}

impl Client {
    /// Opus-sized audio every 20 ms and a VP8 frame every 33 ms on each sending m-line; the last
    /// byte of every frame is this client's `marker`.
    pub(super) fn write_media(&mut self) {
        if !self.rtc.is_connected() {
            return;
        }
        let now = Instant::now();
        let due = |last: Option<Instant>, every: u64| {
            last.is_none_or(|t| now - t >= Duration::from_millis(every))
        };
        let (audio_due, video_due) = (due(self.last_audio, 20), due(self.last_video, 33));
        let video_due = video_due && !self.camera_held;
        let elapsed = (now - self.started).as_micros() as u64;
        let level = self.audio_level;
        let camera = self
            .sending
            .iter()
            .find(|(_, k)| *k == MediaKind::Video)
            .map(|s| s.0);
        for (mid, kind) in self.sending.clone() {
            if kind == MediaKind::Video && video_due {
                if Some(mid) == camera && !self.layers.is_empty() {
                    self.write_layers(mid, now, elapsed, false);
                    continue;
                }
                if Some(mid) != camera && !self.screen_layers.is_empty() {
                    self.write_layers(mid, now, elapsed, true);
                    continue;
                }
            }
            let Some(mut writer) = self.rtc.writer(mid) else {
                continue;
            };
            if let (MediaKind::Audio, Some(level)) = (kind, level) {
                writer = writer.audio_level(level, level > -50);
            }
            let (codec, time, mut frame) = match kind {
                MediaKind::Audio if audio_due => (
                    Codec::Opus,
                    MediaTime::new(elapsed * 48 / 1000, Frequency::FORTY_EIGHT_KHZ),
                    vec![0xfc; 60],
                ),
                MediaKind::Video if video_due => {
                    let head: &[u8] = if self.keyframe_owed {
                        &VP8_KEY
                    } else {
                        &VP8_DELTA
                    };
                    (
                        Codec::Vp8,
                        MediaTime::new(elapsed * 90 / 1000, Frequency::NINETY_KHZ),
                        [head, &[7; 200]].concat(),
                    )
                }
                _ => continue,
            };
            frame.push(self.marker);
            let Some(pt) = writer
                .payload_params()
                .find(|p| p.spec().codec == codec)
                .map(|p| p.pt())
            else {
                continue;
            };
            writer.write(pt, now, time, frame).unwrap();
        }
        if audio_due {
            self.last_audio = Some(now);
        }
        if video_due {
            self.last_video = Some(now);
            self.keyframe_owed = false;
        }
    }

    /// One frame on each simulcast layer, of the layer's size, ending with the rid's letter (in
    /// upper case for a `screen`).
    fn write_layers(&mut self, mid: Mid, now: Instant, elapsed: u64, screen: bool) {
        let time = MediaTime::new(elapsed * 90 / 1000, Frequency::NINETY_KHZ);
        let layers = if screen {
            self.screen_layers.clone()
        } else {
            self.layers.clone()
        };
        for rid in layers {
            let owed = self.owed_layers.remove(&(mid, Rid::from(rid)));
            let key = self.keyframe_owed || owed;
            let head: &[u8] = if key { &VP8_KEY } else { &VP8_DELTA };
            let size = if self.still { 20 } else { layer_size(rid) };
            let mut frame = [head, &vec![7; size]].concat();
            let letter = rid.as_bytes()[0];
            frame.push(if screen {
                letter.to_ascii_uppercase()
            } else {
                letter
            });
            // A screen share's m-line has no writer until its offer is answered.
            let Some(writer) = self.rtc.writer(mid) else {
                return;
            };
            let pt = writer
                .payload_params()
                .find(|p| p.spec().codec == Codec::Vp8)
                .map(|p| p.pt())
                .unwrap();
            writer
                .rid(Rid::from(rid))
                .write(pt, now, time, frame)
                .unwrap();
        }
    }
}
