//! The administrator's actions on one room: end the class, reopen, delete, a new teacher link.
//! Each answers 401 without a live administrator session, 404 for a room that does not exist, and
//! is safe to repeat (ending an ended room or reopening an open one says so and changes nothing).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an action did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionReply {
    /// The class ended; this many connections (admitted or waiting) were ended with it.
    Ended {
        disconnected: u32,
    },
    /// It had already ended: nothing changed.
    AlreadyEnded,
    Reopened,
    /// It was open: nothing changed.
    AlreadyOpen,
    /// The room and everything kept about it are gone.
    Deleted {
        disconnected: u32,
    },
    /// The new teacher link, shown this once: only its hash is kept.
    NewTeacherLink {
        teacher_link: String,
    },
}

/// Ends the class for everyone in the room, as its teacher would, and closes the room.
#[server]
pub async fn admin_end_class(room: String) -> Result<ActionReply, ServerFnError> {
    use crate::server::{admin, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    let row = support::existing_room(&state, &room).await?;
    if row.closed_at.is_some() {
        return Ok(ActionReply::AlreadyEnded);
    }
    let disconnected = state.hub.end_class(&room);
    // The room closes through its record: wait for it, so the list read next shows it ended.
    state.hub.recorder().flush().await;
    tracing::info!(room = %room, disconnected, "the administrator ended the class");
    Ok(ActionReply::Ended {
        disconnected: support::count(disconnected),
    })
}

/// Opens an ended room again: its links work as before.
#[server]
pub async fn admin_reopen_room(room: String) -> Result<ActionReply, ServerFnError> {
    use crate::server::{admin, store, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    support::existing_room(&state, &room).await?;
    // A teacher's end may still be on its way to the database: let it land first, or it would
    // close the room again right after this reopens it.
    state.hub.recorder().flush().await;
    let reopened = store::reopen_room(&state.pool, &room)
        .await
        .map_err(support::failed)?;
    state.room_pages.forget(&room);
    // Forget it after the row is open: a join in between is refused, never let into a closed room.
    state.hub.reopen(&room);
    if !reopened {
        return Ok(ActionReply::AlreadyOpen);
    }
    tracing::info!(room = %room, "the administrator reopened the room");
    Ok(ActionReply::Reopened)
}

/// Deletes the room with its chat, hand events and attendance, after sending everyone in it off.
/// `confirm` must be true (the form's "Yes, delete" checkbox): without it nothing is deleted and
/// the answer is 400.
#[server]
pub async fn admin_delete_room(
    room: String,
    #[server(default)] confirm: bool,
) -> Result<ActionReply, ServerFnError> {
    use crate::server::{admin, store, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    if !confirm {
        support::status(axum::http::StatusCode::BAD_REQUEST);
        return Err(ServerFnError::new(
            "deleting a room needs confirm=true; nothing was deleted",
        ));
    }
    support::existing_room(&state, &room).await?;
    let disconnected = state.hub.delete_room(&room);
    // The attendance of those just sent off is written before their rows go.
    state.hub.recorder().flush().await;
    store::delete_room(&state.pool, &room)
        .await
        .map_err(support::failed)?;
    state.room_pages.forget(&room);
    tracing::info!(room = %room, disconnected, "the administrator deleted the room");
    Ok(ActionReply::Deleted {
        disconnected: support::count(disconnected),
    })
}

/// Gives the room a new teacher key: the old teacher link stops letting anyone in as the teacher,
/// and the new link is in the reply, once (only its hash is stored). A form posted without
/// JavaScript is sent to the home page, which shows the links once, as after creating a room.
#[server]
pub async fn admin_new_teacher_link(room: String) -> Result<ActionReply, ServerFnError> {
    use crate::server::{admin, secret, store, web, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    let row = support::existing_room(&state, &room).await?;
    let key = secret::teacher_key();
    let hash = secret::hash(&key);
    if !store::set_teacher_key_hash(&state.pool, &room, &hash)
        .await
        .map_err(support::failed)?
    {
        return Err(support::unknown_room());
    }
    state.hub.set_teacher_key(&room, &hash);
    tracing::info!(room = %room, "the administrator made a new teacher link");
    let links = web::links_for_request(&state, &row.id, &row.name, &key);
    web::flash_created(&state, &row.id, &key);
    Ok(ActionReply::NewTeacherLink {
        teacher_link: links.teacher_link,
    })
}

#[cfg(feature = "ssr")]
mod support {
    use axum::http::StatusCode;
    use leptos::prelude::*;

    use crate::server::store::{self, RoomRow};
    use crate::server::AppState;

    /// The room `id`, or a 404 error.
    pub async fn existing_room(state: &AppState, id: &str) -> Result<RoomRow, ServerFnError> {
        store::find_room(&state.pool, id)
            .await
            .map_err(failed)?
            .ok_or_else(unknown_room)
    }

    pub fn unknown_room() -> ServerFnError {
        status(StatusCode::NOT_FOUND);
        ServerFnError::new("no room with this id")
    }

    pub fn failed(e: sqlx::Error) -> ServerFnError {
        tracing::error!(error = %e, "an administrator action failed");
        ServerFnError::new("the action could not be done; try again")
    }

    pub fn status(code: StatusCode) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(code);
        }
    }

    pub fn count(n: usize) -> u32 {
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}
