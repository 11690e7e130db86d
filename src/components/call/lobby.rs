//! Before joining: your name, a live preview, device choice.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::controller::Controller;
use super::devices::DevicePickers;
use super::state::{CallState, MediaProblem, Phase};
use super::tile::{Tile, Who};
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{clean_name, MAX_NAME_CHARS};

/// The lobby form.
#[component]
pub fn Lobby(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(false);
    let teacher = RwSignal::new(false);
    // Browser only: camera preview and the teacher-link check.
    Effect::new(move |_| {
        teacher.set(ctl.is_teacher_link());
        ctl.open_preview(state);
    });
    // Browser only: once a name is being typed, open the signaling connection ahead of Join.
    Effect::new(move |_| {
        if !name.get().trim().is_empty() {
            ctl.warm_up();
        }
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
                    <p class="note">{t!(i18n, joining_as_teacher)}</p>
                </Show>
                {move || state.media_problem.get().map(|p| view! {
                    <p class="notice" role="status">
                        {move || match p {
                            MediaProblem::Partial => t_string!(i18n, media_partial),
                            MediaProblem::Denied => t_string!(i18n, media_denied),
                            MediaProblem::Unavailable => t_string!(i18n, media_unavailable),
                        }}
                    </p>
                })}
                <div class="field">
                    <label for="your-name">{t!(i18n, your_name)}</label>
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
                        {move || name_error.get().then(|| t_string!(i18n, name_invalid))}
                    </p>
                </div>
                <DevicePickers state ctl />
                <button type="submit" class="primary" disabled=move || joining() || !state.ready.get()>
                    {move || if joining() { t_string!(i18n, joining) } else { t_string!(i18n, join) }}
                </button>
                <noscript><p class="notice">{t!(i18n, needs_js)}</p></noscript>
            </div>
        </form>
    }
    .into_any()
}
