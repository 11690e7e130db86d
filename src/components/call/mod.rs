//! The call on a room page: lobby first, then (for students) the waiting room, the call itself,
//! then what ended it.

#[cfg(feature = "hydrate")]
mod adapter;
mod chat;
mod chat_text;
mod clock;
mod confirm;
mod controller;
mod controls;
mod devices;
mod ended;
mod grid;
mod hands;
mod in_call;
mod lazy;
mod lobby;
mod news;
mod pager;
mod participants;
mod reconnecting;
mod screen_tile;
pub mod state;
mod teacher_tools;
mod tile;
mod toggle;
mod waiting;
mod waiting_room;

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

pub use controller::Controller;
use state::{CallState, Phase};

/// Everything below the room's title: lobby, waiting room, call, and the end screens.
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
        Phase::Waiting => Screen::Waiting,
        Phase::InCall => Screen::Call,
        Phase::Left | Phase::Ended(_) => Screen::Ended,
    });
    view! {
        <news::News state />
        <reconnecting::Reconnecting state />
        {move || match screen.get() {
            Screen::Lobby => view! { <lobby::Lobby state ctl /> }.into_any(),
            Screen::Waiting => view! { <waiting::Waiting state ctl /> }.into_any(),
            Screen::Call => view! {
                <Suspense>{move || Suspend::new(async move {
                    // Loaded by Join already; should it fail now, say so where the call would be.
                    match lazy::call_view(state, ctl).await {
                        Ok(call) => call,
                        Err(_) => view! { <p role="alert">{t!(i18n, connection_lost)}</p> }.into_any(),
                    }
                })}</Suspense>
            }
            .into_any(),
            Screen::Ended => view! { <ended::Ended state ctl /> }.into_any(),
        }}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Lobby,
    Waiting,
    Call,
    Ended,
}
