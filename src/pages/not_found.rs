//! The 404 page, for unknown paths and unknown or closed rooms.

use leptos::prelude::*;
use leptos_meta::Title;

/// Answers 404 and says so in words, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Room not found" />
        <main class="page narrow">
            <h1>"Room not found"</h1>
            <p>"This link does not lead to an open room. It may be mistyped, or the class has ended."</p>
            <p><a href="/">"Create a new room"</a></p>
        </main>
    }
}
