//! The call's buttons, kept at the bottom of the screen.

use leptos::prelude::*;

use super::controller::Controller;
use super::devices::DevicePickers;
use super::state::{CallState, Command};
use crate::components::icons;

/// Microphone, camera, device pickers and Leave.
#[component]
pub fn Controls(state: CallState, ctl: Controller) -> impl IntoView {
    let mic = move |_| ctl.send(Command::SetMic(!state.mic_on.get_untracked()));
    let cam = move |_| ctl.send(Command::SetCamera(!state.cam_on.get_untracked()));
    view! {
        <div class="controls" role="toolbar" aria-label="Call controls">
            <button type="button" class="round" class:off={move || !state.mic_on.get()} on:click=mic>
                {move || if state.mic_on.get() { icons::mic() } else { icons::mic_off() }}
                <span>{move || if state.mic_on.get() { "Mute microphone" } else { "Unmute microphone" }}</span>
            </button>
            <button type="button" class="round" class:off={move || !state.cam_on.get()} on:click=cam>
                {move || if state.cam_on.get() { icons::camera() } else { icons::camera_off() }}
                <span>{move || if state.cam_on.get() { "Turn camera off" } else { "Turn camera on" }}</span>
            </button>
            <details class="settings">
                <summary>"Devices"</summary>
                <DevicePickers state ctl />
            </details>
            <button type="button" class="round danger" on:click=move |_| ctl.send(Command::Leave)>
                {icons::leave()}
                <span>"Leave"</span>
            </button>
        </div>
    }
}
