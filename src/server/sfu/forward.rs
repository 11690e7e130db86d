//! Applying what sessions produced: forwarding frames, keyframe requests, publications and
//! departures. The renegotiations they cause are `negotiate.rs`'s.

use std::mem;
use std::rc::Rc;
use std::time::Instant;

use str0m::media::{KeyframeRequestKind, MediaData};

use super::demux::SessionId;
use super::guard;
use super::keyframe::Encoder;
use super::layers;
use super::meter::PACKET_OVERHEAD;
use super::output::Effect;
use super::table::TrackId;
use super::worker::Worker;
use crate::protocol::PeerId;

impl Worker {
    /// Poll every session that got input until none has anything left to say. Forwarding makes
    /// subscribers dirty, so this runs until the dirty list is empty.
    pub fn settle(&mut self, now: Instant) {
        while let Some(id) = self.dirty.pop() {
            self.dirty_set.remove(&id);
            let Some(session) = self.sessions.get_mut(&id) else {
                continue;
            };
            let (socket, effects) = (&self.socket, &mut self.effects);
            let mut transmit = |to, data: &[u8]| {
                // UDP: a full send buffer drops the datagram, as the network would.
                let _ = socket.try_send_to(data, to);
            };
            if guard(session.peer, || session.poll(effects, &mut transmit)).is_err() {
                self.effects.clear();
                self.remove_session(id);
                continue;
            }
            let (room, peer) = (session.room.clone(), session.peer);
            for effect in mem::take(&mut self.effects) {
                self.apply(id, &room, peer, effect, now);
            }
        }
    }

    fn apply(&mut self, id: SessionId, room: &Rc<str>, peer: PeerId, effect: Effect, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        match effect {
            Effect::Media(data) => {
                // A layer is one of the three a browser sends (or none): any other rid, which a
                // modified client may invent per packet, would grow the meter and make the whole
                // room choose layers again on each of them.
                if layers::rank(data.rid).is_none() {
                    return;
                }
                let track = TrackId {
                    peer,
                    mid: data.mid,
                };
                let meter = r.meters.entry(track).or_default();
                let packets = (**data.seq_range.end()).saturating_sub(**data.seq_range.start()) + 1;
                let bytes = data.data.len() + packets as usize * PACKET_OVERHEAD;
                if meter.record(data.rid, bytes, now) && r.table.is_layered(track) {
                    // A layer came (back): it may be what some subscriber waits for.
                    self.reselect_room(room, now);
                }
                self.forward(room, track, &data, now)
            }
            Effect::Published(mid, kind) => {
                let label = self
                    .sessions
                    .get(&id)
                    .map(|s| s.label(mid))
                    .unwrap_or_default();
                let told = r.table.publish(TrackId { peer, mid }, kind, label);
                self.renegotiate_peers(room, &told);
            }
            Effect::Unpublished(mid) => {
                let told = r.table.unpublish(TrackId { peer, mid });
                self.renegotiate_peers(room, &told);
            }
            Effect::Gap(mid, rid) => self.keyframe(room, (TrackId { peer, mid }, rid), now),
            Effect::KeyframeWanted(mid) => {
                let Some(source) = r.table.source_of(peer, mid) else {
                    return;
                };
                // A video's keyframe comes from the layer this subscriber gets; none if paused.
                let layer = match r.table.is_layered(source) {
                    true => r
                        .viewers
                        .get(&peer)
                        .and_then(|v| v.switches.get(&source))
                        .and_then(|s| s.receiving()),
                    false => Some(None),
                };
                if let Some(layer) = layer {
                    self.keyframe(room, (source, layer), now);
                }
            }
            Effect::Estimate(bps) => self.estimated(room, peer, bps, now),
            Effect::Loss(loss) => self.lost(room, peer, loss, now),
            Effect::Dead => self.remove_session(id),
        }
    }

    /// Write one frame to every subscriber of `source`: of a video, only to those whose layer
    /// it is (see `switch.rs`). A write that fails (the subscriber's queue is full, its codec
    /// differs) drops that frame for that subscriber only.
    fn forward(&mut self, room: &Rc<str>, source: TrackId, data: &MediaData, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        let layered = r.table.is_layered(source);
        // Only voices that may be heard compete for the loudest places (voices.rs): a silenced
        // student shouting must not push the teacher out. A voice is a track of an audio m-line
        // (the kind its speaking rights go by), never a frame that merely has an audio codec.
        let audio = r.table.is_heard_voice(source);
        if audio {
            let level = data.ext_vals.audio_level;
            let forwarded = r.voices.frame(source, level, now);
            tracing::trace!(peer = source.peer, ?level, forwarded, "sfu voice");
            if !forwarded {
                return;
            }
            let told = r.table.voiced(source);
            if !told.is_empty() {
                // Its first forwarded frame: nobody has an m-line for it yet.
                self.renegotiate_peers(room, &told);
                return;
            }
        }
        let keyframe = layered && data.is_keyframe();
        // A subscriber whose session panicked while written to: it and the publisher go.
        let mut broken = None;
        for &(sub, mid) in r.table.routes(source) {
            let time = match layered {
                true => {
                    let switch = r
                        .viewers
                        .get_mut(&sub)
                        .and_then(|v| v.switches.get_mut(&source));
                    match switch.and_then(|s| s.accept(data.rid, keyframe, data.time, now)) {
                        Some(time) => time,
                        None => continue,
                    }
                }
                false => data.time,
            };
            let Some(&sid) = r.sessions.get(&sub) else {
                continue;
            };
            let Some(session) = self.sessions.get_mut(&sid) else {
                continue;
            };
            // A write reaches str0m's packetizer with a publisher's bytes: under the last guard
            // like every other call into a session (what a panic ends: below).
            let wrote = guard(sub, || {
                let Some(writer) = session.rtc.writer(mid) else {
                    return false;
                };
                let Some(pt) = writer.match_params(data.params) else {
                    return false;
                };
                let _ = writer.write(pt, data.network_time, time, data.data.clone());
                true
            });
            match wrote {
                Ok(false) => {}
                Ok(true) => {
                    if self.dirty_set.insert(sid) {
                        self.dirty.push(sid);
                    }
                }
                Err(()) => {
                    broken = Some(sid);
                    break;
                }
            }
        }
        // The write's input is the publisher's frame: every other call into the subscriber is
        // guarded on its own, so the frame is the likely cause. Ending only the subscriber would
        // let the next such frame end the next subscriber, and the one after, the whole class.
        if let Some(sid) = broken {
            let publisher = r.sessions.get(&source.peer).copied();
            self.remove_session(sid);
            if let Some(publisher) = publisher {
                tracing::error!(
                    peer = source.peer,
                    "sfu publisher's frame panicked a write; dropped"
                );
                self.remove_session(publisher);
            }
        }
    }

    /// Someone needs a keyframe of `track` (one layer of it): ask its publisher, at most once a
    /// second per layer.
    pub fn keyframe(&mut self, room: &Rc<str>, track: Encoder, now: Instant) {
        let Some(r) = self.rooms.get_mut(room) else {
            return;
        };
        if r.throttle.request(track, now) {
            self.send_keyframe_request(room, track);
        }
    }

    /// Send a PLI (or FIR if the publisher did not negotiate PLI) for one layer upstream.
    pub fn send_keyframe_request(&mut self, room: &Rc<str>, (track, rid): Encoder) {
        let Some(&sid) = self
            .rooms
            .get(room)
            .and_then(|r| r.sessions.get(&track.peer))
        else {
            return;
        };
        self.with_session(sid, |s| {
            if let Some(mut writer) = s.rtc.writer(track.mid) {
                let kind = if writer.is_request_keyframe_possible(KeyframeRequestKind::Pli) {
                    KeyframeRequestKind::Pli
                } else {
                    KeyframeRequestKind::Fir
                };
                // Fails for a layer that stopped meanwhile: selection moves on by itself.
                let _ = writer.request_keyframe(rid, kind);
            }
        });
    }
}
