//! Creating rooms and looking them up.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Longest class name, in characters, after trimming.
pub const MAX_ROOM_NAME_CHARS: usize = 100;

/// A room as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomInfo {
    pub id: String,
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// The two links of a freshly created room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedRoom {
    pub name: String,
    pub student_link: String,
    /// Carries the teacher key in the fragment (`#teacher=…`), which browsers never send to the
    /// server, so it cannot end up in access logs or Referer headers.
    pub teacher_link: String,
}

/// What is wrong with a class name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameProblem {
    Empty,
    TooLong,
}

/// Outcome of [`create_room`]: bad input is an answer, not a failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CreateRoomReply {
    Created(CreatedRoom),
    Invalid(NameProblem),
}

/// Checks a class name: trimmed, no control characters, 1 to 100 characters.
pub fn check_room_name(raw: &str) -> Result<String, NameProblem> {
    let name: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    match name.chars().count() {
        0 => Err(NameProblem::Empty),
        n if n > MAX_ROOM_NAME_CHARS => Err(NameProblem::TooLong),
        _ => Ok(name),
    }
}

/// Stores a new room and returns its student and teacher links.
#[server]
pub async fn create_room(name: String) -> Result<CreateRoomReply, ServerFnError> {
    use crate::server::{secret, store, AppState};
    let state = expect_context::<AppState>();
    let name = match check_room_name(&name) {
        Ok(name) => name,
        Err(problem) => {
            crate::server::web::flash_problem(problem);
            return Ok(CreateRoomReply::Invalid(problem));
        }
    };
    let (id, key) = (secret::room_id(), secret::teacher_key());
    store::create_room(&state.pool, &id, &name, &secret::hash(&key))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "storing a room failed");
            ServerFnError::new("the room could not be stored; try again")
        })?;
    tracing::info!(room = %id, "room created");
    let created = crate::server::web::links(&state, &id, &name, &key);
    crate::server::web::flash_created(&id, &key);
    Ok(CreateRoomReply::Created(created))
}

/// The open room with this id, or `None` (the page then answers 404).
#[server]
pub async fn find_room(id: String) -> Result<Option<RoomInfo>, ServerFnError> {
    use crate::server::{store, AppState};
    let state = expect_context::<AppState>();
    let row = store::open_room(&state.pool, &id).await.map_err(|e| {
        tracing::error!(error = %e, "room lookup failed");
        ServerFnError::new("the room could not be looked up")
    })?;
    Ok(row.map(|r| RoomInfo {
        id: r.id,
        name: r.name,
        created_at: r.created_at,
    }))
}

/// The room this browser created in the last minutes, for pages rendered without JavaScript
/// (the form's answer travels in an HttpOnly cookie, never in the URL).
#[server]
pub async fn recently_created() -> Result<Option<CreatedRoom>, ServerFnError> {
    use crate::server::{secret, store, AppState};
    let state = expect_context::<AppState>();
    let Some((id, key)) = crate::server::web::read_flash() else {
        return Ok(None);
    };
    let row = store::open_room(&state.pool, &id).await.ok().flatten();
    Ok(row
        .filter(|r| r.teacher_key_hash == secret::hash(&key))
        .map(|r| crate::server::web::links(&state, &r.id, &r.name, &key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names_are_trimmed_and_bounded() {
        assert_eq!(check_room_name("  Math 3-1 "), Ok("Math 3-1".into()));
        assert_eq!(check_room_name(" \t "), Err(NameProblem::Empty));
        assert_eq!(check_room_name(&"가".repeat(100)), Ok("가".repeat(100)));
        assert_eq!(
            check_room_name(&"가".repeat(101)),
            Err(NameProblem::TooLong)
        );
    }
}
