//! `/admin/rooms/:id`: one room, its class sessions (newest first, a page at a time) and the
//! attendance downloads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{AdminOnly, AttendanceFailed, RoomFacts};
use crate::api::attendance::{admin_room_sessions, ClassSession, RoomSessions, SessionEnd};
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::NotFound;
use crate::report_time::UtcOffset;

/// The room page, for a logged-in administrator.
#[component]
pub fn AdminRoomPage() -> impl IntoView {
    super::no_store();
    view! { <AdminOnly><RoomSessionsView /></AdminOnly> }
}

#[component]
fn RoomSessionsView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let room = move || params.read().get("id").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    };
    let data = Resource::new(move || (room(), page()), |(r, p)| admin_room_sessions(r, p));
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(sessions)) => view! { <Sessions sessions /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <AttendanceFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sessions(sessions: RoomSessions) -> impl IntoView {
    let i18n = use_i18n();
    let RoomSessions {
        room,
        sessions,
        page,
        pages,
        total,
        offset,
    } = sessions;
    let base = format!("/admin/rooms/{}", room.id);
    let link = {
        let base = base.clone();
        move |to: u32| format!("{base}?page={to}")
    };
    let title = room.name.clone();
    let rows = sessions
        .into_iter()
        .map(|session| view! { <SessionRow session base=base.clone() offset /> })
        .collect_view();
    view! {
        <Title text=title />
        <main class="page">
            <p><a href="/admin">{t!(i18n, admin_att_back)}</a></p>
            <h1>{room.name.clone()}</h1>
            <RoomFacts room=room.clone() offset />
            <p>
                <a href=format!("{base}/attendance.csv") download>{t!(i18n, admin_att_download_all)}</a>
            </p>
            <p class="muted">{move || t_string!(i18n, admin_att_times_in, offset = offset.label()).to_string()}</p>
            {(total == 0).then(|| view! { <p>{t!(i18n, admin_att_no_sessions)}</p> })}
            <div class="table-wrap">
                <table class="rooms">
                    <caption>{move || t_string!(i18n, admin_att_sessions_caption, count = total).to_string()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, admin_att_col_started)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_ended)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_end)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_duration)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_people)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_csv)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="pages" aria-label=move || t_string!(i18n, admin_pages)>
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t!(i18n, admin_prev)}</a> })}
                <span>{move || t_string!(i18n, admin_page_of, page = page, pages = pages).to_string()}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t!(i18n, admin_next)}</a> })}
            </nav>
        </main>
    }
}

#[component]
fn SessionRow(session: ClassSession, base: String, offset: UtcOffset) -> impl IntoView {
    let i18n = use_i18n();
    let started = offset.short(session.started_at);
    let href = format!("{base}/sessions/{}", session.id);
    let csv = format!("{href}/attendance.csv");
    let end = session.end;
    let duration = session
        .ended_at
        .map(|ended| crate::report_time::minutes(ended - session.started_at));
    let hidden = started.clone();
    view! {
        <tr>
            <th scope="row"><a href=href>{started}</a></th>
            <td>{match session.ended_at {
                Some(ms) => offset.short(ms).into_any(),
                None => view! { {t!(i18n, admin_att_ongoing)} }.into_any(),
            }}</td>
            <td>{move || end.map(|e| match e {
                SessionEnd::Empty => t_string!(i18n, admin_att_end_empty),
                SessionEnd::Ended => t_string!(i18n, admin_att_end_ended),
                SessionEnd::Restart => t_string!(i18n, admin_att_end_restart),
            })}</td>
            <td>{move || duration.clone().map(|m| t_string!(i18n, admin_att_minutes, minutes = m).to_string())}</td>
            <td>{session.people}</td>
            <td>
                <a href=csv download>
                    {t!(i18n, admin_att_col_csv)}
                    <span class="sr-only">{move || t_string!(i18n, admin_att_csv_of, time = hidden.clone()).to_string()}</span>
                </a>
            </td>
        </tr>
    }
}
