//! The administrator's pages as routes of their own WASM modules (`cargo leptos --split`): a
//! student or a teacher opening a room link never downloads them. The server renders them as
//! before; in the browser the router fetches a page's module before it hydrates or shows it.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::{AdminLoginPage, AdminPage, AdminRoomPage, AdminSessionPage};

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
