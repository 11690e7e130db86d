//! One participant's video tile, named for assistive technology by the person's name.

use leptos::html::Video;
use leptos::prelude::*;

use super::state::{audible, CallState};
use crate::components::icons;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{PeerId, Role};

/// Whose tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    Me,
    Peer(PeerId),
}

/// A `<figure>` labelled with the name, holding the video and the speaking/mute/camera-off marks.
/// In the call (`in_call`) it also has a button to show it large. A tile `off_page` is hidden but
/// stays: its video element keeps playing the person's voice.
#[component]
pub fn Tile(
    state: CallState,
    who: Who,
    #[prop(optional)] in_call: bool,
    #[prop(optional, into)] off_page: Option<Signal<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let info = move || match who {
        Who::Me => state.me.get(),
        Who::Peer(id) => state.peers.with(|l| l.iter().find(|p| p.id == id).cloned()),
    };
    let name = move || info().map(|p| p.name).unwrap_or_default();
    let label = move || match who {
        // In the lobby there is no name yet.
        Who::Me if name().is_empty() => t_string!(i18n, preview).to_string(),
        Who::Me => t_string!(i18n, you_suffix, name = name()).to_string(),
        Who::Peer(_) => name(),
    };
    let mic_on = move || match who {
        Who::Me => state.mic_on.get(),
        Who::Peer(_) => info().is_some_and(|p| p.media.audio),
    };
    let cam_on = move || match who {
        Who::Me => state.cam_on.get(),
        Who::Peer(_) => info().is_some_and(|p| p.media.video),
    };
    let teacher = move || info().is_some_and(|p| p.role == Role::Teacher);
    let hand = move || info().is_some_and(|p| p.hand.is_some());
    // Our own tile never plays (no echo); a student's only while the server allows it.
    let silent = move || match who {
        Who::Me => true,
        Who::Peer(_) => !info().is_some_and(|p| audible(&p)),
    };
    let id = move || info().map(|p| p.id);
    // Large: pinned, or the active speaker; the button pins and unpins.
    let large = move || id().is_some() && state.large() == id();
    let pinned = move || id().is_some() && state.enlarged.get() == id();
    let toggle = move |_| state.enlarged.set(if pinned() { None } else { id() });
    let speaking = move || id().is_some_and(|id| state.is_speaking(id));
    let hidden = move || off_page.is_some_and(|off| off.get());
    // A toggle keeps its name; aria-pressed says whether it is on.
    let toggle_label = move || t_string!(i18n, enlarge_tile, name = name()).to_string();
    let initial = move || {
        name()
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };

    let video = NodeRef::<Video>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let stream = match who {
            Who::Me => state.local.get(),
            Who::Peer(id) => state.remote.with(|m| m.get(&id).cloned()),
        };
        if let Some(el) = video.get() {
            // The remote map changes whenever anyone's track arrives: leave other tiles' videos
            // playing. Our own stream keeps its identity while its tracks are swapped, and
            // reassigning it is what restarts playback with the new track.
            let unchanged = el.src_object().map(wasm_bindgen::JsValue::from)
                == stream.clone().map(wasm_bindgen::JsValue::from);
            if unchanged && who != Who::Me {
                return;
            }
            el.set_src_object(None);
            el.set_src_object(stream.as_ref());
        }
    });
    // Un-muting a playing video may pause it under some autoplay policies: play on.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if !silent() {
            if let Some(el) = video.get_untracked().filter(|el| el.paused()) {
                if let Ok(playing) = el.play() {
                    // A new stream may interrupt this play(): that rejection is expected, and
                    // awaiting it keeps it from surfacing as an unhandled rejection.
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = wasm_bindgen_futures::JsFuture::from(playing).await;
                    });
                }
            }
        }
    });

    view! {
        <figure
            class="tile"
            class:me={who == Who::Me}
            class:camera-off={move || !cam_on()}
            class:enlarged=large
            class:hand-up=hand
            class:speaking=speaking
            hidden=hidden
            aria-label=label
        >
            <video node_ref=video autoplay playsinline muted=silent prop:muted=silent></video>
            <div class="avatar" aria-hidden="true">{initial}</div>
            <figcaption hidden=move || name().is_empty()>
                <span class="name">{name}</span>
                <Show when=teacher>" "<span class="badge">{t!(i18n, teacher)}</span></Show>
                <Show when=speaking>
                    <span class="mark speaking" role="img" aria-label=move || t_string!(i18n, speaking)>{icons::speaking()}</span>
                </Show>
                <Show when=hand>
                    <span class="mark hand" role="img" aria-label=move || t_string!(i18n, hand_raised)>{icons::hand()}</span>
                </Show>
                <Show when=move || !mic_on()>
                    <span class="mark" role="img" aria-label=move || t_string!(i18n, mic_off)>{icons::mic_off()}</span>
                </Show>
                <Show when=move || !cam_on()>
                    <span class="mark" role="img" aria-label=move || t_string!(i18n, camera_off)>{icons::camera_off()}</span>
                </Show>
            </figcaption>
            <Show when=move || in_call>
                <button
                    type="button"
                    class="enlarge"
                    aria-pressed=move || pinned().to_string()
                    aria-label=toggle_label
                    title=toggle_label
                    on:click=toggle
                >
                    {move || if pinned() { icons::shrink() } else { icons::enlarge() }}
                </button>
            </Show>
        </figure>
    }
}
