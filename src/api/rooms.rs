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
    /// When the room was closed (unused for too long); its links then say so.
    pub closed_at: Option<i64>,
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

pub use crate::protocol::NameProblem;

/// Outcome of [`create_room`]: bad input is an answer, not a failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CreateRoomReply {
    Created(CreatedRoom),
    Invalid(NameProblem),
    /// Too many rooms were created from this address in the last minute.
    RateLimited,
}

/// Checks a class name with the same rule as display names, up to 100 characters.
pub fn check_room_name(raw: &str) -> Result<String, NameProblem> {
    crate::protocol::clean_text(raw, MAX_ROOM_NAME_CHARS)
}

/// Stores a new room and returns its student and teacher links. `auto_admit` is the form's
/// "Let students in automatically" checkbox (present when ticked): off, students wait to be admitted.
#[server]
pub async fn create_room(
    name: String,
    #[server(default)] auto_admit: Option<String>,
) -> Result<CreateRoomReply, ServerFnError> {
    use crate::server::rooms::{create, CreateError};
    use crate::server::{admin, web, AppState};
    let state = expect_context::<AppState>();
    // The same client address as `POST /api/rooms` (the proxy's `X-Forwarded-For` entry when
    // trusted): charging the TCP peer would put every visitor behind a proxy on one budget.
    let (_, ip) = admin::request(&state);
    match create(&state, ip, &name, auto_admit.is_some()).await {
        Ok(room) => {
            let created = web::links_for_request(&state, &room.id, &room.name, &room.key);
            web::flash_created(&state, &room.id, &room.key);
            Ok(CreateRoomReply::Created(created))
        }
        Err(CreateError::Invalid(problem)) => {
            web::flash_problem(web::problem_code(problem));
            Ok(CreateRoomReply::Invalid(problem))
        }
        Err(CreateError::RateLimited) => {
            web::flash_problem("rate_limited");
            Ok(CreateRoomReply::RateLimited)
        }
        Err(CreateError::Store(_)) => Err(ServerFnError::new(
            "the room could not be stored; try again",
        )),
    }
}

/// The room with this id, open or closed, or `None` (the page then answers 404). Served from the
/// server's room cache when it has the room (`server/room_cache.rs`).
#[server]
pub async fn find_room(id: String) -> Result<Option<RoomInfo>, ServerFnError> {
    use crate::server::AppState;
    let state = expect_context::<AppState>();
    state.room_pages.find(&state.pool, &id).await.map_err(|e| {
        tracing::error!(error = %e, "room lookup failed");
        ServerFnError::new("the room could not be looked up")
    })
}

/// The room this browser just created without JavaScript (the form's answer travels in a
/// one-minute HttpOnly cookie, never in the URL), shown once: reading it clears the cookie.
#[server]
pub async fn recently_created() -> Result<Option<CreatedRoom>, ServerFnError> {
    use crate::server::{secret, store, web, AppState};
    let state = expect_context::<AppState>();
    let Some((id, key)) = web::take_flash() else {
        return Ok(None);
    };
    let row = store::open_room(&state.pool, &id).await.ok().flatten();
    Ok(row
        .filter(|r| r.teacher_key_hash == secret::hash(&key))
        .map(|r| web::links_for_request(&state, &r.id, &r.name, &key)))
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
        assert_eq!(check_room_name("\u{200B}\u{3164}"), Err(NameProblem::Empty));
    }
}
