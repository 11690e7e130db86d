//! Who is in the room, the teacher marked.

use leptos::prelude::*;

use super::state::CallState;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{PeerInfo, Role};

/// The participant list: you first, then the others in joining order.
#[component]
pub fn Participants(state: CallState) -> impl IntoView {
    let i18n = use_i18n();
    let everyone = move || {
        let mut list: Vec<(PeerInfo, bool)> =
            state.me.get().into_iter().map(|me| (me, true)).collect();
        list.extend(state.peers.get().into_iter().map(|p| (p, false)));
        list
    };
    view! {
        <aside class="participants">
            <h2 id="participants-heading">{t!(i18n, participants)} " " <span class="count">{move || everyone().len()}</span></h2>
            <ul aria-label=move || t_string!(i18n, participants)>
                <For each=everyone key=|(p, _)| (p.id, p.role == Role::Teacher) let:entry>
                    <li>
                        <span>
                            {if entry.1 {
                                t_string!(i18n, you_suffix, name = entry.0.name.clone()).to_string()
                            } else {
                                entry.0.name.clone()
                            }}
                        </span>
                        // The space keeps the badge a separate word for screen readers and search.
                        {(entry.0.role == Role::Teacher).then(|| view! { " " <span class="badge">{t!(i18n, teacher)}</span> })}
                    </li>
                </For>
            </ul>
        </aside>
    }
}
