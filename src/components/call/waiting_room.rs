//! Teachers: the students knocking, how long each has waited, and the door's switches.

use leptos::prelude::*;

use super::clock::{minutes_since, use_now};
use super::controller::Controller;
use super::state::{CallState, Command};
use super::toggle::Toggle;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::SettingsChange;

/// The "Waiting room" region: a count badge, one entry per knock with Admit and Deny, Admit all,
/// and "Let students in automatically".
#[component]
pub fn WaitingRoom(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let now = use_now();
    let count = move || state.waiting.with(Vec::len);
    let auto_admit = Signal::derive(move || state.settings.with(|s| s.auto_admit));
    let set_auto = move |on: bool| {
        ctl.send(Command::Settings(SettingsChange {
            auto_admit: Some(on),
            ..Default::default()
        }))
    };
    view! {
        <section class="panel waiting-room" class:knocking={move || count() > 0} aria-label=move || t_string!(i18n, waiting_room)>
            <h2 id="waiting-heading">
                {t!(i18n, waiting_room)} " "
                <span class="badge count-badge" class:zero={move || count() == 0}>
                    <span aria-hidden="true">{count}</span>
                    <span class="sr-only">{move || t_string!(i18n, waiting_count, count = count())}</span>
                </span>
            </h2>
            <Show
                when={move || count() > 0}
                fallback=move || view! { <p class="hint">{t!(i18n, nobody_waiting)}</p> }
            >
                <ul class="people" aria-label=move || t_string!(i18n, waiting_list)>
                    <For each=move || state.waiting.get() key=|k| k.id let:knock>
                        <li>
                            <span class="who">
                                <span class="name">{knock.name.clone()}</span>
                                <span class="since">
                                    {move || match minutes_since(knock.since, now.get()) {
                                        0 => t_string!(i18n, waiting_just_now).to_string(),
                                        m => t_string!(i18n, waiting_minutes, count = m).to_string(),
                                    }}
                                </span>
                            </span>
                            <span class="actions">
                                <button type="button" class="primary" on:click=move |_| ctl.send(Command::Admit(knock.id))>
                                    {t!(i18n, admit)}
                                </button>
                                <button type="button" on:click=move |_| ctl.send(Command::Deny(knock.id))>
                                    {t!(i18n, deny)}
                                </button>
                            </span>
                        </li>
                    </For>
                </ul>
                <button type="button" on:click=move |_| ctl.send(Command::AdmitAll)>{t!(i18n, admit_all)}</button>
            </Show>
            <Toggle label=Signal::derive(move || t_string!(i18n, auto_admit).to_string()) on=auto_admit set=set_auto />
        </section>
    }
}
