//! One room's administrator actions — End class, Reopen, New teacher link, Delete — and the notice
//! that says what the last one did. Every action is a plain form posted to its server function,
//! so each works without JavaScript too (the browser is sent back to the page it came from; a new
//! teacher link goes to the home page, which shows it once). Delete asks first: its form is inside
//! a `<details>` disclosure and needs a ticked "Yes, delete …" checkbox, which the browser
//! requires before posting and the server requires before deleting anything.

use leptos::prelude::*;

use crate::api::admin_actions::{
    ActionReply, AdminDeleteRoom, AdminEndClass, AdminNewTeacherLink, AdminReopenRoom,
};
use crate::api::admin_rooms::RoomStatus;
use crate::components::copy_field::CopyField;
use crate::i18n::{t, t_string, use_i18n};

/// What an action on a room did: its reply, or `None` when it failed.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionNote {
    pub room_name: String,
    pub reply: Option<ActionReply>,
}

/// The buttons for room `id` (named `name`, in `status`); `on_done` hears each result, to refresh
/// the page and show an [`ActionNotice`].
#[component]
pub fn RoomActions(
    id: String,
    name: String,
    status: RoomStatus,
    on_done: Callback<ActionNote>,
) -> impl IntoView {
    let i18n = use_i18n();
    let end = ServerAction::<AdminEndClass>::new();
    let reopen = ServerAction::<AdminReopenRoom>::new();
    let new_link = ServerAction::<AdminNewTeacherLink>::new();
    let delete = ServerAction::<AdminDeleteRoom>::new();
    let report = {
        let name = name.clone();
        move |value: Option<Result<ActionReply, ServerFnError>>| {
            if let Some(result) = value {
                on_done.run(ActionNote {
                    room_name: name.clone(),
                    reply: result.ok(),
                });
            }
        }
    };
    for value in [
        end.value(),
        reopen.value(),
        new_link.value(),
        delete.value(),
    ] {
        let report = report.clone();
        Effect::new(move |_| report(value.get()));
    }
    let busy = move || {
        end.pending().get()
            || reopen.pending().get()
            || new_link.pending().get()
            || delete.pending().get()
    };
    let open = status != RoomStatus::Ended;
    let confirm_id = format!("delete-{id}");
    let room_field = |id: &str| {
        let id = id.to_string();
        view! { <input type="hidden" name="room" value=id /> }
    };
    let (id_a, id_b, id_c, id_d) = (id.clone(), id.clone(), id.clone(), id);
    let question = {
        let name = name.clone();
        move || t_string!(i18n, admin_action_delete_confirm, name = name.clone()).to_string()
    };
    view! {
        <div class="room-actions" role="group" aria-label=name>
            {open.then(|| view! {
                <ActionForm action=end>
                    {room_field(&id_a)}
                    <button type="submit" disabled=busy>{t!(i18n, admin_action_end)}</button>
                </ActionForm>
                <ActionForm action=new_link>
                    {room_field(&id_b)}
                    <button type="submit" disabled=busy>{t!(i18n, admin_action_new_link)}</button>
                </ActionForm>
            })}
            {(!open).then(|| view! {
                <ActionForm action=reopen>
                    {room_field(&id_c)}
                    <button type="submit" disabled=busy>{t!(i18n, admin_action_reopen)}</button>
                </ActionForm>
            })}
            <details class="delete-room">
                <summary>{t!(i18n, admin_action_delete)}</summary>
                <ActionForm action=delete>
                    {room_field(&id_d)}
                    <div class="check">
                        <input id=confirm_id.clone() name="confirm" type="checkbox" value="true" required=true />
                        <label for=confirm_id>{question}</label>
                    </div>
                    <button type="submit" class="danger" disabled=busy>
                        {t!(i18n, admin_action_delete_button)}
                    </button>
                </ActionForm>
            </details>
        </div>
    }
}

/// Says what the last action did (a polite status, or an alert when it failed); a new teacher
/// link is shown here, once, with a copy button. It takes the focus, since the button that was
/// pressed is usually gone from the refreshed list.
#[component]
pub fn ActionNotice(note: Signal<Option<ActionNote>>) -> impl IntoView {
    let i18n = use_i18n();
    let region = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if note.get().is_some() {
            if let Some(region) = region.get() {
                let _ = region.focus();
            }
        }
    });
    let said = move || {
        let ActionNote {
            room_name: name,
            reply,
        } = note.get()?;
        Some(match reply? {
            ActionReply::Ended { disconnected } => {
                t_string!(i18n, admin_action_ended, name = name, count = disconnected).to_string()
            }
            ActionReply::AlreadyEnded => {
                t_string!(i18n, admin_action_already_ended, name = name).to_string()
            }
            ActionReply::Reopened => {
                t_string!(i18n, admin_action_reopened, name = name).to_string()
            }
            ActionReply::AlreadyOpen => {
                t_string!(i18n, admin_action_already_open, name = name).to_string()
            }
            ActionReply::Deleted { disconnected } => t_string!(
                i18n,
                admin_action_deleted,
                name = name,
                count = disconnected
            )
            .to_string(),
            ActionReply::NewTeacherLink { .. } => {
                t_string!(i18n, admin_action_new_link_done, name = name).to_string()
            }
        })
    };
    let failed = move || {
        note.get()
            .filter(|n| n.reply.is_none())
            .map(|n| t_string!(i18n, admin_action_failed, name = n.room_name).to_string())
    };
    let link = move || match note.get()?.reply? {
        ActionReply::NewTeacherLink { teacher_link } => Some(teacher_link),
        _ => None,
    };
    view! {
        <div class="action-notice" tabindex="-1" node_ref=region>
            <p role="status">{said}</p>
            <p role="alert" class="error">{failed}</p>
            {move || link().map(|value| view! {
                <CopyField
                    id="new-teacher-link"
                    label=Signal::derive(move || t_string!(i18n, teacher_link).to_string())
                    copy_label=Signal::derive(move || t_string!(i18n, copy_teacher_link).to_string())
                    value
                    hint=Signal::derive(move || t_string!(i18n, teacher_link_hint).to_string())
                />
            })}
        </div>
    }
}
