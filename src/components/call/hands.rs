//! Teachers: the raised hands, first raised first, with Let speak.

use leptos::prelude::*;

use super::clock::{minutes_since, use_now};
use super::controller::Controller;
use super::state::{hand_queue, CallState, Command};
use crate::i18n::{t, t_string, use_i18n};

/// The "Raised hands" region: an ordered list, each entry with how long ago the hand went up,
/// Let speak (gives the word and lowers the hand) and Lower hand.
#[component]
pub fn Hands(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let now = use_now();
    let queue = Memo::new(move |_| state.peers.with(|p| hand_queue(p)));
    let count = move || queue.with(Vec::len);
    view! {
        <section class="panel hands" class:raised={move || count() > 0} aria-label=move || t_string!(i18n, raised_hands)>
            <h2 id="hands-heading">
                {t!(i18n, raised_hands)} " "
                <span class="count">{count}</span>
            </h2>
            <Show
                when={move || count() > 0}
                fallback=move || view! { <p class="hint">{t!(i18n, no_hands)}</p> }
            >
                <ol class="people" aria-label=move || t_string!(i18n, raised_hands)>
                    <For each=move || queue.get() key=|p| (p.id, p.hand.map(|h| h.seq)) let:peer>
                        <li>
                            <span class="who">
                                <span class="name">{peer.name.clone()}</span>
                                <span class="since">
                                    {
                                        let at = peer.hand.map_or(0, |h| h.at);
                                        move || match minutes_since(at, now.get()) {
                                            0 => t_string!(i18n, raised_just_now).to_string(),
                                            m => t_string!(i18n, raised_minutes, count = m).to_string(),
                                        }
                                    }
                                </span>
                            </span>
                            <span class="actions">
                                <button type="button" class="primary" on:click=move |_| ctl.send(Command::AllowSpeak(peer.id))>
                                    {t!(i18n, let_speak)}
                                </button>
                                <button type="button" on:click=move |_| ctl.send(Command::LowerHand(Some(peer.id)))>
                                    {t!(i18n, lower_hand)}
                                </button>
                            </span>
                        </li>
                    </For>
                </ol>
            </Show>
        </section>
    }
}
