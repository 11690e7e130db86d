//! The engine's answers to what the server says.

use super::engine::{warn, Engine, Go};
use super::events::Update;
use super::{chime, media};
use crate::call_model::connection::Asked;
use crate::call_model::topology::Media;
use crate::call_model::{Announcement, EndReason, Phase};
use crate::protocol::{EndedReason, ErrorCode, PeerInfo, Role, ServerMsg, MEDIA_PEER};

impl Engine {
    pub(super) async fn on_server(&mut self, msg: ServerMsg) -> Go {
        match msg {
            msg @ ServerMsg::Joined { .. } => self.on_joined(msg).await,
            ServerMsg::Waiting { resume, .. } => self.on_waiting(resume),
            ServerMsg::Knock { knock } => {
                chime::play();
                self.emit(Update::Announce(Announcement::Knocked(knock.name.clone())));
                self.emit(Update::Knock(knock));
            }
            ServerMsg::KnockEnded { peer } => self.emit(Update::KnockEnded(peer)),
            ServerMsg::PeerJoined { peer } => {
                // In a mesh the newcomer offers and we answer; in an SFU room the media peer
                // brings their media on our one link.
                if self.media == Media::Mesh {
                    self.connect(peer.id, false);
                }
                self.emit(Update::Announce(Announcement::Joined(peer.name.clone())));
                self.others.push(peer.clone());
                self.emit(Update::Peer(peer));
            }
            ServerMsg::PeerLeft { peer } => {
                self.peers.remove(&peer);
                self.forget_forwarded(peer);
                self.forget_speaker(peer);
                if let Some(pos) = self.others.iter().position(|p| p.id == peer) {
                    let gone = self.others.remove(pos);
                    self.emit(Update::Announce(Announcement::Left(gone.name)));
                }
                self.emit(Update::PeerGone(peer));
            }
            ServerMsg::Signal { from, data } => {
                let Some(link) = self.peers.get_mut(&from) else {
                    return true;
                };
                match link.receive(data).await {
                    Ok(Some(answer)) => self.signal(from, answer),
                    Ok(None) => {}
                    Err(e) => warn("applying a signal failed", &e),
                }
                if from == MEDIA_PEER {
                    self.prune_forwarded();
                }
            }
            ServerMsg::Media { peer, media } => {
                if let Some(p) = self.others.iter_mut().find(|p| p.id == peer) {
                    p.media = media;
                }
                self.emit(Update::PeerMedia(peer, media));
            }
            ServerMsg::PeerUpdated { peer, by }
                if Some(peer.id) == self.me.as_ref().map(|m| m.id) =>
            {
                self.on_self_updated(peer, by).await;
            }
            ServerMsg::PeerUpdated { peer, by: _ } => {
                let raised = peer.hand.is_some()
                    && self
                        .others
                        .iter()
                        .any(|p| p.id == peer.id && p.hand.is_none());
                if raised && self.is_teacher() {
                    self.emit(Update::Announce(Announcement::HandRaised(
                        peer.name.clone(),
                    )));
                }
                // Only people we were told joined get a tile (and a connection).
                let Some(known) = self.others.iter_mut().find(|p| p.id == peer.id) else {
                    return true;
                };
                *known = peer.clone();
                self.emit(Update::Peer(peer));
            }
            ServerMsg::Settings { settings, by: _ } => {
                // The server forbids it from now on; stop at once rather than wait to be told.
                self.may_share = settings.students_may_share || self.is_teacher();
                if !self.may_share {
                    self.stop_share().await;
                }
                self.emit(Update::Settings(settings));
            }
            ServerMsg::Chat { line } => self.emit(Update::ChatLine(line)),
            ServerMsg::Topology { topology } => self.on_topology(topology).await,
            ServerMsg::Ended { reason, by } => {
                let reason = match reason {
                    EndedReason::Removed => EndReason::Removed { by },
                    EndedReason::Denied => EndReason::Denied { by },
                    EndedReason::ClassEnded => EndReason::ClassEnded { by },
                    EndedReason::RoomDeleted => EndReason::RoomDeleted,
                    // A reason from a newer server: say only that it is over; joining again is
                    // offered, and the server decides.
                    EndedReason::Other => EndReason::Refused(ErrorCode::Unknown),
                };
                return self.end(Phase::Ended(reason));
            }
            ServerMsg::Error { code, message } => return self.on_error(code, &message),
            // A message type from a newer server.
            ServerMsg::Unknown => {}
        }
        true
    }

    /// The server changed us: turn off locally whatever it says is off, and say who did it.
    async fn on_self_updated(&mut self, peer: PeerInfo, by: Option<String>) {
        let before = self.me.clone();
        // Only a teacher's change (named in `by`) turns things off: an update caused by our own
        // request (a raised hand) may carry media older than a `media` we just sent.
        let locked_out = peer.role != Role::Teacher && !peer.may_speak;
        if by.is_some() && (!peer.media.audio || locked_out) && self.mic_on {
            self.set_mic(false).await;
            let news = match &before {
                Some(old) if old.may_speak && !peer.may_speak => {
                    Announcement::WordTaken(by.clone())
                }
                _ => Announcement::MutedBy(by.clone()),
            };
            self.emit(Update::Announce(news));
        }
        if by.is_some() && !peer.media.screen && self.screen.is_some() {
            self.stop_share().await;
        }
        if let Some(old) = &before {
            if !old.may_speak && peer.may_speak && peer.role != Role::Teacher {
                self.emit(Update::Announce(Announcement::MaySpeak));
            } else if old.hand.is_some() && peer.hand.is_none() && by.is_some() {
                self.emit(Update::Announce(Announcement::HandLowered));
            }
        }
        let mut me = peer;
        // Our own media as we send it is the truth for our tile.
        me.media = self.media_state();
        me.name = self.request.name.clone();
        self.me = Some(me.clone());
        self.emit(Update::Me(me));
    }

    fn on_error(&mut self, code: ErrorCode, message: &str) -> Go {
        // `resume_failed` (or a server that does not know `resume`): join afresh instead.
        if self.connection.awaiting() == Some(Asked::Resume) && self.resume_refused() {
            return true;
        }
        let ending = match code {
            ErrorCode::RoomFull => Some(EndReason::RoomFull),
            ErrorCode::RoomLocked => Some(EndReason::RoomLocked),
            ErrorCode::TryLater => Some(EndReason::TryLater),
            // Whatever refused the join (even a code this build does not know) ends "Joining…", and
            // a join after a failed resume likewise.
            _ if matches!(self.phase, Phase::Joining | Phase::Waiting)
                || self.connection.awaiting() == Some(Asked::Join) =>
            {
                Some(EndReason::Refused(code))
            }
            _ => None,
        };
        if let Some(reason) = ending {
            return self.end(Phase::Ended(reason));
        }
        match code {
            ErrorCode::Forbidden | ErrorCode::RateLimited if self.last_was_chat => {
                self.emit(Update::ChatRefused(code))
            }
            ErrorCode::Forbidden | ErrorCode::RateLimited => {
                self.emit(Update::Announce(Announcement::Refused(code)))
            }
            // Races (a peer left while we signalled it) are harmless: note and go on.
            _ => web_sys::console::warn_1(&format!("server: {message}").into()),
        }
        true
    }

    /// Turns the microphone on or off and tells the views (not the server: callers do). Off, the
    /// track is disabled *and* taken off every sender (`replaceTrack(null)`): a disabled track still
    /// sends a stream of encoded silence, and muted should mean that nothing leaves the computer.
    pub(super) async fn set_mic(&mut self, on: bool) {
        let tracks = media::tracks(&self.local, "audio");
        for track in &tracks {
            track.set_enabled(on);
        }
        // The button follows at once: a disabled track sends only silence already, and changing
        // the senders waits behind any negotiation in progress (`replaceTrack` is queued on its
        // connection's chain of operations; with eight browsers on two cores that took over 5 s).
        self.mic_on = on;
        self.emit(Update::MicOn(on));
        let track = tracks.first().filter(|_| on);
        for link in self.peers.values_mut() {
            link.replace_track("audio", track, &self.local).await;
        }
    }
}
