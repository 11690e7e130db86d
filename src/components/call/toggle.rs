//! An on/off switch for a room setting: a `<button aria-pressed>` that keeps its name, so screen
//! readers say "Lock room, toggle button, pressed".

use leptos::prelude::*;

/// A switch named `label`, showing `on`; a click asks `set` for the opposite. The setting changes
/// when the server confirms it, so the switch never shows what the room does not do. `described_by`
/// names the element that explains it; `locked` disables it (a switch that cannot be undone).
#[component]
pub fn Toggle(
    label: Signal<String>,
    on: Signal<bool>,
    set: impl Fn(bool) + 'static,
    #[prop(optional)] described_by: Option<&'static str>,
    #[prop(optional, into)] locked: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="toggle"
            aria-pressed=move || on.get().to_string()
            aria-describedby=described_by
            disabled=move || locked.get()
            on:click=move |_| set(!on.get_untracked())
        >
            <span class="switch" aria-hidden="true"></span>
            <span>{label}</span>
        </button>
    }
}
