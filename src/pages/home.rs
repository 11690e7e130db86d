//! `/`: create a room and get its two links.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::rooms::{
    recently_created, CreateRoom, CreateRoomReply, CreatedRoom, NameProblem, MAX_ROOM_NAME_CHARS,
};
use crate::components::copy_field::CopyField;

/// The home page: a one-field form, then the links.
#[component]
pub fn HomePage() -> impl IntoView {
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
    let created = move || match create.value().get() {
        Some(Ok(CreateRoomReply::Created(room))) => Some(room),
        _ => recent.get().and_then(Result::ok).flatten(),
    };

    view! {
        <Title text="Create a room" />
        <main class="page narrow">
            <h1>"Classroom"</h1>
            <p class="lead">"Create a room for your class, then send the student link to your students."</p>
            <ActionForm action=create attr:class="create-form" attr:novalidate=true>
                <div class="field">
                    <label for="class-name">"Class name"</label>
                    <input
                        id="class-name"
                        name="name"
                        type="text"
                        maxlength=MAX_ROOM_NAME_CHARS
                        placeholder="e.g. Math 3-1"
                        aria-invalid=move || problem().is_some().to_string()
                        aria-describedby="class-name-error"
                    />
                    <p id="class-name-error" class="error" role="alert">
                        {move || problem().map(|p| match p {
                            NameProblem::Empty => "Enter a class name.",
                            NameProblem::TooLong => "The class name can have at most 100 characters.",
                        })}
                        {move || failed().then_some("The room could not be created. Please try again.")}
                    </p>
                </div>
                <button type="submit" class="primary" disabled=move || create.pending().get()>
                    "Create room"
                </button>
            </ActionForm>
            <Suspense>{move || created().map(|room| view! { <Links room /> })}</Suspense>
        </main>
    }
}

#[component]
fn Links(room: CreatedRoom) -> impl IntoView {
    let teacher_link = room.teacher_link.clone();
    view! {
        <section class="card created" aria-labelledby="created-heading">
            <h2 id="created-heading">{format!("“{}” is ready", room.name)}</h2>
            <CopyField
                id="student-link"
                label="Student link"
                copy_label="Copy student link"
                value=room.student_link
                hint="Send this link to your students."
            />
            <CopyField
                id="teacher-link"
                label="Teacher link"
                copy_label="Copy teacher link"
                value=room.teacher_link
                hint="Keep this one to yourself: whoever opens it joins as the teacher."
            />
            <p><a class="button" href=teacher_link>"Open the room as teacher"</a></p>
        </section>
    }
}
