//! A read-only link with a copy button.

use leptos::prelude::*;

use crate::components::icons;
use crate::i18n::{t_string, use_i18n};

/// Label, read-only field and (once the page is interactive) a copy button.
#[component]
pub fn CopyField(
    id: &'static str,
    label: Signal<String>,
    copy_label: Signal<String>,
    value: String,
    hint: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    // Without JavaScript the button could do nothing, so it only appears once hydrated.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let text = value.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(crate::client::clipboard::copy(&text).await));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field copy-field">
            <label for=id>{label}</label>
            <div class="row">
                <input id=id type="text" readonly value=value aria-describedby=hint_id.clone() />
                <button type="button" hidden=move || !interactive.get() on:click=copy>
                    {icons::copy()}
                    <span>{copy_label}</span>
                </button>
            </div>
            <p id=hint_id class="hint">
                {hint}
                " "
                <span role="status">
                    {move || match copied.get() {
                        Some(true) => t_string!(i18n, copied),
                        Some(false) => t_string!(i18n, copy_failed),
                        None => "",
                    }}
                </span>
            </p>
        </div>
    }
}
