//! What a link to a closed room shows: the room existed, and why it is gone.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, t_string, use_i18n};

/// Answers 410 Gone for a room that was closed, with a way to make a new one.
#[component]
pub fn RoomClosed() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::GONE);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, room_closed_title).to_string() />
        <main class="page narrow">
            <h1>{t!(i18n, room_closed_title)}</h1>
            <p>{t!(i18n, room_closed_text)}</p>
            <p><a href="/">{t!(i18n, create_new_room)}</a></p>
        </main>
    }
}
