//! The call's buttons, kept at the bottom of the screen.

use leptos::prelude::*;

use super::controller::Controller;
use super::devices::DevicePickers;
use super::state::{CallState, Command};
use crate::components::icons;
use crate::i18n::{t, t_string, use_i18n};

/// Microphone, camera, Raise hand (students), Share screen, device pickers and Leave.
#[component]
pub fn Controls(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let mic = move |_| ctl.send(Command::SetMic(!state.mic_on.get_untracked()));
    let cam = move |_| ctl.send(Command::SetCamera(!state.cam_on.get_untracked()));
    // A student may not unmute while microphones are locked: say why instead of failing.
    let mic_locked = move || !state.mic_on.get() && !state.may_speak();
    let student = move || state.me.with(|m| m.is_some()) && !state.is_teacher();
    let hand_up = move || {
        state
            .me
            .with(|m| m.as_ref().is_some_and(|m| m.hand.is_some()))
    };
    let hand = move |_| {
        ctl.send(if hand_up() {
            Command::LowerHand(None)
        } else {
            Command::RaiseHand
        })
    };
    let share = move |_| {
        ctl.send(if state.sharing.get_untracked() {
            Command::StopShare
        } else {
            Command::StartShare
        })
    };
    // The Join button that had focus is gone: move focus here rather than let it fall to <body>.
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="controls" role="toolbar" aria-label=move || t_string!(i18n, call_controls)>
            <Show when=mic_locked>
                <p id="mic-locked" class="controls-note">{t!(i18n, mics_locked_reason)}</p>
            </Show>
            <button
                type="button"
                class="round"
                class:off={move || !state.mic_on.get()}
                disabled=mic_locked
                aria-describedby=move || mic_locked().then_some("mic-locked")
                on:click=mic
                node_ref=first
            >
                {move || if state.mic_on.get() { icons::mic() } else { icons::mic_off() }}
                <span>{move || if state.mic_on.get() { t_string!(i18n, mute) } else { t_string!(i18n, unmute) }}</span>
            </button>
            <button type="button" class="round" class:off={move || !state.cam_on.get()} on:click=cam>
                {move || if state.cam_on.get() { icons::camera() } else { icons::camera_off() }}
                <span>{move || if state.cam_on.get() { t_string!(i18n, camera_turn_off) } else { t_string!(i18n, camera_turn_on) }}</span>
            </button>
            <Show when=student>
                <button type="button" class="round" class:raised=hand_up on:click=hand>
                    {icons::hand()}
                    <span>{move || if hand_up() { t_string!(i18n, lower_hand) } else { t_string!(i18n, raise_hand) }}</span>
                </button>
            </Show>
            <Show when=move || state.may_share() || state.sharing.get()>
                <button type="button" class="round" class:active={move || state.sharing.get()} on:click=share>
                    {icons::screen()}
                    <span>{move || if state.sharing.get() { t_string!(i18n, stop_sharing) } else { t_string!(i18n, share_screen) }}</span>
                </button>
            </Show>
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
