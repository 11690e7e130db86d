//! `/admin/login`: the password form. It posts to a server function, so it works without
//! JavaScript too: the server then answers with a redirect (to `/admin`, or back here with
//! `?problem=`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::{no_store, reload_at, setup::SetupHelp, LoadFailed};
use crate::api::admin::{admin_status, AdminAccess, AdminLogin, LoginReply};
use crate::i18n::{t, t_string, use_i18n};

/// The login page; with a live session it sends the browser on to `/admin`.
#[component]
pub fn AdminLoginPage() -> impl IntoView {
    no_store();
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| admin_status());
    view! {
        <Title text=move || t_string!(i18n, admin_login_title).to_string() />
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AdminAccess::NoPassword) => view! { <SetupHelp /> }.into_any(),
                    Ok(AdminAccess::LoggedIn) => view! { <Redirect path="/admin" /> }.into_any(),
                    Ok(AdminAccess::LoggedOut) => view! { <LoginForm /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What went wrong with the last attempt, from the action (JavaScript) or the query (no JavaScript).
#[derive(Clone, Copy, PartialEq)]
enum Problem {
    Wrong,
    RateLimited,
    Failed,
}

#[component]
fn LoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<AdminLogin>::new();
    let query = use_query_map();
    let problem = move || match login.value().get() {
        Some(Ok(LoginReply::WrongPassword)) => Some(Problem::Wrong),
        Some(Ok(LoginReply::RateLimited)) => Some(Problem::RateLimited),
        Some(Err(_)) => Some(Problem::Failed),
        Some(Ok(_)) => None,
        None => match query.read().get("problem").as_deref() {
            Some("wrong") => Some(Problem::Wrong),
            Some("rate_limited") => Some(Problem::RateLimited),
            _ => None,
        },
    };
    Effect::new(move || {
        if let Some(Ok(LoginReply::LoggedIn | LoginReply::NoPassword)) = login.value().get() {
            reload_at("/admin");
        }
    });
    view! {
        <main class="page narrow">
            <h1>{t!(i18n, admin_login_title)}</h1>
            <ActionForm action=login attr:class="create-form">
                <div class="field">
                    <label for="admin-password">{t!(i18n, admin_password)}</label>
                    <input
                        id="admin-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required=true
                        aria-invalid=move || problem().is_some().to_string()
                        aria-describedby="admin-password-error"
                    />
                    <p id="admin-password-error" class="error" role="alert">
                        {move || problem().map(|p| match p {
                            Problem::Wrong => t_string!(i18n, admin_wrong_password),
                            Problem::RateLimited => t_string!(i18n, admin_rate_limited),
                            Problem::Failed => t_string!(i18n, admin_login_failed),
                        })}
                    </p>
                </div>
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {t!(i18n, admin_log_in)}
                </button>
            </ActionForm>
        </main>
    }
}
