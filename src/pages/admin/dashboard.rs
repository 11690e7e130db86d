//! The logged-in administrator's page: a Log out button and the room list.

use leptos::prelude::*;

use super::{reload_at, room_list::RoomList};
use crate::api::admin::AdminLogout;
use crate::i18n::{t, use_i18n};

/// The overview of a logged-in administrator.
#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<AdminLogout>::new();
    Effect::new(move || {
        if let Some(Ok(())) = logout.value().get() {
            reload_at("/admin/login");
        }
    });
    view! {
        <main class="page">
            <div class="admin-head">
                <h1>{t!(i18n, admin_title)}</h1>
                <ActionForm action=logout>
                    <button type="submit">{t!(i18n, admin_log_out)}</button>
                </ActionForm>
            </div>
            <RoomList />
        </main>
    }
}
