//! The call itself: shared screens and tiles, the side panels, and the controls.

use leptos::prelude::*;

use super::chat::Chat;
use super::controller::Controller;
use super::controls::Controls;
use super::grid::Grid;
use super::hands::Hands;
use super::participants::Participants;
use super::screen_tile::Screens;
use super::state::CallState;
use super::teacher_tools::TeacherTools;
use super::waiting_room::WaitingRoom;
use crate::i18n::{t_string, use_i18n};

/// Stage on the left, panels on the right (teachers get the waiting room, raised hands and class
/// controls first), controls at the bottom.
#[component]
pub fn InCall(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let teacher = move || state.is_teacher();
    view! {
        <div class="call">
            <section class="stage" aria-label=move || t_string!(i18n, video_region)>
                <Screens state />
                <Grid state ctl />
            </section>
            <div class="side">
                <Show when=teacher>
                    <WaitingRoom state ctl />
                    <Hands state ctl />
                </Show>
                <Participants state ctl />
                <Chat state ctl />
                <Show when=teacher>
                    <TeacherTools state ctl />
                </Show>
            </div>
            <Controls state ctl />
        </div>
    }
}
