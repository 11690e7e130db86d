//! Who is in the room: the teacher marked, raised hands and closed microphones shown, and for
//! teachers the per-student actions.

use leptos::prelude::*;

use super::confirm::ConfirmButton;
use super::controller::Controller;
use super::state::{CallState, Command};
use crate::components::icons;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{PeerId, Role};

/// The participant list, a region named "Participants": you first, then the others in joining
/// order.
#[component]
pub fn Participants(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let everyone = move || {
        let mut ids: Vec<(PeerId, bool)> = state
            .me
            .with(|me| me.iter().map(|m| (m.id, true)).collect());
        ids.extend(
            state
                .peers
                .with(|l| l.iter().map(|p| (p.id, false)).collect::<Vec<_>>()),
        );
        ids
    };
    view! {
        <section class="panel participants" aria-label=move || t_string!(i18n, participants)>
            <h2 id="participants-heading">{t!(i18n, participants)} " " <span class="count">{move || everyone().len()}</span></h2>
            <ul class="people" aria-label=move || t_string!(i18n, participants)>
                <For each=everyone key=|entry| *entry let:entry>
                    <Entry state ctl id=entry.0 is_me=entry.1 />
                </For>
            </ul>
        </section>
    }
}

/// One person, kept up to date from the server's view of them.
#[component]
fn Entry(state: CallState, ctl: Controller, id: PeerId, is_me: bool) -> impl IntoView {
    let i18n = use_i18n();
    let info = move || {
        if is_me {
            state.me.get()
        } else {
            state.peer(id)
        }
    };
    let name = move || info().map(|p| p.name).unwrap_or_default();
    let shown_name = move || {
        if is_me {
            t_string!(i18n, you_suffix, name = name()).to_string()
        } else {
            name()
        }
    };
    let teacher = move || info().is_some_and(|p| p.role == Role::Teacher);
    let hand = move || info().is_some_and(|p| p.hand.is_some());
    let mic_on = move || {
        if is_me {
            state.mic_on.get()
        } else {
            info().is_some_and(|p| p.media.audio)
        }
    };
    // Teachers act on students only (the server refuses anything else).
    let manage = move || !is_me && state.is_teacher() && !teacher();
    let may_take_back = move || {
        manage() && state.settings.with(|s| s.mics_locked) && info().is_some_and(|p| p.may_speak)
    };
    view! {
        <li>
            <span class="who">
                <span class="name">{shown_name}</span>
                // The spaces keep marks separate words for screen readers and search.
                <Show when=teacher>" "<span class="badge">{t!(i18n, teacher)}</span></Show>
                <Show when=hand>
                    " "<span class="mark hand" role="img" aria-label=move || t_string!(i18n, hand_raised)>{icons::hand()}</span>
                </Show>
                <Show when=move || !mic_on()>
                    " "<span class="mark" role="img" aria-label=move || t_string!(i18n, mic_off)>{icons::mic_off()}</span>
                </Show>
            </span>
            <Show when=manage>
                <span class="actions">
                    <Show when=move || mic_on() && !may_take_back()>
                        <button type="button" on:click=move |_| ctl.send(Command::Mute(id))>{t!(i18n, mute_student)}</button>
                    </Show>
                    <Show when=may_take_back>
                        <button type="button" on:click=move |_| ctl.send(Command::RevokeSpeak(id))>{t!(i18n, take_word_back)}</button>
                    </Show>
                    <ConfirmButton
                        id=format!("remove-{id}")
                        label=Signal::derive(move || t_string!(i18n, remove_student).to_string())
                        question=Signal::derive(move || t_string!(i18n, remove_question, name = name()).to_string())
                        on_confirm=move || ctl.send(Command::Remove(id))
                    />
                </span>
            </Show>
        </li>
    }
}
