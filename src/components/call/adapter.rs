//! Applies the engine's updates to the call's signals (browser only).
//!
//! Every write uses a `try_` accessor: once the page is gone (the user clicked the brand link
//! mid-call) the signals are disposed, the adapter stops listening, and the engine, finding nobody
//! listening, ends the call.

use futures::channel::mpsc::UnboundedReceiver;
use futures::StreamExt;
use leptos::prelude::*;

use super::state::CallState;
use crate::client::Update as EngineUpdate;

/// Listens for updates until the call ends or the views are gone.
pub fn run(state: CallState, mut updates: UnboundedReceiver<EngineUpdate>) {
    wasm_bindgen_futures::spawn_local(async move {
        while let Some(update) = updates.next().await {
            if apply(state, update).is_none() {
                break; // disposed: dropping the receiver tells the engine
            }
        }
    });
}

/// Applies one update; `None` if the signals it needed are disposed.
fn apply(s: CallState, update: EngineUpdate) -> Option<()> {
    match update {
        EngineUpdate::Phase(phase) => s.phase.try_update(|p| *p = phase),
        EngineUpdate::Signaling(now) => s.signaling.try_update(|v| *v = now),
        EngineUpdate::Me(me) => s.me.try_update(|m| *m = Some(me)),
        EngineUpdate::Peers(list) => s.peers.try_update(|p| *p = list),
        EngineUpdate::Peer(peer) => {
            s.peers
                .try_update(|list| match list.iter_mut().find(|p| p.id == peer.id) {
                    Some(p) => *p = peer,
                    None => list.push(peer),
                })
        }
        EngineUpdate::PeerMedia(id, media) => s.peers.try_update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.id == id) {
                p.media = media;
            }
        }),
        EngineUpdate::PeerGone(id) => {
            s.remote.try_update(|m| m.remove(&id))?;
            s.screens.try_update(|m| m.remove(&id))?;
            if s.enlarged.try_get_untracked()? == Some(id) {
                s.enlarged.try_update(|e| *e = None)?;
            }
            s.peers.try_update(|list| list.retain(|p| p.id != id))
        }
        EngineUpdate::Settings(settings) => s.settings.try_update(|v| *v = settings),
        EngineUpdate::Waiting(list) => s.waiting.try_update(|w| *w = list),
        EngineUpdate::Knock(knock) => s.waiting.try_update(|w| {
            w.retain(|k| k.id != knock.id);
            w.push(knock);
        }),
        EngineUpdate::KnockEnded(id) => s.waiting.try_update(|w| w.retain(|k| k.id != id)),
        EngineUpdate::ChatHistory(lines) => s.chat.try_update(|c| *c = lines),
        EngineUpdate::ChatLine(line) => {
            s.chat_error.try_update(|e| *e = None)?;
            s.chat.try_update(|c| c.push(line))
        }
        EngineUpdate::ChatRefused(code) => s.chat_error.try_update(|e| *e = Some(code)),
        EngineUpdate::MicOn(on) => s.mic_on.try_update(|v| *v = on),
        EngineUpdate::CameraOn(on) => s.cam_on.try_update(|v| *v = on),
        EngineUpdate::Sharing(on) => s.sharing.try_update(|v| *v = on),
        EngineUpdate::Camera(id) => s.camera.try_update(|v| *v = Some(id)),
        EngineUpdate::Mic(id) => s.mic.try_update(|v| *v = Some(id)),
        EngineUpdate::Announce(news) => s.announcement.try_update(|a| *a = Some(news)),
        EngineUpdate::Local(stream) => s.local.try_update(|v| *v = stream),
        EngineUpdate::LocalScreen(stream) => s.local_screen.try_update(|v| *v = stream),
        EngineUpdate::Remote(id, stream) => s.remote.try_update(|m| {
            m.insert(id, stream);
        }),
        EngineUpdate::RemoteScreen(id, stream) => s.screens.try_update(|m| {
            m.insert(id, stream);
        }),
        EngineUpdate::RemoteEnded(id) => s.remote.try_update(|m| {
            m.remove(&id);
        }),
        EngineUpdate::RemoteScreenEnded(id) => s.screens.try_update(|m| {
            m.remove(&id);
        }),
        EngineUpdate::Speakers(heard) => {
            s.speaking.try_update(|v| *v = heard.speaking)?;
            s.active_speaker.try_update(|v| *v = heard.active)
        }
        EngineUpdate::Clear => {
            s.speaking.try_update(Vec::clear)?;
            s.active_speaker.try_update(|v| *v = None)?;
            s.remote.try_update(|m| m.clear())?;
            s.screens.try_update(|m| m.clear())?;
            s.waiting.try_update(Vec::clear)?;
            s.sharing.try_update(|v| *v = false)?;
            s.peers.try_update(Vec::clear)
        }
    }
}
