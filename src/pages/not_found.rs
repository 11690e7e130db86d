//! The 404 page, for unknown paths and unknown or closed rooms.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, t_string, use_i18n};

/// Answers 404 and says so in words, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, not_found_title).to_string() />
        <main class="page narrow">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_text)}</p>
            <p><a href="/">{t!(i18n, create_new_room)}</a></p>
        </main>
    }
}
