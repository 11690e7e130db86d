//! The publishing half of a synthetic browser: which frames are due, and writing them on the
//! microphone's m-line and on the camera's, one frame per simulcast layer.

use std::time::{Duration, Instant};

use str0m::format::Codec;
use str0m::media::{MediaTime, Mid, Rid};

use super::Client;
use crate::media;

impl Client {
    /// Writes the frames that are due on each sending m-line; each ends with a [`media::tag`]
    /// (send time on one clock for the whole process, for the receivers' delay).
    pub(super) fn write_media(&mut self, now: Instant) {
        if self.sending.is_empty() || !self.rtc.is_connected() {
            return;
        }
        let (audio_at, video_at) = self.due.get_or_insert((now, now));
        // Behind by more than a frame (a starved generator): skip, do not burst.
        let audio = *audio_at <= now;
        let video = *video_at <= now;
        if audio {
            *audio_at = (*audio_at + media::AUDIO_EVERY).max(now);
        }
        if video {
            *video_at = (*video_at + media::VIDEO_EVERY).max(now);
        }
        let sent = self.micros(now);
        let elapsed = now - self.joined;
        for (mid, codec) in self.sending.clone() {
            match codec {
                Codec::Opus if audio => {
                    let frame = [media::audio(), self.tag(b'-', sent)].concat();
                    self.write(mid, codec, None, now, elapsed, frame);
                }
                Codec::Vp8 if video && self.layers.is_empty() => {
                    let frame = media::video(media::VIDEO_FRAME, self.keyframe_owed);
                    let frame = [frame, self.tag(b'-', sent)].concat();
                    self.write(mid, codec, None, now, elapsed, frame);
                }
                Codec::Vp8 if video => {
                    for (rid, size) in self.layers.clone() {
                        let key = self.owed_layers.remove(&rid) || self.keyframe_owed;
                        let letter = rid.as_bytes().first().copied().unwrap_or(b'?');
                        let frame = [media::video(size, key), self.tag(letter, sent)].concat();
                        self.write(mid, codec, Some(rid), now, elapsed, frame);
                    }
                }
                _ => continue,
            }
            self.keyframe_owed &= codec != Codec::Vp8;
        }
    }

    fn tag(&self, layer: u8, sent: u64) -> Vec<u8> {
        media::tag(self.peer, layer, sent).to_vec()
    }

    /// Writes the tagged `frame` on `mid` (layer `rid`), if the m-line takes `codec`.
    fn write(
        &mut self,
        mid: Mid,
        codec: Codec,
        rid: Option<Rid>,
        now: Instant,
        elapsed: Duration,
        frame: Vec<u8>,
    ) {
        let time: MediaTime = media::time(codec, elapsed);
        let Some(writer) = self.rtc.writer(mid) else {
            return;
        };
        let Some(pt) = writer
            .payload_params()
            .find(|p| p.spec().codec == codec)
            .map(|p| p.pt())
        else {
            return;
        };
        let writer = match rid {
            Some(rid) => writer.rid(rid),
            None => writer,
        };
        let writer = match (codec, media::audio_level(self.peer)) {
            (Codec::Opus, Some(level)) => writer.audio_level(level, level > -50),
            _ => writer,
        };
        let _ = writer.write(pt, now, time, frame);
    }
}
