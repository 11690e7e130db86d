//! `/admin/rooms/:id/sessions/:sid`: everyone who took part in one class session.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{AdminOnly, AttendanceFailed};
use crate::api::attendance::{
    admin_session_attendance, Attendee, AttendeeRole, Outcome, SessionAttendance, SessionEnd,
};
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::NotFound;
use crate::report_time::{minutes, UtcOffset};

/// The session page, for a logged-in administrator.
#[component]
pub fn AdminSessionPage() -> impl IntoView {
    super::no_store();
    view! { <AdminOnly><AttendanceView /></AdminOnly> }
}

#[component]
fn AttendanceView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            p.get("id").unwrap_or_default(),
            p.get("sid").and_then(|s| s.parse::<i64>().ok()),
        )
    };
    let data = Resource::new(ids, |(room, session)| async move {
        match session {
            Some(session) => admin_session_attendance(room, session).await,
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="page">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(attendance)) => view! { <Attendance attendance /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(_) => view! { <AttendanceFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Attendance(attendance: SessionAttendance) -> impl IntoView {
    let i18n = use_i18n();
    let SessionAttendance {
        room,
        session,
        attendees,
        offset,
    } = attendance;
    let room_href = format!("/admin/rooms/{}", room.id);
    let csv = format!("{room_href}/sessions/{}/attendance.csv", session.id);
    let started = offset.short(session.started_at);
    let heading = {
        let started = started.clone();
        move || t_string!(i18n, admin_att_session_title, time = started.clone()).to_string()
    };
    let ended = session.ended_at.map(|ms| offset.short(ms));
    let end = session.end;
    let count = attendees.len();
    let any_restart = attendees.iter().any(|a| a.closed_at_restart);
    let rows = attendees
        .into_iter()
        .map(|person| view! { <AttendeeRow person offset /> })
        .collect_view();
    view! {
        <Title text=heading.clone() />
        <main class="page">
            <p><a href=room_href>{room.name.clone()}</a></p>
            <h1>{heading}</h1>
            <dl class="facts">
                <dt>{t!(i18n, class_name)}</dt>
                <dd>{room.name.clone()}</dd>
                <dt>{t!(i18n, admin_att_col_started)}</dt>
                <dd>{started}</dd>
                <dt>{t!(i18n, admin_att_col_ended)}</dt>
                <dd>{match ended {
                    Some(text) => text.into_any(),
                    None => view! { {t!(i18n, admin_att_ongoing)} }.into_any(),
                }}</dd>
                {end.map(|e| view! {
                    <dt>{t!(i18n, admin_att_col_end)}</dt>
                    <dd>{move || match e {
                        SessionEnd::Empty => t_string!(i18n, admin_att_end_empty),
                        SessionEnd::Ended => t_string!(i18n, admin_att_end_ended),
                        SessionEnd::Restart => t_string!(i18n, admin_att_end_restart),
                    }}</dd>
                })}
            </dl>
            <p><a href=csv download>{t!(i18n, admin_att_download_session)}</a></p>
            <p class="muted">{move || t_string!(i18n, admin_att_times_in, offset = offset.label()).to_string()}</p>
            {(count == 0).then(|| view! { <p>{t!(i18n, admin_att_no_participants)}</p> })}
            <div class="table-wrap">
                <table class="rooms attendance">
                    <caption>{move || t_string!(i18n, admin_att_participants_caption, count = count).to_string()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, admin_att_col_name)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_role)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_first_joined)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_last_left)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_present)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_stays)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_admission)}</th>
                            <th scope="col">{t!(i18n, admin_att_col_note)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {any_restart.then(|| view! {
                <p id="restart-note" class="restart-note"><span aria-hidden="true">"* "</span>{t!(i18n, admin_att_restart_note)}</p>
            })}
        </main>
    }
}

#[component]
fn AttendeeRow(person: Attendee, offset: UtcOffset) -> impl IntoView {
    let i18n = use_i18n();
    let Attendee {
        name,
        role,
        first_joined,
        last_left,
        present_ms,
        stays,
        outcome,
        closed_at_restart,
    } = person;
    let present = minutes(present_ms);
    view! {
        <tr class:denied={outcome == Outcome::Denied}>
            <th scope="row">{name}</th>
            <td>{move || match role {
                AttendeeRole::Teacher => t_string!(i18n, admin_att_role_teacher),
                AttendeeRole::Student => t_string!(i18n, admin_att_role_student),
            }}</td>
            <td>{offset.short(first_joined)}</td>
            <td>{match last_left {
                Some(ms) => offset.short(ms).into_any(),
                None => view! { {t!(i18n, admin_att_still_in)} }.into_any(),
            }}</td>
            <td>{move || t_string!(i18n, admin_att_minutes, minutes = present.clone()).to_string()}</td>
            <td>{stays}</td>
            <td>
                <span class=match outcome {
                    Outcome::Admitted => "badge",
                    Outcome::Denied | Outcome::AdmittedAndDenied => "badge badge-denied",
                }>{move || match outcome {
                    Outcome::Admitted => t_string!(i18n, admin_att_admitted),
                    Outcome::Denied => t_string!(i18n, admin_att_denied),
                    Outcome::AdmittedAndDenied => t_string!(i18n, admin_att_admitted_denied),
                }}</span>
            </td>
            <td>{closed_at_restart.then(|| view! {
                <span aria-describedby="restart-note">{t!(i18n, admin_att_restart_mark)}" *"</span>
            })}</td>
        </tr>
    }
}
