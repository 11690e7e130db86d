//! `/admin`, `/admin/login`, `/admin/rooms/:id` (a room's class sessions) and
//! `/admin/rooms/:id/sessions/:sid` (who took part): administrator pages. Each asks the server where the visitor stands
//! first; without a session they send the browser to the login page (a 302 when rendered on the
//! server, which is why their routes render in `SsrMode::Async`).

mod actions;
mod dashboard;
mod login;
mod room_list;
mod room_page;
mod session_page;
mod setup;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::admin::{admin_status, AdminAccess};
use crate::api::admin_rooms::RoomStatus;
use crate::api::attendance::RoomHeader;
use crate::i18n::{t, t_string, use_i18n};
use crate::report_time::UtcOffset;
pub use login::AdminLoginPage;
pub use room_page::AdminRoomPage;
pub use session_page::AdminSessionPage;

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

/// Its children for a logged-in administrator; otherwise the login page (a 302 when rendered on
/// the server), or `/admin` on a fresh install (which explains how to set a password).
#[component]
fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| admin_status());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AdminAccess::LoggedIn) => children.with_value(|c| c()).into_any(),
                    Ok(AdminAccess::LoggedOut) => view! { <Redirect path="/admin/login" /> }.into_any(),
                    Ok(AdminAccess::NoPassword) => view! { <Redirect path="/admin" /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A room's name aside: when it was created (at the report offset), its status, who is in it now.
#[component]
fn RoomFacts(room: RoomHeader, offset: UtcOffset) -> impl IntoView {
    let i18n = use_i18n();
    let status = room.status;
    view! {
        <dl class="facts">
            <dt>{t!(i18n, admin_col_created)}</dt>
            <dd>{offset.short(room.created_at)}</dd>
            <dt>{t!(i18n, admin_col_status)}</dt>
            <dd>{move || match status {
                RoomStatus::Live => t_string!(i18n, admin_status_live),
                RoomStatus::Idle => t_string!(i18n, admin_status_idle),
                RoomStatus::Ended => t_string!(i18n, admin_status_ended),
            }}</dd>
            <dt>{t!(i18n, admin_col_people)}</dt>
            <dd>{room.people}</dd>
        </dl>
    }
}

/// The attendance could not be read (the database is down).
#[component]
fn AttendanceFailed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page">
            <h1>{t!(i18n, error_title)}</h1>
            <p role="alert">{t!(i18n, admin_att_failed)}</p>
        </main>
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
