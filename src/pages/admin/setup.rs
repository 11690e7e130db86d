//! What a fresh install shows on `/admin`: how to set the administrator password.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// Both ways to set the first password; the commands themselves are not translated.
#[component]
pub fn SetupHelp() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page narrow">
            <h1>{t!(i18n, admin_setup_title)}</h1>
            <p class="lead">{t!(i18n, admin_setup_lead)}</p>
            <p>{t!(i18n, admin_setup_command)}</p>
            <pre><code>"classroom admin set-password"</code></pre>
            <p>{t!(i18n, admin_setup_env)}</p>
            <pre><code>"CLASSROOM_ADMIN_PASSWORD"</code></pre>
        </main>
    }
}
