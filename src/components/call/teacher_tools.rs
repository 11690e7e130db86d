//! Teachers: the class-wide switches and actions.

use leptos::prelude::*;

use super::confirm::ConfirmButton;
use super::controller::Controller;
use super::state::{CallState, Command};
use super::toggle::Toggle;
use crate::i18n::{t, t_string, use_i18n};
use crate::protocol::{Settings, SettingsChange};

/// The "Class controls" region: Mute all students, the locks, chat and screen-share permissions,
/// class mode (video through the server's media peer; it cannot be turned back for the session, so
/// the switch locks once on), and End class for everyone (asked twice).
#[component]
pub fn TeacherTools(state: CallState, ctl: Controller) -> impl IntoView {
    let i18n = use_i18n();
    let setting =
        move |read: fn(&Settings) -> bool| Signal::derive(move || state.settings.with(read));
    let send = move |change: SettingsChange| ctl.send(Command::Settings(change));
    view! {
        <section class="panel teacher-tools" aria-labelledby="tools-heading">
            <h2 id="tools-heading">{t!(i18n, class_controls)}</h2>
            <div class="tool-list">
                <button type="button" on:click=move |_| ctl.send(Command::MuteAll)>{t!(i18n, mute_all)}</button>
                <Toggle
                    label=Signal::derive(move || t_string!(i18n, lock_mics).to_string())
                    on=setting(|s| s.mics_locked)
                    set=move |on| send(SettingsChange { mics_locked: Some(on), ..Default::default() })
                />
                <Toggle
                    label=Signal::derive(move || t_string!(i18n, lock_room).to_string())
                    on=setting(|s| s.room_locked)
                    set=move |on| send(SettingsChange { room_locked: Some(on), ..Default::default() })
                />
                // Shown as permission ("students may chat"), stored as a lock.
                <Toggle
                    label=Signal::derive(move || t_string!(i18n, students_may_chat).to_string())
                    on=setting(|s| !s.chat_locked)
                    set=move |on| send(SettingsChange { chat_locked: Some(!on), ..Default::default() })
                />
                <Toggle
                    label=Signal::derive(move || t_string!(i18n, students_may_share).to_string())
                    on=setting(|s| s.students_may_share)
                    set=move |on| send(SettingsChange { students_may_share: Some(on), ..Default::default() })
                />
                <Toggle
                    label=Signal::derive(move || t_string!(i18n, class_mode).to_string())
                    on=setting(|s| s.class_mode)
                    set=move |on| send(SettingsChange { class_mode: Some(on), ..Default::default() })
                    described_by="class-mode-hint"
                    locked=setting(|s| s.class_mode)
                />
                <p id="class-mode-hint" class="hint">{t!(i18n, class_mode_hint)}</p>
                <ConfirmButton
                    id="end-class".to_string()
                    class="danger"
                    label=Signal::derive(move || t_string!(i18n, end_class).to_string())
                    question=Signal::derive(move || t_string!(i18n, end_class_question).to_string())
                    on_confirm=move || ctl.send(Command::EndClass)
                />
            </div>
        </section>
    }
}
