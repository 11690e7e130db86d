//! Screen sharing: the shared stream, the browser's own "Stop sharing", and the engine's steps.
//!
//! The display track goes to every link as a track of its own stream (a new transceiver, so a
//! renegotiation), and receivers show it as a second video of that peer while the server says
//! `media.screen`.

use futures::channel::mpsc::UnboundedSender;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamTrack};

use super::engine::{warn, Engine};
use super::events::{Event, Update};
use super::media;
use crate::call_model::Announcement;
use crate::protocol::ClientMsg;

/// A running screen share. Dropping it stops the capture and detaches the `ended` callback.
pub struct ScreenShare {
    stream: MediaStream,
    track: MediaStreamTrack,
    _on_ended: Closure<dyn FnMut()>,
}

impl ScreenShare {
    /// Watches the stream's video track for the browser's own "Stop sharing".
    fn new(stream: MediaStream, events: UnboundedSender<Event>) -> Option<Self> {
        let track = media::tracks(&stream, "video").into_iter().next()?;
        let on_ended = Closure::<dyn FnMut()>::new(move || {
            let _ = events.unbounded_send(Event::ScreenEnded);
        });
        track.set_onended(Some(on_ended.as_ref().unchecked_ref()));
        Some(ScreenShare {
            stream,
            track,
            _on_ended: on_ended,
        })
    }

    /// The stream the display track is sent in (its own, so receivers tell it from the camera).
    pub fn stream(&self) -> &MediaStream {
        &self.stream
    }

    pub fn track(&self) -> &MediaStreamTrack {
        &self.track
    }
}

impl Drop for ScreenShare {
    fn drop(&mut self) {
        self.track.set_onended(None);
        media::stop(&self.stream);
    }
}

/// Opens the browser's screen picker (video only).
async fn display_media() -> Result<MediaStream, JsValue> {
    let devices = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .media_devices()?;
    let stream = JsFuture::from(devices.get_display_media()?).await?;
    Ok(stream.unchecked_into())
}

impl Engine {
    /// Opens the screen picker in the background; its answer comes as [`Event::ScreenOpened`].
    pub(super) fn start_share(&mut self) {
        if self.screen.is_some() || self.screen_pending {
            return;
        }
        // The views offer the button only when allowed; the server checks again (`forbidden`).
        self.screen_pending = true;
        let tx = self.tx.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = display_media().await;
            if let Err(Event::ScreenOpened(Ok(stream))) = tx
                .unbounded_send(Event::ScreenOpened(result))
                .map_err(|e| e.into_inner())
            {
                media::stop(&stream); // the call is over
            }
        });
    }

    pub(super) async fn on_screen_opened(&mut self, result: Result<MediaStream, JsValue>) {
        self.screen_pending = false;
        let share = match result {
            Ok(stream) => ScreenShare::new(Clone::clone(&stream), self.tx.clone()).ok_or(stream),
            Err(e) => {
                // Cancelling the picker lands here too: a quiet note, not an error page.
                warn("screen share not started", &e);
                return self.emit(Update::Announce(Announcement::ShareFailed));
            }
        };
        let Ok(share) = share else {
            return self.emit(Update::Announce(Announcement::ShareFailed));
        };
        // The teacher turned sharing off while the picker was open: dropping it stops capture.
        if !self.may_share {
            drop(share);
            return self.emit(Update::Announce(Announcement::ShareFailed));
        }
        for link in self.peers.values_mut() {
            link.set_screen(Some((share.stream(), share.track())));
        }
        self.emit(Update::LocalScreen(Some(Clone::clone(share.stream()))));
        self.screen = Some(share);
        self.emit(Update::Sharing(true));
        self.emit(Update::Announce(Announcement::ShareStarted));
        self.send(&ClientMsg::Media(self.media_state()));
    }

    /// Takes the display track off every link and stops capturing.
    pub(super) async fn stop_share(&mut self) {
        if self.screen.take().is_none() {
            return;
        }
        for link in self.peers.values_mut() {
            link.set_screen(None);
        }
        self.emit(Update::LocalScreen(None));
        self.emit(Update::Sharing(false));
        self.emit(Update::Announce(Announcement::ShareStopped));
        self.send(&ClientMsg::Media(self.media_state()));
    }
}
