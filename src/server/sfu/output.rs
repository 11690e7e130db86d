//! What a session's `Rtc` asks of the rest of the worker, read from `poll_output` until its next
//! timeout: datagrams go straight to the socket, the rest becomes [`Effect`]s.

use std::net::SocketAddr;
use std::time::Instant;

use str0m::bwe::BweKind;
use str0m::format::Codec;
use str0m::media::{MediaData, MediaKind, Mid, Rid};
use str0m::{Event, IceConnectionState, Input, Output};

use super::session::Session;

/// Something one session's output means for the room.
// Frames are by far the most common effect: boxing them would allocate once per packet.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Effect {
    /// The member now sends on m-line `mid` (a track to forward to the others).
    Published(Mid, MediaKind),
    /// The member no longer sends on `mid` (e.g. a screen share stopped).
    Unpublished(Mid),
    /// A frame to forward.
    Media(MediaData),
    /// Incoming video on `mid` (layer `rid`) had a gap: ask this member for a keyframe.
    Gap(Mid, Option<Rid>),
    /// The member's decoder wants a keyframe of what we send it on `mid`.
    KeyframeWanted(Mid),
    /// The bandwidth towards this member, estimated from its transport-wide congestion control
    /// feedback, in bit/s.
    Estimate(u64),
    /// The member's receiver report says this share of what we sent it on one stream was lost.
    Loss(f32),
    /// The `Rtc` is closed (ICE gone, DTLS closed, an internal error): remove the session.
    Dead,
}

/// How many due timeouts one `poll` handles itself before leaving the rest to the worker's
/// timer, so that a session whose clock keeps asking cannot hold the worker.
///
/// str0m's pacer sends one packet per timeout and asks for the next one a microsecond later; the
/// worker's timer only fires on whole milliseconds. Waiting for it capped every session at ~400
/// packets a second, so a probe burst made of small packets (a still camera picture's frames are
/// ~60 bytes) measured ~200 kbit/s and str0m took that as the link's capacity. A timeout that is
/// already due when str0m names it is handled at once, on the real clock (never a time ahead of
/// it: the session's later inputs would then be older than its clock). Sixteen, not more: one
/// handle_timeout of a class member (~60 m-lines) costs tens of microseconds, and with 64 a
/// round over 31 such sessions kept the socket unread long enough to take the `class-view`
/// benchmark's delay p99 from ~10 ms to 40–650 ms; with 16 it was 6–51 ms.
const MAX_IMMEDIATE: u32 = 16;

impl Session {
    /// Drain `poll_output` until str0m asks for a timeout in the future (stored in `next`).
    /// Timeouts already due are handled here, up to [`MAX_IMMEDIATE`] of them.
    pub fn poll(&mut self, effects: &mut Vec<Effect>, transmit: &mut dyn FnMut(SocketAddr, &[u8])) {
        let mut immediate = 0;
        loop {
            if !self.rtc.is_alive() {
                effects.push(Effect::Dead);
                return;
            }
            let output = match self.rtc.poll_output() {
                Ok(output) => output,
                Err(e) => {
                    tracing::debug!(peer = self.peer, error = %e, "sfu session failed");
                    self.rtc.disconnect();
                    continue;
                }
            };
            match output {
                Output::Timeout(at) => {
                    self.next = at;
                    let now = Instant::now();
                    if immediate == MAX_IMMEDIATE || at > now {
                        return;
                    }
                    immediate += 1;
                    let _ = self.rtc.handle_input(Input::Timeout(now));
                }
                Output::Transmit(t) => transmit(t.destination, &t.contents),
                Output::Event(event) => self.event(event, effects),
            }
        }
    }

    fn event(&mut self, event: Event, effects: &mut Vec<Effect>) {
        match event {
            // An ICE-lite agent sees Disconnected when the browser's consent checks stop: the
            // browser is gone or has a new connection (which comes as a new offer).
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                self.rtc.disconnect()
            }
            Event::MediaAdded(added) if added.direction.is_receiving() => {
                effects.push(Effect::Published(added.mid, added.kind));
            }
            Event::MediaChanged(changed) => match self.rtc.media(changed.mid) {
                Some(m) if changed.direction.is_receiving() => {
                    effects.push(Effect::Published(changed.mid, m.kind()))
                }
                _ => effects.push(Effect::Unpublished(changed.mid)),
            },
            Event::MediaData(data) => {
                // str0m resolves a payload type over the whole session, not per m-line: Opus on
                // a video m-line reaches us as Opus. Forwarding and speaking rights go by the
                // m-line's kind, so a frame of the other kind is dropped here, or a member not
                // allowed to speak could shout on its camera's m-line into the loudest voices.
                let Some(kind) = self.rtc.media(data.mid).map(|m| m.kind()) else {
                    return;
                };
                if !fits(data.params.spec().codec, kind) {
                    tracing::trace!(peer = self.peer, mid = %data.mid, "sfu frame of the wrong kind");
                    return;
                }
                if kind == MediaKind::Video && !data.contiguous {
                    effects.push(Effect::Gap(data.mid, data.rid));
                }
                effects.push(Effect::Media(data));
            }
            Event::KeyframeRequest(req) => effects.push(Effect::KeyframeWanted(req.mid)),
            // REMB is not used: browsers send TWCC feedback, and a REMB estimate is per m-line.
            Event::EgressBitrateEstimate(BweKind::Twcc { estimate, .. }) => {
                effects.push(Effect::Estimate(estimate.as_u64()))
            }
            Event::MediaEgressStats(stats) => {
                if let Some(loss) = stats.loss {
                    effects.push(Effect::Loss(loss));
                }
            }
            _ => {}
        }
    }
}

/// Whether a frame of `codec` belongs on an m-line of `kind`. Not `codec.kind() == kind`: that
/// calls every payload format that is not an audio codec video (RED, which wraps audio, too), and
/// only a codec of the other kind is a frame in the wrong place.
fn fits(codec: Codec, kind: MediaKind) -> bool {
    match kind.is_audio() {
        true => !codec.is_video(),
        false => !codec.is_audio() && !codec.is_tele(),
    }
}
