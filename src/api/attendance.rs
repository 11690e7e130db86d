//! Attendance for the administrator: a room's class sessions, and who took part in one. Both
//! refused (401) without an administrator session; an unknown room (or a session of another room)
//! is `Ok(None)`, which the pages render as the 404 page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::admin_rooms::RoomStatus;
use crate::report_time::UtcOffset;

/// Sessions per page of a room's page.
pub const SESSIONS_PER_PAGE: u32 = 50;

/// How a class session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionEnd {
    /// The last person left.
    Empty,
    /// A teacher or the administrator ended the class.
    Ended,
    /// The server stopped while it was open; it ended at the last moment the server was running.
    Restart,
}

impl SessionEnd {
    /// As stored in `class_sessions.end_reason`.
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "empty" => Some(SessionEnd::Empty),
            "ended" => Some(SessionEnd::Ended),
            "restart" => Some(SessionEnd::Restart),
            _ => None,
        }
    }

    /// As written in the CSV files (stable, not translated).
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Empty => "empty",
            SessionEnd::Ended => "ended",
            SessionEnd::Restart => "restart",
        }
    }
}

/// One class session: from the first person in the room until it emptied or the class was ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassSession {
    pub id: i64,
    /// Unix milliseconds.
    pub started_at: i64,
    /// `None` while it goes on.
    pub ended_at: Option<i64>,
    pub end: Option<SessionEnd>,
    /// People admitted during it (one per attendee, however often they re-joined).
    pub people: u32,
}

/// A participant's role in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttendeeRole {
    Teacher,
    Student,
}

/// Whether a participant was let into the class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Admitted,
    /// Turned away from the waiting room, never in the call.
    Denied,
    /// In the call at some point, and also turned away at another.
    AdmittedAndDenied,
}

/// One person in one class session, all their stays together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    /// The display name of their latest stay.
    pub name: String,
    /// Teacher if any of their stays was as a teacher.
    pub role: AttendeeRole,
    /// Their first join (or refusal), Unix ms.
    pub first_joined: i64,
    /// Their last leave; `None` while they are still in.
    pub last_left: Option<i64>,
    /// Time in the call: the union of their stays (two tabs at once count once), an open stay
    /// counted up to now.
    pub present_ms: i64,
    /// Stays in the call (re-joins included; refusals not).
    pub stays: u32,
    pub outcome: Outcome,
    /// One of their stays was left open by a server that stopped, and was closed at the next start
    /// with the last time the server was known to be running.
    pub closed_at_restart: bool,
}

/// The room a page is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomHeader {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub status: RoomStatus,
    /// Admitted to the call right now.
    pub people: u32,
}

/// `/admin/rooms/:id`: the room and one page of its sessions, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomSessions {
    pub room: RoomHeader,
    pub sessions: Vec<ClassSession>,
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    /// The offset the page shows times in.
    pub offset: UtcOffset,
}

/// `/admin/rooms/:id/sessions/:sid`: one session and everyone in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionAttendance {
    pub room: RoomHeader,
    pub session: ClassSession,
    pub attendees: Vec<Attendee>,
    pub offset: UtcOffset,
}

/// The room `room` and page `page` (from 1) of its sessions; `None` if there is no such room.
#[server]
pub async fn admin_room_sessions(
    room: String,
    page: u32,
) -> Result<Option<RoomSessions>, ServerFnError> {
    use crate::server::{admin, store, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    let Some(header) = room_header(&state, &room).await? else {
        return Ok(None);
    };
    let page = page.max(1);
    let offset = i64::from(page - 1) * i64::from(SESSIONS_PER_PAGE);
    let (sessions, total) =
        store::room_sessions(&state.pool, &room, SESSIONS_PER_PAGE.into(), offset)
            .await
            .map_err(failed)?;
    let total = u64::try_from(total).unwrap_or(0);
    let pages =
        u32::try_from(total.div_ceil(u64::from(SESSIONS_PER_PAGE)).max(1)).unwrap_or(u32::MAX);
    Ok(Some(RoomSessions {
        room: header,
        sessions,
        page,
        pages,
        total,
        offset: state.config.report_offset(),
    }))
}

/// Session `session` of room `room` with its attendees; `None` if either is unknown or the
/// session belongs to another room.
#[server]
pub async fn admin_session_attendance(
    room: String,
    session: i64,
) -> Result<Option<SessionAttendance>, ServerFnError> {
    use crate::server::{admin, db::now_ms, store, AppState};
    let state = expect_context::<AppState>();
    admin::require_session(&state).await?;
    let Some(header) = room_header(&state, &room).await? else {
        return Ok(None);
    };
    let Some(found) = store::class_session(&state.pool, &room, session)
        .await
        .map_err(failed)?
    else {
        return Ok(None);
    };
    let attendees = store::session_attendees(&state.pool, session, now_ms())
        .await
        .map_err(failed)?;
    Ok(Some(SessionAttendance {
        room: header,
        session: found,
        attendees,
        offset: state.config.report_offset(),
    }))
}

/// The room's header with what the hub knows of it now; `None` if there is no such room.
#[cfg(feature = "ssr")]
pub async fn room_header(
    state: &crate::server::AppState,
    room: &str,
) -> Result<Option<RoomHeader>, ServerFnError> {
    let Some(row) = crate::server::store::find_room(&state.pool, room)
        .await
        .map_err(failed)?
    else {
        return Ok(None);
    };
    let presence = state
        .hub
        .presence(std::slice::from_ref(&row.id))
        .remove(&row.id);
    Ok(Some(RoomHeader {
        status: RoomStatus::of(row.closed_at.is_some(), presence.is_some()),
        people: presence.map_or(0, |p| u32::try_from(p.people).unwrap_or(u32::MAX)),
        id: row.id,
        name: row.name,
        created_at: row.created_at,
    }))
}

#[cfg(feature = "ssr")]
fn failed(e: sqlx::Error) -> ServerFnError {
    tracing::error!(error = %e, "reading attendance failed");
    ServerFnError::new("the attendance could not be read")
}
