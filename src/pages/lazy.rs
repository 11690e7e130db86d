//! The administrator's pages as routes of their own WASM modules (`cargo leptos --split`): a
//! student or a teacher opening a room link never downloads them. The server renders them as
//! before; in the browser the router fetches a page's module before it hydrates or shows it.
//! [`preload_for`] fetches them before hydration starts: while the router was hydrated and the page
//! not yet, a click on a form was taken by the router and the page came back broken.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::{AdminLoginPage, AdminPage, AdminRoomPage, AdminSessionPage};

/// Before hydrating a page at `path`: fetches the administrator's pages' modules if it is one of
/// them (all four: they share most of their code, and an administrator moves between them).
#[cfg(feature = "hydrate")]
pub async fn preload_for(path: &str) {
    if path == "/admin" || path.starts_with("/admin/") {
        futures::join!(
            AdminRoute::preload(),
            AdminLoginRoute::preload(),
            AdminRoomRoute::preload(),
            AdminSessionRoute::preload(),
        );
    }
}

/// `/admin`.
pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminPage /> }.into_any()
    }
}

/// `/admin/login`.
pub struct AdminLoginRoute;

#[lazy_route]
impl LazyRoute for AdminLoginRoute {
    fn data() -> Self {
        AdminLoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminLoginPage /> }.into_any()
    }
}

/// `/admin/rooms/:id`.
pub struct AdminRoomRoute;

#[lazy_route]
impl LazyRoute for AdminRoomRoute {
    fn data() -> Self {
        AdminRoomRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminRoomPage /> }.into_any()
    }
}

/// `/admin/rooms/:id/sessions/:sid`.
pub struct AdminSessionRoute;

#[lazy_route]
impl LazyRoute for AdminSessionRoute {
    fn data() -> Self {
        AdminSessionRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AdminSessionPage /> }.into_any()
    }
}
