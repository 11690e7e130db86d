//! The call on a room page: lobby first, then the call itself, then what ended it.

mod controller;
mod controls;
mod devices;
mod ended;
mod lobby;
mod participants;
pub mod state;
mod tile;

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
pub use controller::Controller;
use state::{Announcement, CallState, Phase};

/// Everything below the room's title: lobby, call, and the end screens.
#[component]
pub fn Call(room_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let state = CallState::new();
    let ctl = Controller::new(room_id);
    // Leaving the page (or the route) leaves the call and frees camera and microphone.
    on_cleanup(move || ctl.close(state));
    // Memoized so that Lobby -> Joining keeps the same lobby (a new one would reopen the camera
    // and stop the tracks the call just took over).
    let screen = Memo::new(move |_| match state.phase.get() {
        Phase::Lobby | Phase::Joining => Screen::Lobby,
        Phase::InCall => Screen::Call,
        Phase::Left | Phase::Ended(_) => Screen::Ended,
    });
    view! {
        <div class="sr-only" role="status" aria-live="polite">
            {move || state.announcement.get().map(|news| match news {
                Announcement::Joined(name) => t_string!(i18n, announce_joined, name = name).to_string(),
                Announcement::Left(name) => t_string!(i18n, announce_left, name = name).to_string(),
                Announcement::MicOn => t_string!(i18n, announce_mic_on).to_string(),
                Announcement::MicOff => t_string!(i18n, announce_mic_off).to_string(),
                Announcement::CameraOn => t_string!(i18n, announce_camera_on).to_string(),
                Announcement::CameraOff => t_string!(i18n, announce_camera_off).to_string(),
                Announcement::DeviceFailed => t_string!(i18n, announce_device_failed).to_string(),
            })}
        </div>
        {move || match screen.get() {
            Screen::Lobby => view! { <lobby::Lobby state ctl /> }.into_any(),
            Screen::Call => view! { <InCall state ctl /> }.into_any(),
            Screen::Ended => view! { <ended::Ended state ctl /> }.into_any(),
        }}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Lobby,
    Call,
    Ended,
}

/// The tiles, the controls and the participant list.
#[component]
fn InCall(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || state.peers.with(Vec::len) + 1;
    view! {
        <div class="call">
            <section class="stage" aria-label=move || t_string!(i18n, video_region)>
                <div class="tiles" class:has-enlarged={move || state.enlarged.get().is_some()} data-count=count>
                    <tile::Tile state who=tile::Who::Me in_call=true />
                    <For each=move || state.peers.get() key=|p| p.id let:peer>
                        <tile::Tile state who=tile::Who::Peer(peer.id) in_call=true />
                    </For>
                </div>
            </section>
            <participants::Participants state />
            <controls::Controls state ctl />
        </div>
    }
}
