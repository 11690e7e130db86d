//! Students: the waiting room, until a teacher lets them in.

use leptos::prelude::*;

use super::controller::Controller;
use super::state::{CallState, Command};
use super::tile::{Tile, Who};
use crate::i18n::{t, use_i18n};

/// "Waiting for the teacher" with the camera preview and a way to give up.
#[component]
pub fn Waiting(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    // The Join button that had focus is gone: focus the heading so the news is read.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <section class="waiting" aria-labelledby="waiting-title">
            <div class="preview">
                <Tile state who=Who::Me />
            </div>
            <div class="waiting-text">
                <h2 id="waiting-title" tabindex="-1" node_ref=heading>{t!(i18n, waiting_title)}</h2>
                <p role="status">{t!(i18n, waiting_text)}</p>
                <button type="button" on:click=move |_| ctl.send(Command::Leave)>{t!(i18n, leave)}</button>
            </div>
        </section>
    }
}
