//! The call's buttons, kept at the bottom of the screen.

use leptos::prelude::*;

use super::controller::Controller;
use super::devices::DevicePickers;
use super::state::{CallState, Command};
use crate::components::icons;
use crate::i18n::{t, t_string, use_i18n};

/// Microphone, camera, device pickers and Leave.
#[component]
pub fn Controls(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let mic = move |_| ctl.send(Command::SetMic(!state.mic_on.get_untracked()));
    let cam = move |_| ctl.send(Command::SetCamera(!state.cam_on.get_untracked()));
    // The Join button that had focus is gone: move focus here rather than let it fall to <body>.
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="controls" role="toolbar" aria-label=move || t_string!(i18n, call_controls)>
            <button type="button" class="round" class:off={move || !state.mic_on.get()} on:click=mic node_ref=first>
                {move || if state.mic_on.get() { icons::mic() } else { icons::mic_off() }}
                <span>{move || if state.mic_on.get() { t_string!(i18n, mute) } else { t_string!(i18n, unmute) }}</span>
            </button>
            <button type="button" class="round" class:off={move || !state.cam_on.get()} on:click=cam>
                {move || if state.cam_on.get() { icons::camera() } else { icons::camera_off() }}
                <span>{move || if state.cam_on.get() { t_string!(i18n, camera_turn_off) } else { t_string!(i18n, camera_turn_on) }}</span>
            </button>
            <details class="settings">
                <summary>{t!(i18n, devices)}</summary>
                <DevicePickers state ctl />
            </details>
            <button type="button" class="round danger" on:click=move |_| ctl.send(Command::Leave)>
                {icons::leave()}
                <span>{t!(i18n, leave)}</span>
            </button>
        </div>
    }
}
