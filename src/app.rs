//! The HTML shell and the routes. Pages live in `pages/`.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::components::asset_tags::AssetTags;
use crate::components::language::LanguageSwitch;
use crate::components::language_choice;
use crate::i18n::{t, use_i18n, I18nContextProvider};
use crate::pages::{
    AdminLoginRoute, AdminRoomRoute, AdminRoute, AdminSessionRoute, HomePage, NotFound, RoomPage,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <AssetTags options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: head tags and the router.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="color-scheme" content="light dark" />
        <Title formatter=page_title />
        // Picks the language from the cookie, else Accept-Language; sets <html lang>.
        <I18nContextProvider ssr_lang_header_getter=language_choice::locale_options()>
        <Router>
            <TopBar />
            <Routes fallback=NotFound>
                // Async, not streamed: without JavaScript nothing would swap streamed parts in.
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                // Async: the status (200 or 404) is known only after the room lookup.
                <Route path=path!("/r/:id") view=RoomPage ssr=SsrMode::Async />
                // Async: without a session the answer is a redirect, decided before any byte is sent. Lazy:
                // the administrator's pages are WASM modules of their own (pages/lazy.rs).
                <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/login") view={Lazy::<AdminLoginRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/rooms/:id") view={Lazy::<AdminRoomRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/admin/rooms/:id/sessions/:sid") view={Lazy::<AdminSessionRoute>::new()} ssr=SsrMode::Async />
            </Routes>
        </Router>
        </I18nContextProvider>
    }
}

/// The bar on every page: the product's name (a way home) and the language switch.
#[component]
fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/">{t!(i18n, app_name)}</a>
            <LanguageSwitch />
        </header>
    }
}

/// "<page> · Classroom", safe to put in the server-rendered `<title>`.
fn page_title(page: String) -> String {
    let title = format!("{page} · Classroom");
    // leptos_meta 0.8 writes the SSR <title> without escaping it, and room names are user input.
    // In the browser the title goes to `document.title`, which is plain text.
    #[cfg(feature = "ssr")]
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    title
}
