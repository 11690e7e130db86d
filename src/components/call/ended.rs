//! After the call: left, ended by a teacher, refused or disconnected, with a way back in where
//! there is one.

use leptos::prelude::*;

use super::controller::Controller;
use super::state::{CallState, EndReason, Phase};
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::ErrorCode;

/// Says why the call is over and offers to join again (not after the class ended or the room was
/// deleted: there is nothing to join then).
#[component]
pub fn Ended(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let reason = move || match state.phase.get() {
        Phase::Ended(reason) => Some(reason),
        _ => None,
    };
    let message = move || match reason() {
        Some(EndReason::RoomFull) => t_string!(i18n, room_full).to_string(),
        Some(EndReason::RoomLocked) => t_string!(i18n, room_locked).to_string(),
        Some(EndReason::TryLater) => t_string!(i18n, try_later).to_string(),
        Some(EndReason::ConnectionLost) => t_string!(i18n, connection_lost).to_string(),
        Some(EndReason::JoinTimeout) => t_string!(i18n, join_timeout).to_string(),
        Some(EndReason::Removed { .. }) => t_string!(i18n, removed).to_string(),
        Some(EndReason::Denied { .. }) => t_string!(i18n, denied).to_string(),
        Some(EndReason::ClassEnded { .. }) => t_string!(i18n, class_ended).to_string(),
        Some(EndReason::RoomDeleted) => t_string!(i18n, admin_action_room_deleted).to_string(),
        Some(EndReason::Refused(ErrorCode::RateLimited)) => {
            t_string!(i18n, rate_limited).to_string()
        }
        Some(EndReason::Refused(ErrorCode::BadTeacherKey)) => {
            t_string!(i18n, bad_teacher_key).to_string()
        }
        Some(EndReason::Refused(ErrorCode::UnknownRoom)) => t_string!(i18n, room_gone).to_string(),
        Some(EndReason::Refused(_)) => t_string!(i18n, join_refused).to_string(),
        None => t_string!(i18n, you_left).to_string(),
    };
    let can_rejoin = move || {
        !matches!(
            reason(),
            Some(EndReason::ClassEnded { .. } | EndReason::RoomDeleted)
        )
    };

    // The button that ended the call is gone: focus the way back in.
    let again = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = again.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="ended">
            {move || if reason().is_some() {
                view! { <p class="notice" role="alert">{message}</p> }.into_any()
            } else {
                view! { <p class="notice" role="status">{message}</p> }.into_any()
            }}
            <Show
                when=can_rejoin
                fallback=move || view! { <a class="button" href="/">{t!(i18n, create_new_room)}</a> }
            >
                <button type="button" class="primary" node_ref=again on:click=move |_| ctl.back_to_lobby(state)>
                    {t!(i18n, join_again)}
                </button>
            </Show>
        </div>
    }
}
