//! Before joining: your name, a live preview, device choice.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::controller::Controller;
use super::devices::DevicePickers;
use super::state::{CallState, MediaProblem, Phase};
use super::tile::{Tile, Who};
use crate::protocol::{clean_name, MAX_NAME_CHARS};

/// The lobby form.
#[component]
pub fn Lobby(state: CallState, ctl: Controller) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(false);
    let teacher = RwSignal::new(false);
    // Browser only: camera preview and the teacher-link check.
    Effect::new(move |_| {
        teacher.set(ctl.is_teacher_link());
        ctl.open_preview(state);
    });
    let join = move |ev: SubmitEvent| {
        ev.prevent_default();
        match clean_name(&name.get_untracked()) {
            Some(clean) => {
                name_error.set(false);
                ctl.join(state, clean);
            }
            None => name_error.set(true),
        }
    };
    let joining = move || state.phase.get() == Phase::Joining;
    view! {
        <form class="lobby" on:submit=join novalidate>
            <div class="preview">
                <Tile state who=Who::Me />
            </div>
            <div class="lobby-fields">
                <Show when=move || teacher.get()>
                    <p class="note">"You are joining as the teacher."</p>
                </Show>
                {move || state.media_problem.get().map(|p| view! {
                    <p class="notice" role="status">{problem_text(p)}</p>
                })}
                <div class="field">
                    <label for="your-name">"Your name"</label>
                    <input
                        id="your-name"
                        name="name"
                        type="text"
                        autocomplete="name"
                        maxlength=MAX_NAME_CHARS
                        aria-invalid=move || name_error.get().to_string()
                        aria-describedby="your-name-error"
                        bind:value=name
                    />
                    <p id="your-name-error" class="error" role="alert">
                        {move || name_error.get().then_some("Enter a name of 1 to 40 characters.")}
                    </p>
                </div>
                <DevicePickers state ctl />
                <button type="submit" class="primary" disabled=move || joining() || !state.ready.get()>
                    {move || if joining() { "Joining…" } else { "Join" }}
                </button>
                <noscript><p class="notice">"The call needs JavaScript. Please turn it on and reload."</p></noscript>
            </div>
        </form>
    }
}

fn problem_text(problem: MediaProblem) -> &'static str {
    match problem {
        MediaProblem::Partial => "Only one of camera and microphone could be opened. You can still join.",
        MediaProblem::Denied => "Camera and microphone are blocked. You can still join to watch and listen; allow them in the browser's site settings to be seen and heard.",
        MediaProblem::Unavailable => "No camera or microphone could be opened. You can still join to watch and listen.",
    }
}
