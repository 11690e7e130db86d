//! `GET /admin/rooms/{id}/attendance.csv` and `GET /admin/rooms/{id}/sessions/{sid}/attendance.csv`:
//! attendance downloads. Plain axum handlers (a file, not a page). Without a session: the login
//! page for a browser navigating (it accepts HTML, as the admin pages' redirect), 401 otherwise.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{csv, expiry, session};
use crate::server::db::now_ms;
use crate::server::{store, AppState};

/// The whole room: every session, oldest first.
pub async fn room_csv(
    State(state): State<AppState>,
    Path(room): Path<String>,
    headers: HeaderMap,
) -> Response {
    let found = match admitted_to(&state, &headers, &room).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    match store::room_attendance(&state.pool, &room, now_ms()).await {
        Ok(sessions) => download(
            csv::attendance_csv(&sessions, state.config.report_offset()),
            &format!("{} attendance", found.name),
            &format!("attendance-{room}"),
        ),
        Err(e) => failed(&e),
    }
}

/// One session of the room; a session of another room is 404.
pub async fn session_csv(
    State(state): State<AppState>,
    Path((room, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    let found = match admitted_to(&state, &headers, &room).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let class = match store::class_session(&state.pool, &room, id).await {
        Ok(Some(class)) => class,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return failed(&e),
    };
    match store::session_attendees(&state.pool, id, now_ms()).await {
        Ok(people) => download(
            csv::attendance_csv(&[(class, people)], state.config.report_offset()),
            &format!("{} attendance session {id}", found.name),
            &format!("attendance-{room}-session-{id}"),
        ),
        Err(e) => failed(&e),
    }
}

/// The room `room` for a logged-in administrator, else the answer: the refusal of [`refuse`], 404
/// for an unknown room.
async fn admitted_to(
    state: &AppState,
    headers: &HeaderMap,
    room: &str,
) -> Result<store::RoomRow, Response> {
    if let Some(refused) = refuse(state, headers).await {
        return Err(refused);
    }
    match store::find_room(&state.pool, room).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(e) => Err(failed(&e)),
    }
}

/// `None` with a live session; otherwise the refusal: a redirect to the login page for a browser
/// (it accepts HTML), 401 for anything else. Neither may be cached.
async fn refuse(state: &AppState, headers: &HeaderMap) -> Option<Response> {
    if let Some(id) = session::from_headers(headers) {
        match session::touch(&state.pool, &id, expiry(state)).await {
            Ok(true) => return None,
            Ok(false) => {}
            Err(e) => return Some(failed(&e)),
        }
    }
    let accepts_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let refusal = if accepts_html {
        (
            StatusCode::FOUND,
            [(header::LOCATION, "/admin/login")],
            "administrator login required\n",
        )
            .into_response()
    } else {
        (StatusCode::UNAUTHORIZED, "administrator login required\n").into_response()
    };
    Some(no_store(refusal))
}

/// The file as an attachment named after `name` (`fallback` for clients without RFC 8187).
fn download(body: Vec<u8>, name: &str, fallback: &str) -> Response {
    let disposition = HeaderValue::from_str(&csv::content_disposition(name, fallback))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"attendance.csv\""));
    no_store(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response(),
    )
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn failed(e: &sqlx::Error) -> Response {
    tracing::error!(error = %e, "attendance export failed");
    no_store(
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the attendance could not be read\n",
        )
            .into_response(),
    )
}
