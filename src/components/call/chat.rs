//! The class chat: history and live messages, and a labelled box to write in.
//!
//! Messages are shown as text; only `http`/`https` addresses become links, opened in a new tab
//! without giving the page a handle on ours.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::chat_text::{pieces, Piece};
use super::controller::Controller;
use super::state::{CallState, Command, Signaling};
use crate::components::local_time::LocalTime;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{ChatLine, ErrorCode, Role, MAX_CHAT_CHARS};

/// The chat panel, a region named "Chat".
#[component]
pub fn Chat(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(String::new());
    // Students may not write while a teacher turned the chat off; the server refuses it anyway.
    let locked = move || !state.is_teacher() && state.settings.with(|s| s.chat_locked);
    // Nothing reaches the server while reconnecting: the draft stays until it can be sent.
    let offline = move || state.signaling.get() == Signaling::Reconnecting;
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        if text.trim().is_empty() || locked() || offline() {
            return;
        }
        state.chat_error.set(None);
        ctl.send(Command::Chat(text));
        // The message shows when the server sends it back to everyone, us included.
        draft.set(String::new());
    };
    let error = move || {
        state.chat_error.get().map(|code| match code {
            ErrorCode::RateLimited => t_string!(i18n, chat_rate_limited),
            ErrorCode::Forbidden => t_string!(i18n, chat_forbidden),
            _ => t_string!(i18n, chat_failed),
        })
    };
    // Keep the newest message in view as messages arrive.
    let log = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        state.chat.track();
        if let Some(el) = log.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    let lines = move || state.chat.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <section class="panel chat" aria-labelledby="chat-heading">
            <h2 id="chat-heading">{t!(i18n, chat)}</h2>
            // The log role goes on a wrapper: on the <ol> itself it would replace the list role, and
            // its <li>s would be list items outside a list.
            <div role="log" aria-label=move || t_string!(i18n, chat_messages)>
                <ol class="chat-log" node_ref=log>
                    <For each=lines key=|(i, line)| (*i, line.at) let:entry>
                        <Line line=entry.1 />
                    </For>
                </ol>
            </div>
            <Show when=move || state.chat.with(Vec::is_empty)>
                <p class="hint">{t!(i18n, chat_empty)}</p>
            </Show>
            <form class="chat-form" on:submit=send>
                <label for="chat-message">{t!(i18n, message)}</label>
                <div class="row">
                    <input
                        id="chat-message"
                        type="text"
                        autocomplete="off"
                        maxlength=MAX_CHAT_CHARS
                        disabled=locked
                        aria-describedby="chat-status"
                        bind:value=draft
                    />
                    <button type="submit" class="primary" disabled=move || locked() || offline()>{t!(i18n, send)}</button>
                </div>
                <p id="chat-status" class="error" role="alert">
                    {move || if locked() { Some(t_string!(i18n, chat_locked_reason)) } else { error() }}
                </p>
            </form>
        </section>
    }
}

/// One message: who, when, and the text with its links.
#[component]
fn Line(line: ChatLine) -> impl IntoView {
    let i18n = use_i18n();
    let teacher = line.role == Role::Teacher;
    view! {
        <li>
            <p class="chat-meta">
                <span class="name">{line.name.clone()}</span>
                {teacher.then(|| view! { " " <span class="badge">{t!(i18n, teacher)}</span> })}
                " " <span class="time"><LocalTime ms=line.at time_only=true /></span>
            </p>
            <p class="chat-text">
                {pieces(&line.text).into_iter().map(|piece| match piece {
                    Piece::Text(text) => text.into_any(),
                    Piece::Link(href) => view! {
                        <a href=href.clone() target="_blank" rel="noopener noreferrer">{href.clone()}</a>
                    }.into_any(),
                }).collect_view()}
            </p>
        </li>
    }
}
