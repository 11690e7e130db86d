//! `/r/:id`: the room's name (server-rendered), then the lobby and the call.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{NotFound, RoomClosed};
use crate::api::rooms::find_room;
use crate::components::call::Call;
use crate::components::local_time::LocalTime;
use crate::i18n::{t, use_i18n};

/// A room page, the 404 page for an unknown room, or the 410 page for a closed one.
#[component]
pub fn RoomPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let room = Resource::new(id, find_room);
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match room.await {
                    Ok(Some(room)) if room.closed_at.is_some() => view! { <RoomClosed /> }.into_any(),
                    Ok(Some(room)) => view! {
                        <Title text=room.name.clone() />
                        <main class="page room">
                            <h1 class="room-title">{room.name.clone()}</h1>
                            <p class="meta">{t!(i18n, room_created)} " " <LocalTime ms=room.created_at /></p>
                            <Call room_id=room.id.clone() />
                        </main>
                    }
                    .into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! {
                        <main class="page narrow">
                            <h1>{t!(i18n, error_title)}</h1>
                            <p role="alert">{t!(i18n, room_load_failed)}</p>
                        </main>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
