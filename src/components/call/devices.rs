//! Camera and microphone pickers, filled from `enumerateDevices`.

use leptos::prelude::*;

use super::controller::Controller;
use super::state::{CallState, Device};
use crate::i18n::{t_string, use_i18n};

/// Both pickers; a choice reopens the preview in the lobby and swaps the track in a call.
#[component]
pub fn DevicePickers(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let camera = Signal::derive(move || t_string!(i18n, camera).to_string());
    let microphone = Signal::derive(move || t_string!(i18n, microphone).to_string());
    view! {
        <div class="pickers">
            <Picker id="camera" label=camera kind="video" devices=state.cameras chosen=state.camera state ctl />
            <Picker id="microphone" label=microphone kind="audio" devices=state.mics chosen=state.mic state ctl />
        </div>
    }
}

#[component]
fn Picker(
    id: &'static str,
    label: Signal<String>,
    kind: &'static str,
    devices: RwSignal<Vec<Device>>,
    chosen: RwSignal<Option<String>>,
    state: CallState,
    ctl: Controller,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                disabled=move || devices.with(Vec::is_empty)
                on:change=move |ev| ctl.choose(state, kind, event_target_value(&ev))
            >
                <For each=move || devices.get() key=|d| d.id.clone() let:device>
                    <option
                        value=device.id.clone()
                        selected=move || chosen.get().as_deref() == Some(device.id.as_str())
                    >
                        {
                            let (named, number) = (device.label.clone(), device.number);
                            move || named.clone().unwrap_or_else(|| format!("{} {number}", label.get()))
                        }
                    </option>
                </For>
            </select>
        </div>
    }
}
