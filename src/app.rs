//! The HTML shell and the routes. Pages live in `pages/`.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::{HomePage, NotFound, RoomPage};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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
        <Stylesheet id="leptos" href="/pkg/classroom.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="color-scheme" content="light dark" />
        <Title formatter=|page: String| format!("{page} · Classroom") />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage />
                // Async: the status (200 or 404) is known only after the room lookup.
                <Route path=path!("/r/:id") view=RoomPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
