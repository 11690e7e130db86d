//! Previous and next page of the camera tiles, and which page this is; shown only when there is
//! more than one.

use leptos::prelude::*;

use crate::call_model::pagination::Page;
use crate::i18n::{t, t_string, use_i18n};

/// A navigation landmark with two buttons and a status that screen readers announce when the
/// page changes. The buttons set `page`; `shown` is the page actually shown (clamped).
#[component]
pub fn Pager(page: RwSignal<usize>, shown: Memo<Page>) -> impl IntoView {
    let i18n = use_i18n();
    let at = move || shown.with(|p| p.page);
    let pages = move || shown.with(|p| p.pages);
    let status = move || t_string!(i18n, page_of, page = at() + 1, pages = pages()).to_string();
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, tile_pages) hidden={move || pages() < 2}>
            <button
                type="button"
                disabled={move || at() == 0}
                on:click=move |_| page.set(at().saturating_sub(1))
            >
                {t!(i18n, previous_page)}
            </button>
            <span role="status">{status}</span>
            <button
                type="button"
                disabled={move || at() + 1 >= pages()}
                on:click=move |_| page.set(at() + 1)
            >
                {t!(i18n, next_page)}
            </button>
        </nav>
    }
}
