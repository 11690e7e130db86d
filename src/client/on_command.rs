//! The engine's answers to the views' commands. Requests the server decides on are sent as they
//! are; the server's answer (`peer_updated`, `settings`, `chat`) is what changes the views.

use super::engine::{Engine, Go};
use super::events::{Event, Update};
use super::media;
use crate::call_model::{Announcement, Command, Phase};
use crate::protocol::ClientMsg;

impl Engine {
    pub(super) async fn on_command(&mut self, command: Command) -> Go {
        // Not a request to the server that could be refused: it leaves `last_was_chat` alone.
        if let Command::View(tiles) = command {
            self.want_view(tiles);
            return true;
        }
        self.last_was_chat = matches!(command, Command::Chat(_));
        let request = match command {
            // Handled above.
            Command::View(_) => return true,
            Command::Leave => {
                // Also while resuming: the server handles it after the resume. With no socket at
                // all, our place ends with the grace period.
                self.send_now(&ClientMsg::Leave);
                return self.end(Phase::Left);
            }
            Command::SetMic(on) => {
                // The server refuses it anyway; the button says why it is disabled.
                if on && !self.me.as_ref().is_none_or(|me| me.may_speak) {
                    return true;
                }
                if on && media::tracks(&self.local, "audio").is_empty() {
                    self.open_track("audio");
                    return true;
                }
                self.set_mic(on).await;
                self.emit(Update::Announce(if on {
                    Announcement::MicOn
                } else {
                    Announcement::MicOff
                }));
                ClientMsg::Media(self.media_state())
            }
            Command::SetCamera(true) => {
                self.open_track("video");
                return true;
            }
            Command::SetCamera(false) => {
                // A camera still opening is stale now.
                self.opening[1] += 1;
                self.swap_track("video", None).await;
                ClientMsg::Media(self.media_state())
            }
            Command::UseCamera(id) => {
                self.camera = Some(id.clone());
                self.emit(Update::Camera(id));
                if self.cam_on {
                    self.open_track("video");
                }
                return true;
            }
            Command::UseMic(id) => {
                self.mic = Some(id.clone());
                self.emit(Update::Mic(id));
                self.open_track("audio");
                return true;
            }
            Command::StartShare => {
                self.start_share();
                return true;
            }
            Command::StopShare => {
                self.stop_share().await;
                return true;
            }
            Command::RaiseHand => ClientMsg::RaiseHand,
            Command::LowerHand(peer) => ClientMsg::LowerHand { peer },
            Command::Chat(text) => ClientMsg::Chat { text },
            Command::Admit(peer) => ClientMsg::Admit { peer },
            Command::Deny(peer) => ClientMsg::Deny { peer },
            Command::AdmitAll => ClientMsg::AdmitAll,
            Command::Mute(peer) => ClientMsg::Mute { peer },
            Command::MuteAll => ClientMsg::MuteAll,
            Command::AllowSpeak(peer) => ClientMsg::AllowSpeak { peer },
            Command::RevokeSpeak(peer) => ClientMsg::RevokeSpeak { peer },
            Command::Remove(peer) => ClientMsg::Remove { peer },
            Command::Settings(change) => ClientMsg::Settings(change),
            Command::EndClass => ClientMsg::EndClass,
        };
        if !self.connection.is_up() && !matches!(request, ClientMsg::Media(_)) {
            // Nothing can reach the server now, and the request is not kept: say why nothing
            // happens. (Media changes travel in the `resume`.)
            self.emit(Update::Announce(Announcement::Reconnecting));
            return true;
        }
        self.send(&request);
        true
    }

    /// Asks the browser for a camera or microphone track in the background; the answer comes back
    /// as [`Event::TrackOpened`]. A permission prompt may stay open for minutes: the loop goes on.
    fn open_track(&mut self, kind: &'static str) {
        let slot = usize::from(kind == "video");
        self.opening[slot] += 1;
        let seq = self.opening[slot];
        let device = if kind == "audio" {
            self.mic.clone()
        } else {
            self.camera.clone()
        };
        let tx = self.tx.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = media::open_track(kind, device.as_deref()).await;
            if let Err(Event::TrackOpened { result: Ok(t), .. }) = tx
                .unbounded_send(Event::TrackOpened { kind, seq, result })
                .map_err(|e| e.into_inner())
            {
                t.stop(); // the call is over: nobody will use it
            }
        });
    }

    /// A device answered: use the track, unless a newer request or a "turn off" came since.
    pub(super) async fn on_track_opened(
        &mut self,
        kind: &'static str,
        seq: u32,
        result: Result<web_sys::MediaStreamTrack, wasm_bindgen::JsValue>,
    ) {
        let track = match result {
            Ok(track) if seq == self.opening[usize::from(kind == "video")] => track,
            Ok(stale) => return stale.stop(),
            Err(e) => {
                super::engine::warn("opening a device failed", &e);
                return self.emit(Update::Announce(Announcement::DeviceFailed));
            }
        };
        if kind == "audio" {
            // A new microphone keeps the mute state, unless this was the first one (turning on);
            // never on if the word was taken while the browser asked for the microphone.
            let may_speak = self.me.as_ref().is_none_or(|me| me.may_speak);
            let on = may_speak && (self.mic_on || media::tracks(&self.local, "audio").is_empty());
            track.set_enabled(on);
            self.swap_track("audio", Some(track)).await;
            // Also when muted: the new track must not be sent either.
            self.set_mic(on).await;
        } else {
            self.swap_track("video", Some(track)).await;
        }
        self.send(&ClientMsg::Media(self.media_state()));
    }

    /// Sends `new` (or nothing) as the local track of `kind` on every link with `replaceTrack`,
    /// so no connection renegotiates, and stops the old one.
    async fn swap_track(&mut self, kind: &str, new: Option<web_sys::MediaStreamTrack>) {
        for link in self.peers.values_mut() {
            link.replace_track(kind, new.as_ref(), &self.local).await;
        }
        for old in media::tracks(&self.local, kind) {
            self.local.remove_track(&old);
            old.stop();
        }
        if let Some(track) = &new {
            self.local.add_track(track);
        }
        if kind == "video" {
            let on = new.is_some();
            self.cam_on = on;
            self.emit(Update::CameraOn(on));
            self.emit(Update::Announce(if on {
                Announcement::CameraOn
            } else {
                Announcement::CameraOff
            }));
        }
        self.emit(Update::Local(Some(Clone::clone(&self.local))));
    }
}
