//! Who is in the room, the teacher marked.

use leptos::prelude::*;

use super::state::CallState;
use crate::protocol::{PeerInfo, Role};

/// The participant list: you first, then the others in joining order.
#[component]
pub fn Participants(state: CallState) -> impl IntoView {
    let everyone = move || {
        let mut list: Vec<(PeerInfo, bool)> =
            state.me.get().into_iter().map(|me| (me, true)).collect();
        list.extend(state.peers.get().into_iter().map(|p| (p, false)));
        list
    };
    view! {
        <aside class="participants">
            <h2 id="participants-heading">"Participants " <span class="count">{move || everyone().len()}</span></h2>
            <ul aria-label="Participants">
                <For each=everyone key=|(p, _)| (p.id, p.role == Role::Teacher) let:entry>
                    <li>
                        <span>{entry.0.name.clone()}</span>
                        {entry.1.then_some(" (you)")}
                        // The space keeps the badge a separate word for screen readers and search.
                        {(entry.0.role == Role::Teacher).then(|| view! { " " <span class="badge">"Teacher"</span> })}
                    </li>
                </For>
            </ul>
        </aside>
    }
}
