//! `/admin` and `/admin/login`: administrator pages. Each asks the server where the visitor stands
//! first; without a session they send the browser to the login page (a 302 when rendered on the
//! server, which is why their routes render in `SsrMode::Async`).

mod actions;
mod dashboard;
mod login;
mod room_list;
mod setup;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::admin::{admin_status, AdminAccess};
use crate::i18n::{t, t_string, use_i18n};
pub use login::AdminLoginPage;

/// `/admin`: how to set a password on a fresh install, the login page without a session, else the
/// administrator's overview.
#[component]
pub fn AdminPage() -> impl IntoView {
    no_store();
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| admin_status());
    view! {
        <Title text=move || t_string!(i18n, admin_title).to_string() />
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AdminAccess::NoPassword) => view! { <setup::SetupHelp /> }.into_any(),
                    Ok(AdminAccess::LoggedOut) => view! { <Redirect path="/admin/login" /> }.into_any(),
                    Ok(AdminAccess::LoggedIn) => view! { <dashboard::Dashboard /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The admin status could not be read (the database is down).
#[component]
fn LoadFailed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page narrow">
            <h1>{t!(i18n, error_title)}</h1>
            <p role="alert">{t!(i18n, admin_load_failed)}</p>
        </main>
    }
}

/// Admin pages show what only the administrator may see: no browser cache or proxy keeps a copy.
fn no_store() {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        use axum::http::{header, HeaderValue};
        res.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Loads another page from the server (not a client-side route change): the session cookie was
/// just set or cleared, and the server must render the next page with it.
fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
