//! The call's news line: a visible `role="status"` region (read out by screen readers) with the
//! latest thing that happened, worded in the page's language.

use leptos::prelude::*;

use super::state::{Announcement, CallState};
use crate::i18n::{t_string, use_i18n};
use crate::protocol::ErrorCode;

/// The latest announcement, e.g. "Muted by Kim".
#[component]
pub fn News(state: CallState) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        state.announcement.get().map(|news| match news {
            Announcement::Joined(name) => t_string!(i18n, announce_joined, name = name).to_string(),
            Announcement::Left(name) => t_string!(i18n, announce_left, name = name).to_string(),
            Announcement::MicOn => t_string!(i18n, announce_mic_on).to_string(),
            Announcement::MicOff => t_string!(i18n, announce_mic_off).to_string(),
            Announcement::CameraOn => t_string!(i18n, announce_camera_on).to_string(),
            Announcement::CameraOff => t_string!(i18n, announce_camera_off).to_string(),
            Announcement::DeviceFailed => t_string!(i18n, announce_device_failed).to_string(),
            Announcement::MutedBy(Some(name)) => t_string!(i18n, muted_by, name = name).to_string(),
            Announcement::MutedBy(None) => t_string!(i18n, muted_by_teacher).to_string(),
            Announcement::MaySpeak => t_string!(i18n, announce_may_speak).to_string(),
            Announcement::WordTaken(Some(name)) => {
                t_string!(i18n, word_taken_by, name = name).to_string()
            }
            Announcement::WordTaken(None) => t_string!(i18n, word_taken).to_string(),
            Announcement::HandLowered => t_string!(i18n, announce_hand_lowered).to_string(),
            Announcement::Knocked(name) => t_string!(i18n, announce_knock, name = name).to_string(),
            Announcement::HandRaised(name) => {
                t_string!(i18n, announce_hand, name = name).to_string()
            }
            Announcement::ShareStarted => t_string!(i18n, announce_share_started).to_string(),
            Announcement::ShareStopped => t_string!(i18n, announce_share_stopped).to_string(),
            Announcement::ShareFailed => t_string!(i18n, announce_share_failed).to_string(),
            Announcement::Refused(ErrorCode::RateLimited) => {
                t_string!(i18n, rate_limited).to_string()
            }
            Announcement::Refused(_) => t_string!(i18n, announce_forbidden).to_string(),
            Announcement::Reconnecting => t_string!(i18n, announce_reconnecting).to_string(),
            Announcement::Reconnected => t_string!(i18n, announce_reconnected).to_string(),
        })
    };
    view! {
        <p class="news" role="status" aria-live="polite" class:empty={move || text().is_none()}>{text}</p>
    }
}
