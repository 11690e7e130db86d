//! `/`: create a room and get its two links.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::rooms::{
    recently_created, CreateRoom, CreateRoomReply, CreatedRoom, NameProblem, MAX_ROOM_NAME_CHARS,
};
use crate::components::copy_field::CopyField;
use crate::i18n::{t, t_string, use_i18n};

/// The home page: a one-field form, then the links.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateRoom>::new();
    // After a form post without JavaScript the result comes back through a cookie or the query.
    let recent = Resource::new(|| (), |_| recently_created());
    let query = use_query_map();
    let problem = move || match create.value().get() {
        Some(Ok(CreateRoomReply::Invalid(p))) => Some(p),
        Some(_) => None,
        None => match query.read().get("problem").as_deref() {
            Some("empty") => Some(NameProblem::Empty),
            Some("too_long") => Some(NameProblem::TooLong),
            _ => None,
        },
    };
    let failed = move || matches!(create.value().get(), Some(Err(_)));
    let limited = move || match create.value().get() {
        Some(reply) => matches!(reply, Ok(CreateRoomReply::RateLimited)),
        None => query.read().get("problem").as_deref() == Some("rate_limited"),
    };
    let created = move || match create.value().get() {
        Some(Ok(CreateRoomReply::Created(room))) => Some(room),
        _ => recent.get().and_then(Result::ok).flatten(),
    };

    view! {
        <Title text=move || t_string!(i18n, home_title).to_string() />
        <main class="page narrow">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_lead)}</p>
            <ActionForm action=create attr:class="create-form" attr:novalidate=true>
                <div class="field">
                    <label for="class-name">{t!(i18n, class_name)}</label>
                    <input
                        id="class-name"
                        name="name"
                        type="text"
                        maxlength=MAX_ROOM_NAME_CHARS
                        placeholder=move || t_string!(i18n, class_name_placeholder)
                        aria-invalid=move || problem().is_some().to_string()
                        aria-describedby="class-name-error"
                    />
                    <p id="class-name-error" class="error" role="alert">
                        {move || problem().map(|p| match p {
                            NameProblem::Empty => t_string!(i18n, class_name_empty),
                            NameProblem::TooLong => t_string!(i18n, class_name_too_long),
                        })}
                        {move || failed().then(|| t_string!(i18n, create_failed))}
                        {move || limited().then(|| t_string!(i18n, create_rate_limited))}
                    </p>
                </div>
                <div class="check">
                    <input id="auto-admit" name="auto_admit" type="checkbox" aria-describedby="auto-admit-hint" />
                    <label for="auto-admit">{t!(i18n, auto_admit)}</label>
                    <p id="auto-admit-hint" class="hint">{t!(i18n, auto_admit_hint)}</p>
                </div>
                <button type="submit" class="primary" disabled=move || create.pending().get()>
                    {t!(i18n, create_room)}
                </button>
            </ActionForm>
            <Suspense>{move || created().map(|room| view! { <Links room /> })}</Suspense>
        </main>
    }
}

#[component]
fn Links(room: CreatedRoom) -> impl IntoView {
    let i18n = use_i18n();
    let teacher_link = room.teacher_link.clone();
    let name = room.name.clone();
    view! {
        <section class="card created" aria-labelledby="created-heading">
            <h2 id="created-heading">{move || t_string!(i18n, room_ready, name = name.clone()).to_string()}</h2>
            <CopyField
                id="student-link"
                label=Signal::derive(move || t_string!(i18n, student_link).to_string())
                copy_label=Signal::derive(move || t_string!(i18n, copy_student_link).to_string())
                value=room.student_link
                hint=Signal::derive(move || t_string!(i18n, student_link_hint).to_string())
            />
            <CopyField
                id="teacher-link"
                label=Signal::derive(move || t_string!(i18n, teacher_link).to_string())
                copy_label=Signal::derive(move || t_string!(i18n, copy_teacher_link).to_string())
                value=room.teacher_link
                hint=Signal::derive(move || t_string!(i18n, teacher_link_hint).to_string())
            />
            <p><a class="button" href=teacher_link>{t!(i18n, open_as_teacher)}</a></p>
        </section>
    }
}
