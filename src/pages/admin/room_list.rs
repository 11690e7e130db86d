//! The admin room list: a search form and a table, one page at a time. Search and paging are plain
//! GET links and forms (`?q=…&page=…`), so they work without JavaScript and can be bookmarked.
//! While the page is open and visible it reads the list again every few seconds (live counts);
//! "Refresh" does it at once, and without JavaScript it is a link to the same page.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::actions::{ActionNote, ActionNotice, RoomActions};
use crate::api::admin_rooms::{admin_rooms, AdminRoom, AdminRoomPage, RoomStatus};
use crate::i18n::{t, t_string, use_i18n};
use crate::report_time::UtcOffset;

/// The search box, the table of rooms and the page links.
#[component]
pub fn RoomList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    };
    // How many times the list was read again, and whether the last was the timer's doing.
    let refreshes = RwSignal::new((0u32, false));
    keep_fresh(refreshes);
    let list = Resource::new(
        move || (search(), page(), refreshes.get()),
        |(q, p, (_, by_timer))| admin_rooms(q, p, by_timer),
    );
    // After an action the list is read again, so it shows what changed.
    let note = RwSignal::new(None::<ActionNote>);
    let on_done = Callback::new(move |done| {
        note.set(Some(done));
        refreshes.update(|r| *r = (r.0.wrapping_add(1), false));
    });
    view! {
        <form method="get" action="/admin" role="search" class="room-search">
            <label for="room-search">{t!(i18n, admin_search_label)}</label>
            <input id="room-search" name="q" type="search" value=search />
            <button type="submit">{t!(i18n, admin_search)}</button>
        </form>
        <ActionNotice note=note.into() />
        // A Transition keeps the table on screen while it is read again.
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rooms) => view! { <RoomTable rooms search=search() refreshes on_done /> }.into_any(),
                    Err(_) => view! { <p role="alert">{t!(i18n, admin_rooms_failed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// How often an open, visible list is read again.
#[cfg(feature = "hydrate")]
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Bumps `refreshes` every [`REFRESH_EVERY`] while the tab is visible and the administrator is not
/// busy in the table (browser only): a re-read rebuilds the rows, which would close an open Delete
/// confirmation, move the focus away, or drop an action's answer (the one-time teacher link).
fn keep_fresh(refreshes: RwSignal<(u32, bool)>) {
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let doc = document();
            let focus_in_table = doc
                .active_element()
                .and_then(|e| e.closest("table.rooms").ok().flatten())
                .is_some();
            let confirming = doc
                .query_selector("table.rooms details[open]")
                .ok()
                .flatten()
                .is_some();
            if !doc.hidden() && !focus_in_table && !confirming {
                refreshes.try_update(|r| *r = (r.0.wrapping_add(1), true));
            }
        },
        REFRESH_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = refreshes;
}

#[component]
fn RoomTable(
    rooms: AdminRoomPage,
    search: String,
    refreshes: RwSignal<(u32, bool)>,
    on_done: Callback<ActionNote>,
) -> impl IntoView {
    let i18n = use_i18n();
    let AdminRoomPage {
        rooms,
        page,
        pages,
        total,
        fetched_at,
        offset,
    } = rooms;
    let link = move |to: u32| format!("/admin?q={}&page={to}", encode_query(&search));
    let updated = format!("{} ({})", offset.clock(fetched_at), offset.label());
    view! {
        <p class="refresh">
            <span aria-live="off">{move || t_string!(i18n, admin_att_updated_at, time = updated.clone()).to_string()}</span>
            " "
            // Without JavaScript: a link to this very page. With it: read the list again in place.
            <a href=link(page) on:click=move |ev| {
                ev.prevent_default();
                refreshes.update(|r| *r = (r.0.wrapping_add(1), false));
            }>{t!(i18n, admin_att_refresh)}</a>
        </p>
        <div class="table-wrap">
            <table class="rooms">
                <caption>{move || t_string!(i18n, admin_rooms_caption, count = total).to_string()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, class_name)}</th>
                        <th scope="col">{t!(i18n, admin_col_created)}</th>
                        <th scope="col">{t!(i18n, admin_col_status)}</th>
                        <th scope="col">{t!(i18n, admin_col_people)}</th>
                        <th scope="col">{t!(i18n, admin_col_teacher)}</th>
                        <th scope="col">{t!(i18n, admin_att_col_sessions)}</th>
                        <th scope="col">{t!(i18n, admin_col_activity)}</th>
                        <th scope="col">{t!(i18n, admin_action_col)}</th>
                    </tr>
                </thead>
                <tbody>{rooms.into_iter().map(|room| view! { <RoomRow room offset on_done /> }).collect_view()}</tbody>
            </table>
        </div>
        <nav class="pages" aria-label=move || t_string!(i18n, admin_pages)>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t!(i18n, admin_prev)}</a> })}
            <span>{move || t_string!(i18n, admin_page_of, page = page, pages = pages).to_string()}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t!(i18n, admin_next)}</a> })}
        </nav>
    }
}

#[component]
fn RoomRow(room: AdminRoom, offset: UtcOffset, on_done: Callback<ActionNote>) -> impl IntoView {
    let i18n = use_i18n();
    let (status, people, waiting) = (room.status, room.people, room.waiting);
    view! {
        <tr>
            <th scope="row"><a href=format!("/admin/rooms/{}", room.id)>{room.name.clone()}</a></th>
            <td>{offset.short(room.created_at)}</td>
            <td>{move || match status {
                RoomStatus::Live => t_string!(i18n, admin_status_live),
                RoomStatus::Idle => t_string!(i18n, admin_status_idle),
                RoomStatus::Ended => t_string!(i18n, admin_status_ended),
            }}</td>
            <td>{move || match waiting {
                0 => people.to_string(),
                n => format!("{people} {}", t_string!(i18n, admin_waiting, count = n)),
            }}</td>
            <td>{move || if room.teacher_present { t_string!(i18n, admin_yes) } else { t_string!(i18n, admin_no) }}</td>
            <td>{room.sessions}</td>
            <td>{room.last_activity.map(|ms| offset.short(ms))}</td>
            <td><RoomActions id=room.id name=room.name.clone() status on_done /></td>
        </tr>
    }
}

/// Percent-encodes a search for a query string (everything but unreserved characters).
pub(super) fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
