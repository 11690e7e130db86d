//! The language switch. The choice is kept in a cookie, which the server reads on the next request
//! (before `Accept-Language`), so server-rendered pages come back in the chosen language
//! (`language_choice`).

use leptos::prelude::*;

use super::language_choice;
use crate::i18n::{t, use_i18n, Locale};

/// A small select between 한국어 and English, each named in its own language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |ev| {
        let locale = match event_target_value(&ev).as_str() {
            "ko" => Locale::ko,
            _ => Locale::en,
        };
        i18n.set_locale(locale);
        language_choice::remember(leptos_i18n::Locale::as_str(locale));
    };
    view! {
        <div class="language">
            <label for="language">{t!(i18n, language)}</label>
            <select id="language" on:change=choose>
                <option value="ko" lang="ko" selected=move || i18n.get_locale() == Locale::ko>"한국어"</option>
                <option value="en" lang="en" selected=move || i18n.get_locale() == Locale::en>"English"</option>
            </select>
        </div>
    }
}
