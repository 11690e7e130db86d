//! The publishing half of a synthetic browser: the m-lines it offers, which frames are due, and
//! writing them on the microphone's m-line, the camera's and a shared screen's, one frame per layer.

use std::time::{Duration, Instant};

use classroom::protocol::PeerId;
use str0m::change::SdpApi;
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, MediaTime, Mid, Rid, Simulcast, SimulcastLayer};

use super::Client;
use crate::media;

/// One m-line a client sends on.
#[derive(Clone)]
pub(super) struct Sending {
    pub mid: Mid,
    pub codec: Codec,
    /// Simulcast layers (rid, frame size), lowest first; empty: one plain stream.
    pub layers: Vec<(Rid, usize)>,
    /// A screen share: its frames are tagged with upper-case layer letters (`L`, `H`), so a
    /// receiver tells them from the same publisher's camera.
    pub screen: bool,
}

fn rids(layers: &[(&str, usize)]) -> Vec<(Rid, usize)> {
    layers
        .iter()
        .map(|&(rid, size)| (Rid::from(rid), size))
        .collect()
}

fn simulcast(layers: &[(&str, usize)]) -> Option<Simulcast> {
    (!layers.is_empty()).then(|| {
        let mut simulcast = Simulcast::new();
        for (rid, _) in layers {
            simulcast.add_send_layer(SimulcastLayer::new(rid));
        }
        simulcast
    })
}

/// Adds the m-lines of a browser's first offer to `change`: microphone and camera (`publish`; the
/// camera as the simulcast `layers`) or receive-only audio and video, and a shared screen in a
/// stream of its own if `screen` has layers. Returns what the client sends on them.
pub(super) fn offer_media(
    change: &mut SdpApi,
    peer: PeerId,
    publish: bool,
    layers: &[(&str, usize)],
    screen: &[(&str, usize)],
) -> Vec<Sending> {
    let dir = match publish {
        true => Direction::SendRecv,
        false => Direction::RecvOnly,
    };
    let stream = Some(format!("cam-{peer}"));
    let audio = change.add_media(MediaKind::Audio, dir, stream.clone(), None, None);
    let camera_layers = if publish { layers } else { &[] };
    let camera = simulcast(camera_layers);
    let video = change.add_media(MediaKind::Video, dir, stream, None, camera);
    if !publish {
        return Vec::new();
    }
    let mut sending = vec![
        Sending {
            mid: audio,
            codec: Codec::Opus,
            layers: Vec::new(),
            screen: false,
        },
        Sending {
            mid: video,
            codec: Codec::Vp8,
            layers: rids(layers),
            screen: false,
        },
    ];
    if !screen.is_empty() {
        let stream = Some(format!("scr-{peer}"));
        let dir = Direction::SendOnly;
        let mid = change.add_media(MediaKind::Video, dir, stream, None, simulcast(screen));
        sending.push(Sending {
            mid,
            codec: Codec::Vp8,
            layers: rids(screen),
            screen: true,
        });
    }
    sending
}

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
        for sending in self.sending.clone() {
            let (mid, codec) = (sending.mid, sending.codec);
            match codec {
                Codec::Opus if audio => {
                    let frame = [media::audio(), self.tag(b'-', sent)].concat();
                    self.write(mid, codec, None, now, elapsed, frame);
                }
                Codec::Vp8 if video && sending.layers.is_empty() => {
                    let frame = media::video(media::VIDEO_FRAME, self.keyframe_owed);
                    let frame = [frame, self.tag(b'-', sent)].concat();
                    self.write(mid, codec, None, now, elapsed, frame);
                }
                Codec::Vp8 if video => {
                    for (rid, size) in sending.layers {
                        let key = self.owed_layers.remove(&(mid, rid)) || self.keyframe_owed;
                        let letter = rid.as_bytes().first().copied().unwrap_or(b'?');
                        let letter = match sending.screen {
                            true => letter.to_ascii_uppercase(),
                            false => letter,
                        };
                        let frame = [media::video(size, key), self.tag(letter, sent)].concat();
                        self.write(mid, codec, Some(rid), now, elapsed, frame);
                    }
                }
                _ => continue,
            }
        }
        // Every video m-line has had its first (key)frames.
        if video {
            self.keyframe_owed = false;
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
