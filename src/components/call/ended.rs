//! After the call: left, full, refused or disconnected, with a way back in.

use leptos::prelude::*;

use super::controller::Controller;
use super::state::{CallState, EndReason, Phase};
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::ErrorCode;

/// Says why the call is over and offers to join again.
#[component]
pub fn Ended(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || match state.phase.get() {
        Phase::Ended(EndReason::RoomFull) => t_string!(i18n, room_full),
        Phase::Ended(EndReason::ConnectionLost) => t_string!(i18n, connection_lost),
        Phase::Ended(EndReason::JoinTimeout) => t_string!(i18n, join_timeout),
        Phase::Ended(EndReason::Refused(ErrorCode::RateLimited)) => t_string!(i18n, rate_limited),
        Phase::Ended(EndReason::Refused(ErrorCode::BadTeacherKey)) => {
            t_string!(i18n, bad_teacher_key)
        }
        Phase::Ended(EndReason::Refused(ErrorCode::UnknownRoom)) => t_string!(i18n, room_gone),
        Phase::Ended(EndReason::Refused(_)) => t_string!(i18n, join_refused),
        _ => t_string!(i18n, you_left),
    };

    // The button that ended the call is gone: focus the way back in.
    let again = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = again.get() {
            let _ = button.focus();
        }
    });
    let is_alert = move || matches!(state.phase.get(), Phase::Ended(_));
    view! {
        <div class="ended">
            {move || if is_alert() {
                view! { <p class="notice" role="alert">{message}</p> }.into_any()
            } else {
                view! { <p class="notice" role="status">{message}</p> }.into_any()
            }}
            <button type="button" class="primary" node_ref=again on:click=move |_| ctl.back_to_lobby(state)>{t!(i18n, join_again)}</button>
        </div>
    }
}
