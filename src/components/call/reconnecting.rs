//! "Reconnecting…" while the connection to the class is lost. The call stays on screen and the
//! video keeps playing (it flows browser to browser); the engine connects again by itself. The
//! news line announces the loss and the return to screen readers, so this line is not live too.

use leptos::prelude::*;

use super::state::{CallState, Phase, Signaling};
use crate::i18n::{t, use_i18n};

/// A visible status line, shown only while reconnecting during a call, the waiting room or a join.
#[component]
pub fn Reconnecting(state: CallState) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || {
        state.signaling.get() == Signaling::Reconnecting
            && matches!(
                state.phase.get(),
                Phase::Joining | Phase::Waiting | Phase::InCall
            )
    };
    view! {
        <Show when=shown>
            <p class="reconnecting">
                <span class="pulse" aria-hidden="true"></span>
                {t!(i18n, reconnecting)}
            </p>
        </Show>
    }
}
