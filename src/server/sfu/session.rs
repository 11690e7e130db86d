//! One member's media session: its `Rtc` (ICE-lite, one host candidate) and the SDP exchange with
//! its browser over the signaling socket, the media peer being the polite side.

use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use str0m::bwe::Bitrate;
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::media::{Direction, Mid};
use str0m::{Candidate, Rtc, RtcError};

use super::candidates::RemoteCandidates;
use super::demux::SessionId;
use super::sdp;
use super::table::{Plan, TrackId};
use crate::protocol::{PeerId, SdpType, ServerMsg, Signal, MEDIA_PEER};
use crate::server::hub::Tx;

/// Where the bandwidth estimate towards a member starts, bit/s: a `high` layer and a few
/// thumbnails. It is probed upwards as far as the member's view asks (`Session::want`).
pub const INITIAL_ESTIMATE: u64 = 1_500_000;

/// What became of a planned renegotiation.
#[derive(Debug, PartialEq)]
pub enum Offered {
    /// An offer went out; the added sources got these mids.
    Sent(Vec<(TrackId, Mid)>),
    /// Nothing needed the remote side (e.g. stopping an m-line that was never answered).
    Applied,
    /// Not now: an offer is pending, or the client must first re-offer (see `stale`).
    NotNow,
    /// Made but not delivered (the member's queue was full; see `stale`): the directions it
    /// set hold in the session anyway, its additions are lost.
    Lost,
}

/// A member's media session.
pub struct Session {
    pub id: SessionId,
    pub room: Rc<str>,
    pub peer: PeerId,
    pub rtc: Rtc,
    /// The browser connection's DTLS fingerprint; another one means a new connection.
    pub fingerprint: String,
    /// Our ICE ufrag in this session: STUN for it is routed here.
    pub ufrag: String,
    /// When str0m wants its next timeout.
    pub next: Instant,
    reply: Tx,
    pending: Option<SdpPendingOffer>,
    /// A reply did not fit the member's queue (or it closed): we offer nothing more until the
    /// client's next signal, which comes with a fresh offer after its resume.
    stale: bool,
    /// The publisher's camera and microphone streams ([`sdp::camera_streams`] of its first offer
    /// that had any).
    camera: Vec<String>,
    /// The remote candidates it has taken (bounded: see `candidates.rs`).
    candidates: RemoteCandidates,
}

impl Session {
    /// A session for `peer`'s first offer (or an offer from a new browser connection): the
    /// answer has been sent when this returns `Ok`.
    pub fn accept(
        id: SessionId,
        room: Rc<str>,
        peer: PeerId,
        offer: &str,
        reply: Tx,
        host: SocketAddr,
        now: Instant,
    ) -> Result<Session, RtcError> {
        let fingerprint =
            sdp::fingerprint(offer).ok_or(RtcError::RemoteSdp("no fingerprint".into()))?;
        let mut rtc = Rtc::builder()
            .set_ice_lite(true)
            .enable_bwe(Some(Bitrate::bps(INITIAL_ESTIMATE)))
            // Receiver-report loss, the second opinion on bandwidth (see `select.rs`).
            .set_stats_interval(Some(Duration::from_secs(1)))
            .build(now);
        let candidate = Candidate::host(host, "udp").map_err(RtcError::Ice)?;
        rtc.add_local_candidate(candidate);
        let mut session = Session {
            id,
            room,
            peer,
            rtc,
            fingerprint,
            ufrag: String::new(),
            next: now,
            reply,
            pending: None,
            stale: false,
            camera: Vec::new(),
            candidates: RemoteCandidates::default(),
        };
        session.answer(offer)?;
        Ok(session)
    }

    /// Answer a client offer on this session. Returns whether an offer of ours was pending and is
    /// now rolled back (its changes must be planned again): we are the polite side.
    /// The member's queue, for what the media peer tells it.
    pub fn reply(&self) -> &Tx {
        &self.reply
    }

    pub fn answer_offer(&mut self, offer: &str, reply: Tx) -> (bool, Result<(), RtcError>) {
        self.reply = reply;
        self.stale = false;
        // Our offer is dropped even if the client's cannot be answered: what it carried must be
        // planned again either way.
        let rolled_back = self.pending.take().is_some();
        (rolled_back, self.answer(offer).map(drop))
    }

    fn answer(&mut self, offer: &str) -> Result<String, RtcError> {
        let parsed =
            SdpOffer::from_sdp_string(&self.candidates.bound(offer)).map_err(RtcError::Sdp)?;
        if self.camera.is_empty() {
            self.camera = sdp::camera_streams(offer);
        }
        let answer = self.rtc.sdp_api().accept_offer(parsed)?.to_sdp_string();
        // An ICE restart gives us a new ufrag too: the demux must learn it (see commands.rs).
        self.ufrag = sdp::ice_ufrag(&answer).unwrap_or_default().to_owned();
        let data = Signal::Description {
            sdp_type: SdpType::Answer,
            sdp: answer.clone(),
        };
        self.send(data);
        Ok(answer)
    }

    /// The client answered. Returns whether it answered our pending offer (stray answers, e.g. to
    /// an offer we rolled back, are ignored).
    pub fn accept_answer(&mut self, answer: &str) -> Result<bool, RtcError> {
        let Some(pending) = self.pending.take() else {
            return Ok(false);
        };
        let parsed =
            SdpAnswer::from_sdp_string(&self.candidates.bound(answer)).map_err(RtcError::Sdp)?;
        self.rtc.sdp_api().accept_answer(pending, parsed)?;
        Ok(true)
    }

    /// A trickled client candidate; malformed ones are ignored (ICE-lite learns addresses from
    /// STUN anyway, so a candidate is a hint, never required).
    pub fn add_candidate(&mut self, candidate: &str) {
        if candidate.is_empty() || !self.candidates.admit(candidate) {
            return;
        }
        if let Ok(c) = Candidate::from_sdp_string(candidate) {
            self.rtc.add_remote_candidate(c);
        }
    }

    /// Offer what `plan` says, unless an exchange is under way.
    pub fn offer(&mut self, plan: &Plan) -> Offered {
        if self.pending.is_some() || self.stale {
            return Offered::NotNow;
        }
        self.declare_woken(&plan.wake);
        let rewake: Vec<Mid> = (plan.wake.iter())
            .map(|(mid, _)| *mid)
            .filter(|mid| {
                self.rtc
                    .media(*mid)
                    .is_some_and(|m| m.direction().is_sending())
            })
            .collect();
        let mut change = self.rtc.sdp_api();
        let mut added = Vec::with_capacity(plan.add.len());
        for add in &plan.add {
            let (stream, track) = (Some(add.stream.clone()), Some(add.track.clone()));
            added.push((
                add.source,
                change.add_media(add.kind, Direction::SendOnly, stream, track, None),
            ));
        }
        for mid in &plan.stop {
            change.stop_media(*mid);
        }
        for mid in &plan.park {
            change.set_direction(*mid, Direction::Inactive);
        }
        for (mid, _) in &plan.wake {
            // Already `sendonly` here if an offer that woke it was rolled back or lost (str0m
            // sets a direction when it makes the offer): only a change makes str0m offer again.
            if rewake.contains(mid) {
                change.set_direction(*mid, Direction::Inactive);
            }
            change.set_direction(*mid, Direction::SendOnly);
        }
        let applied = change.apply();
        // str0m stops sending on them now, whatever the answer (it never re-creates a send stream
        // for an m-line that is not sending), but it keeps their send streams.
        self.drop_send_streams(&plan.stop);
        self.drop_send_streams(&plan.park);
        let Some((offer, pending)) = applied else {
            return Offered::Applied;
        };
        if !self.send(Signal::Description {
            sdp_type: SdpType::Offer,
            sdp: offer.to_sdp_string(),
        }) {
            return Offered::Lost;
        }
        self.pending = Some(pending);
        Offered::Sent(added)
    }

    /// Tell the bandwidth estimator what we forward now (`sending`, kept up with padding) and
    /// what the view would take (`desired`, probed for), both bit/s. Never less than the start
    /// estimate is probed for: str0m takes a probe's result as the estimate, so probing for the
    /// little a room forwards before its cameras start (voices, ~50 kbit/s) brought the estimate
    /// down to that, and the cameras that came next found no room.
    pub fn want(&mut self, sending: u64, desired: u64) {
        let desired = desired.max(sending).max(INITIAL_ESTIMATE);
        self.rtc
            .bwe()
            .set_bitrate(Bitrate::bps(sending), Bitrate::bps(desired));
    }

    /// The msid stream label of `peer`'s m-line `mid` as others receive it.
    pub fn label(&self, mid: Mid) -> String {
        let stream = self
            .rtc
            .media(mid)
            .map(|m| m.stream_id().to_owned())
            .unwrap_or_default();
        sdp::stream_label(self.peer, &stream, &self.camera)
    }

    /// Send `data` from the media peer; on a full or closed queue remember that this member needs
    /// a fresh exchange.
    fn send(&mut self, data: Signal) -> bool {
        let sent = self
            .reply
            .try_send(ServerMsg::Signal {
                from: MEDIA_PEER,
                data,
            })
            .is_ok();
        if !sent {
            tracing::debug!(room = %self.room, peer = self.peer, "sfu reply not delivered; waiting for a re-offer");
            self.stale = true;
        }
        sent
    }
}

mod streams;
#[cfg(test)]
mod tests;
