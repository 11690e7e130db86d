//! The views' handle on the call: starts the preview and the engine in the browser, and does
//! nothing during server rendering (where there is no camera and no call).

use leptos::prelude::*;

use super::state::{CallState, Command, Phase};

/// `Copy` handle passed to every call view.
#[derive(Clone, Copy)]
pub struct Controller {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    room: StoredValue<String>,
    #[cfg(feature = "hydrate")]
    handle: StoredValue<Option<crate::client::CallHandle>, LocalStorage>,
    /// The signaling connection opened ahead of Join (`warm_up`).
    #[cfg(feature = "hydrate")]
    standby: StoredValue<Option<crate::client::socket::Standby>, LocalStorage>,
}

impl Controller {
    /// A controller for the room with this id.
    pub fn new(room: String) -> Self {
        Controller {
            room: StoredValue::new(room),
            #[cfg(feature = "hydrate")]
            handle: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            standby: StoredValue::new_local(None),
        }
    }

    /// Someone is about to join (a name is being typed): have a signaling connection open by
    /// the time they click, unless one is still up.
    pub fn warm_up(&self) {
        // The call's code too: the engine and the call's view are WASM modules of their own.
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async {
            // A failure here is tried again by the next keystroke, or by Join.
            let _ = super::lazy::load().await;
        });
        #[cfg(feature = "hydrate")]
        let _ = self.standby.try_update_value(|standby| {
            if !standby.as_ref().is_some_and(|s| s.usable()) {
                *standby = crate::client::socket::Standby::open();
            }
        });
    }

    /// Opens camera and microphone for the lobby preview (again, after a device change).
    pub fn open_preview(&self, state: CallState) {
        #[cfg(feature = "hydrate")]
        wasm_bindgen_futures::spawn_local(async move {
            // The lobby may be gone by the time the browser answers: every write is a `try_`.
            let _ = preview(state).await;
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = state;
    }

    /// Joins the call as `name`; the teacher key comes from the link's `#teacher=` fragment.
    pub fn join(&self, state: CallState, name: String) {
        state.phase.set(Phase::Joining);
        #[cfg(feature = "hydrate")]
        {
            let request = crate::client::JoinRequest {
                room: self.room.get_value(),
                name,
                teacher_key: teacher_key_in_link(),
                local: state.local.get_untracked(),
                mic_on: state.mic_on.get_untracked(),
                cam_on: state.cam_on.get_untracked(),
                camera: state.camera.get_untracked(),
                mic: state.mic.get_untracked(),
                standby: self.standby.try_update_value(Option::take).flatten(),
            };
            let handle = self.handle;
            wasm_bindgen_futures::spawn_local(async move {
                let started = match super::lazy::load().await {
                    // The page went away while the modules came: there is nobody to call for.
                    Ok(()) if state.phase.is_disposed() => return,
                    Ok(()) => super::lazy::start_engine(state, request).await,
                    Err(e) => Err(e.into()),
                };
                match started {
                    Ok(started) => {
                        let _ = handle.try_set_value(Some(started));
                    }
                    Err(_) => {
                        state
                            .phase
                            .try_set(Phase::Ended(super::state::EndReason::ConnectionLost));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = name;
    }

    /// Sends a command to the running call, if any.
    pub fn send(&self, command: Command) {
        #[cfg(feature = "hydrate")]
        // After the page is gone the handle is disposed, and there is nobody to send for.
        let _ = self.handle.try_with_value(|h| {
            if let Some(h) = h {
                h.send(command.clone())
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = command;
    }

    /// Picks a camera: reopens the preview in the lobby, swaps the track during the call.
    pub fn choose(&self, state: CallState, kind: &str, id: String) {
        let in_lobby = state.phase.get_untracked() == Phase::Lobby;
        match (kind, in_lobby) {
            ("video", true) => state.camera.set(Some(id)),
            ("audio", true) => state.mic.set(Some(id)),
            ("video", false) => return self.send(Command::UseCamera(id)),
            _ => return self.send(Command::UseMic(id)),
        }
        self.open_preview(state);
    }

    /// Back to the lobby after leaving or a failure (the lobby reopens the preview itself).
    pub fn back_to_lobby(&self, state: CallState) {
        // Nothing of the last call carries over into the next one.
        state.me.set(None);
        state.chat.set(Vec::new());
        state.chat_error.set(None);
        state.waiting.set(Vec::new());
        state.settings.set(Default::default());
        state.enlarged.set(None);
        state.speaking.set(Vec::new());
        state.active_speaker.set(None);
        state.announcement.set(None);
        state.signaling.set(Default::default());
        state.phase.set(Phase::Lobby);
    }

    /// Leaves the call and turns camera and microphone off (page left or unmounted).
    pub fn close(&self, state: CallState) {
        self.send(Command::Leave);
        // Dropping the handle also ends the call, should the Leave not get through.
        #[cfg(feature = "hydrate")]
        let _ = self.handle.try_set_value(None);
        #[cfg(feature = "hydrate")]
        if let Some(stream) = state.local.try_get_untracked().flatten() {
            crate::client::media::stop(&stream);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = state;
    }

    /// Whether this page was opened from a teacher link.
    pub fn is_teacher_link(&self) -> bool {
        #[cfg(feature = "hydrate")]
        return teacher_key_in_link().is_some();
        #[cfg(not(feature = "hydrate"))]
        false
    }
}

/// The key in `#teacher=KEY`. It stays in the fragment, which browsers never send to servers.
#[cfg(feature = "hydrate")]
fn teacher_key_in_link() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let key = hash.strip_prefix("#teacher=")?;
    (!key.is_empty()).then(|| key.to_string())
}

/// Opens the preview and lists the devices; `None` if the lobby went away meanwhile.
#[cfg(feature = "hydrate")]
async fn preview(state: CallState) -> Option<()> {
    use crate::client::media;
    state.ready.try_set(false);
    if let Some(old) = state.local.try_get_untracked()? {
        media::stop(&old);
    }
    let camera = state.camera.try_get_untracked()?;
    let mic = state.mic.try_get_untracked()?;
    let (stream, problem) = media::open(camera.as_deref(), mic.as_deref()).await;
    if state.local.is_disposed() {
        media::stop(&stream); // nobody will show or send it
        return None;
    }
    // Show which devices the browser actually chose.
    for (kind, choice) in [("video", state.camera), ("audio", state.mic)] {
        if let Some(id) = media::tracks(&stream, kind)
            .first()
            .and_then(media::device_of)
        {
            choice.try_set(Some(id));
        }
    }
    state
        .cam_on
        .try_set(!media::tracks(&stream, "video").is_empty());
    state
        .mic_on
        .try_set(!media::tracks(&stream, "audio").is_empty());
    state.media_problem.try_set(problem);
    state.local.try_set(Some(stream));
    let (cameras, mics) = media::devices().await;
    state.cameras.try_set(cameras);
    state.mics.try_set(mics);
    state.ready.try_set(true);
    Some(())
}
