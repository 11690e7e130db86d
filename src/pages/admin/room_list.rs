//! The admin room list: a search form and a table, one page at a time. Search and paging are plain
//! GET links and forms (`?q=…&page=…`), so they work without JavaScript and can be bookmarked.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::actions::{ActionNote, ActionNotice, RoomActions};
use crate::api::admin_rooms::{admin_rooms, AdminRoom, AdminRoomPage, RoomStatus};
use crate::components::local_time::LocalTime;
use crate::i18n::{t, t_string, use_i18n};

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
    let list = Resource::new(move || (search(), page()), |(q, p)| admin_rooms(q, p));
    // After an action the list is read again, so it shows what changed.
    let note = RwSignal::new(None::<ActionNote>);
    let on_done = Callback::new(move |done| {
        note.set(Some(done));
        list.refetch();
    });
    view! {
        <form method="get" action="/admin" role="search" class="room-search">
            <label for="room-search">{t!(i18n, admin_search_label)}</label>
            <input id="room-search" name="q" type="search" value=search />
            <button type="submit">{t!(i18n, admin_search)}</button>
        </form>
        <ActionNotice note=note.into() />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rooms) => view! { <RoomTable rooms search=search() on_done /> }.into_any(),
                    Err(_) => view! { <p role="alert">{t!(i18n, admin_rooms_failed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoomTable(rooms: AdminRoomPage, search: String, on_done: Callback<ActionNote>) -> impl IntoView {
    let i18n = use_i18n();
    let AdminRoomPage {
        rooms,
        page,
        pages,
        total,
    } = rooms;
    let link = move |to: u32| format!("/admin?q={}&page={to}", encode_query(&search));
    view! {
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
                        <th scope="col">{t!(i18n, admin_col_activity)}</th>
                        <th scope="col">{t!(i18n, admin_action_col)}</th>
                    </tr>
                </thead>
                <tbody>{rooms.into_iter().map(|room| view! { <RoomRow room on_done /> }).collect_view()}</tbody>
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
fn RoomRow(room: AdminRoom, on_done: Callback<ActionNote>) -> impl IntoView {
    let i18n = use_i18n();
    let (status, people, waiting) = (room.status, room.people, room.waiting);
    view! {
        <tr>
            <th scope="row">{room.name.clone()}</th>
            <td><LocalTime ms=room.created_at /></td>
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
            <td>{room.last_activity.map(|ms| view! { <LocalTime ms /> })}</td>
            <td><RoomActions id=room.id name=room.name.clone() status on_done /></td>
        </tr>
    }
}

/// Percent-encodes a search for a query string (everything but unreserved characters).
fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
