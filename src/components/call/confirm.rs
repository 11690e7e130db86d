//! A destructive action asked twice: the button opens a small inline `alertdialog` with the
//! question, the action again, and Cancel. No `window.confirm` (blocking, unstyled, and dismissed
//! by test browsers).

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// `label` names the button and the confirming button; `question` is asked in between. `id` must
/// be unique in the page (it names the question).
#[component]
pub fn ConfirmButton(
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] question: Signal<String>,
    on_confirm: impl Fn() + Send + Sync + 'static,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let on_confirm = Callback::new(move |()| on_confirm());
    let cancel = NodeRef::<leptos::html::Button>::new();
    // Focus moves into the question (on Cancel, the safe choice) and back when it closes.
    let opener = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |was_asking: Option<bool>| {
        let now = asking.get();
        if now {
            if let Some(b) = cancel.get() {
                let _ = b.focus();
            }
        } else if was_asking == Some(true) {
            if let Some(b) = opener.get() {
                let _ = b.focus();
            }
        }
        now
    });
    let question_id = format!("{id}-question");
    view! {
        <span class="confirm">
            <button type="button" class=class hidden=move || asking.get() node_ref=opener
                on:click=move |_| asking.set(true)>{label}</button>
            <Show when=move || asking.get()>
                <span class="ask" role="alertdialog" aria-labelledby=question_id.clone()>
                    <span id=question_id.clone()>{question}</span>
                    <button type="button" class="danger" on:click=move |_| {
                        asking.set(false);
                        on_confirm.run(());
                    }>{label}</button>
                    <button type="button" node_ref=cancel on:click=move |_| asking.set(false)>{t!(i18n, cancel)}</button>
                </span>
            </Show>
        </span>
    }
}
