//! A shared screen, shown large beside the camera tiles while its sharer shares.

use leptos::html::Video;
use leptos::prelude::*;

use super::state::CallState;
use super::tile::Who;
use crate::i18n::t_string;
use crate::i18n::use_i18n;

/// Every screen being shared: ours (while we share) and each participant's while the server says
/// `media.screen` (a stale stream from an earlier share is never shown).
#[component]
pub fn Screens(state: CallState) -> impl IntoView {
    let sharers = move || {
        let mut list: Vec<Who> = state.peers.with(|l| {
            l.iter()
                .filter(|p| p.media.screen)
                .map(|p| Who::Peer(p.id))
                .collect()
        });
        if state.sharing.get() {
            list.insert(0, Who::Me);
        }
        list
    };
    view! {
        <div class="screens" hidden=move || sharers().is_empty()>
            <For each=sharers key=|who| *who let:who>
                <ScreenTile state who />
            </For>
        </div>
    }
}

/// One shared screen, named "<name>'s screen" for assistive technology.
#[component]
fn ScreenTile(state: CallState, who: Who) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || match who {
        Who::Me => state.me.with(|m| m.as_ref().map(|m| m.name.clone())),
        Who::Peer(id) => state.peer(id).map(|p| p.name),
    };
    let label = move || match who {
        Who::Me => t_string!(i18n, your_screen).to_string(),
        Who::Peer(_) => t_string!(i18n, screen_of, name = name().unwrap_or_default()).to_string(),
    };
    let video = NodeRef::<Video>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let stream = match who {
            Who::Me => state.local_screen.get(),
            Who::Peer(id) => state.screens.with(|m| m.get(&id).cloned()),
        };
        if let Some(el) = video.get() {
            let unchanged = el.src_object().map(wasm_bindgen::JsValue::from)
                == stream.clone().map(wasm_bindgen::JsValue::from);
            if !unchanged {
                el.set_src_object(stream.as_ref());
            }
        }
    });
    view! {
        <figure class="tile screen" aria-label=label>
            // Screens carry no sound here; the sharer's voice plays from their camera tile.
            <video node_ref=video autoplay playsinline muted=true prop:muted=true></video>
            <figcaption><span class="name">{label}</span></figcaption>
        </figure>
    }
}
