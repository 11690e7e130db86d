//! One `RTCPeerConnection`: to one other participant (mesh), or to the server's media peer.
//!
//! Joining avoids offer collisions altogether: only the newcomer offers, with a transceiver for each
//! kind of media, and the existing member attaches its own tracks when it answers. Any later
//! renegotiation (a camera added, an ICE restart) may start on either side and follows the
//! *perfect negotiation* pattern: on a collision the polite side (the larger peer id) rolls back
//! and answers, the impolite side ignores the other's offer. (Colliding offers on every join made
//! Chromium leave some links without ICE candidates.)
//!
//! The link to the media peer ([`MEDIA_PEER`], in an SFU room) differs: we always offer first and
//! never roll back for it (it is polite), we offer only the tracks we have (its own offers add what
//! we receive), what it forwards is told apart by stream id, and it must connect in time.

use futures::channel::mpsc::UnboundedSender;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcIceCandidateInit, RtcPeerConnection,
    RtcPeerConnectionIceEvent, RtcRtpSender, RtcSdpType, RtcSessionDescriptionInit,
    RtcSignalingState, RtcTrackEvent,
};

use super::events::{Event, PeerEvent};
use super::rtc::{configuration, is_screen, sdp_of};
use crate::protocol::{IceServer, PeerId, SdpType, Signal, MEDIA_PEER};

mod ice;
mod levels;
mod senders;
mod simulcast;

/// A connection to one remote participant. Dropping it closes the connection.
pub struct PeerLink {
    pc: RtcPeerConnection,
    /// This link goes to the media peer rather than to a participant.
    to_media_peer: bool,
    polite: bool,
    making_offer: bool,
    health: ice::Health,
    /// Each sender with the kind of media it was made for ("audio"/"video").
    senders: Vec<(String, RtcRtpSender)>,
    /// Our camera and microphone; attached on the first offer we make or answer.
    local: MediaStream,
    attached: bool,
    /// The screen share to send (its own stream and track), and the sender once added.
    screen: Option<(MediaStream, MediaStreamTrack)>,
    screen_sender: Option<RtcRtpSender>,
    _on_negotiation: Closure<dyn FnMut()>,
    _on_ice: Closure<dyn FnMut(RtcPeerConnectionIceEvent)>,
    _on_track: Closure<dyn FnMut(RtcTrackEvent)>,
    _on_state: Closure<dyn FnMut()>,
}

impl PeerLink {
    /// Connects to `remote`, sending the tracks of `local`. The newcomer `initiates` (offers at
    /// once); the other side waits for that offer. Events go to `events`.
    pub fn new(
        me: PeerId,
        remote: PeerId,
        ice_servers: &[IceServer],
        local: &MediaStream,
        initiate: bool,
        events: &UnboundedSender<Event>,
    ) -> Result<Self, JsValue> {
        let pc = RtcPeerConnection::new_with_configuration(&configuration(ice_servers))?;
        let send = move |tx: &UnboundedSender<Event>, e: PeerEvent| {
            let _ = tx.unbounded_send(Event::Peer(remote, e));
        };

        let tx = events.clone();
        let on_negotiation =
            Closure::<dyn FnMut()>::new(move || send(&tx, PeerEvent::NegotiationNeeded));
        let tx = events.clone();
        let on_ice = Closure::<dyn FnMut(_)>::new(move |e: RtcPeerConnectionIceEvent| {
            // A null candidate only marks the end of gathering; nothing to relay.
            if let Some(c) = e.candidate().filter(|c| !c.candidate().is_empty()) {
                let signal = Signal::Candidate {
                    candidate: c.candidate(),
                    sdp_mid: c.sdp_mid(),
                    sdp_m_line_index: c.sdp_m_line_index(),
                };
                send(&tx, PeerEvent::Signal(signal));
            }
        });
        let to_media_peer = remote == MEDIA_PEER;
        let tx = events.clone();
        let pc_for_track = pc.clone();
        let on_track = Closure::<dyn FnMut(_)>::new(move |e: RtcTrackEvent| {
            if to_media_peer {
                // Forwarded media is named by its stream (`<peer>` or `<peer>-screen`): a track
                // without one names nobody.
                if let Ok(stream) = e.streams().get(0).dyn_into::<MediaStream>() {
                    send(&tx, PeerEvent::Forwarded(stream));
                }
                return;
            }
            let stream = e
                .streams()
                .get(0)
                .dyn_into::<MediaStream>()
                .ok()
                .or_else(|| MediaStream::new_with_tracks(&Array::of1(&e.track())).ok());
            let Some(stream) = stream else { return };
            if is_screen(&pc_for_track, &e) {
                send(&tx, PeerEvent::Screen(stream));
            } else {
                send(&tx, PeerEvent::Track(stream));
            }
        });
        let tx = events.clone();
        let pc_for_state = pc.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            send(&tx, PeerEvent::State(pc_for_state.connection_state()));
        });
        pc.set_onnegotiationneeded(Some(on_negotiation.as_ref().unchecked_ref()));
        pc.set_onicecandidate(Some(on_ice.as_ref().unchecked_ref()));
        pc.set_ontrack(Some(on_track.as_ref().unchecked_ref()));
        pc.set_onconnectionstatechange(Some(on_state.as_ref().unchecked_ref()));

        let mut link = PeerLink {
            pc,
            to_media_peer,
            // The media peer is the polite side: we never roll back for it.
            polite: !to_media_peer && me > remote,
            making_offer: false,
            health: ice::Health::default(),
            senders: Vec::new(),
            local: Clone::clone(local),
            attached: false,
            screen: None,
            screen_sender: None,
            _on_negotiation: on_negotiation,
            _on_ice: on_ice,
            _on_track: on_track,
            _on_state: on_state,
        };
        if initiate {
            link.attach_local(true);
        }
        ice::watch_connecting(to_media_peer, &link.pc, events);
        Ok(link)
    }

    /// `negotiationneeded` fired: make an offer, unless a remote offer got in first.
    pub async fn offer(&mut self) -> Result<Option<Signal>, JsValue> {
        // A negotiation is under way (often our own offer, made at once, whose event came late):
        // Chromium fires it again back in stable if need be; an offer now would delay the answer.
        if self.pc.signaling_state() != RtcSignalingState::Stable {
            return Ok(None);
        }
        self.making_offer = true;
        let result = self.make_offer().await;
        self.making_offer = false;
        result
    }

    async fn make_offer(&mut self) -> Result<Option<Signal>, JsValue> {
        let offer = JsFuture::from(self.pc.create_offer()).await?;
        if self.pc.signaling_state() != RtcSignalingState::Stable {
            return Ok(None); // a remote offer is being handled; its answer covers our tracks too
        }
        let sdp = sdp_of(&offer)?;
        self.set_local(RtcSdpType::Offer, &sdp).await?;
        Ok(Some(Signal::Description {
            sdp_type: SdpType::Offer,
            sdp,
        }))
    }

    /// Applies a relayed signal; returns the answer to send back, if one is due.
    pub async fn receive(&mut self, signal: Signal) -> Result<Option<Signal>, JsValue> {
        match signal {
            Signal::Description { sdp_type, sdp } => self.describe(sdp_type, &sdp).await,
            Signal::Candidate {
                candidate,
                sdp_mid,
                sdp_m_line_index,
            } => {
                let init = RtcIceCandidateInit::new(&candidate);
                init.set_sdp_mid(sdp_mid.as_deref());
                init.set_sdp_m_line_index(sdp_m_line_index);
                let added = JsFuture::from(
                    self.pc
                        .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init)),
                )
                .await;
                // Candidates of an offer we ignored, or of one the other side rolled back, may
                // arrive after the answer and fail: expected in perfect negotiation, and harmless.
                if let Err(e) = added {
                    web_sys::console::debug_2(&"[call] candidate not applied".into(), &e);
                }
                Ok(None)
            }
            // A kind from a newer peer or server: nothing this build can apply.
            Signal::Unknown => Ok(None),
        }
    }

    async fn describe(&mut self, sdp_type: SdpType, sdp: &str) -> Result<Option<Signal>, JsValue> {
        let kind = match sdp_type {
            SdpType::Offer => RtcSdpType::Offer,
            SdpType::Answer => RtcSdpType::Answer,
            SdpType::Pranswer => RtcSdpType::Pranswer,
            SdpType::Rollback => return Ok(None),
        };
        let collision = kind == RtcSdpType::Offer
            && (self.making_offer || self.pc.signaling_state() != RtcSignalingState::Stable);
        if collision && !self.polite {
            return Ok(None); // the impolite side ignores the colliding offer; ours wins
        }
        if collision {
            self.set_local(RtcSdpType::Rollback, "").await?;
        }
        let remote = RtcSessionDescriptionInit::new(kind);
        remote.set_sdp(sdp);
        JsFuture::from(self.pc.set_remote_description(&remote)).await?;
        if kind != RtcSdpType::Offer {
            return Ok(None);
        }
        // Added after the remote offer, our tracks take over its transceivers: no second round.
        self.attach_local(false);
        let answer = sdp_of(&JsFuture::from(self.pc.create_answer()).await?)?;
        self.set_local(RtcSdpType::Answer, &answer).await?;
        Ok(Some(Signal::Description {
            sdp_type: SdpType::Answer,
            sdp: answer,
        }))
    }

    pub(super) async fn set_local(&self, kind: RtcSdpType, sdp: &str) -> Result<(), JsValue> {
        let desc = RtcSessionDescriptionInit::new(kind);
        if !sdp.is_empty() {
            desc.set_sdp(sdp);
        }
        JsFuture::from(self.pc.set_local_description(&desc))
            .await
            .map(drop)
    }
}

impl Drop for PeerLink {
    fn drop(&mut self) {
        self.pc.set_onnegotiationneeded(None);
        self.pc.set_onicecandidate(None);
        self.pc.set_ontrack(None);
        self.pc.set_onconnectionstatechange(None);
        self.pc.close();
    }
}
