//! After the call: left, full, refused or disconnected, with a way back in.

use leptos::prelude::*;

use super::controller::Controller;
use super::state::{CallState, EndReason, Phase};
use crate::protocol::ErrorCode;

/// Says why the call is over and offers to join again.
#[component]
pub fn Ended(state: CallState, ctl: Controller) -> impl IntoView {
    let message = move || match state.phase.get() {
        Phase::Ended(EndReason::RoomFull) => "This room is full. Try again when someone leaves.",
        Phase::Ended(EndReason::ConnectionLost) => "The connection to the class was lost.",
        Phase::Ended(EndReason::Refused(ErrorCode::BadTeacherKey)) => {
            "This teacher link is not valid for the room."
        }
        Phase::Ended(EndReason::Refused(ErrorCode::UnknownRoom)) => "This room no longer exists.",
        Phase::Ended(EndReason::Refused(_)) => "The class could not be joined.",
        _ => "You left the class.",
    };
    let is_alert = move || matches!(state.phase.get(), Phase::Ended(_));
    view! {
        <div class="ended">
            {move || if is_alert() {
                view! { <p class="notice" role="alert">{message}</p> }.into_any()
            } else {
                view! { <p class="notice" role="status">{message}</p> }.into_any()
            }}
            <button type="button" class="primary" on:click=move |_| ctl.back_to_lobby(state)>"Join again"</button>
        </div>
    }
}
