//! The HTTP API for scripts and LMS integrations: stable paths, JSON in and out
//! (docs/protocol.md, "HTTP API").

use std::net::SocketAddr;

use axum::extract::{rejection::JsonRejection, ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::protocol::NameProblem;
use crate::server::rooms::{self, CreateError};
use crate::server::{web, AppState};

/// Body of `POST /api/rooms`.
#[derive(Deserialize)]
pub struct CreateRoomRequest {
    pub name: String,
    /// Students come straight in instead of waiting to be admitted (default `false`).
    #[serde(default)]
    pub auto_admit: bool,
}

/// Answer of `POST /api/rooms` (201).
#[derive(Serialize)]
pub struct CreateRoomResponse {
    pub id: String,
    pub name: String,
    pub student_link: String,
    pub teacher_link: String,
}

/// An error answer: a stable `error` code and English text.
#[derive(Serialize)]
struct ApiError {
    error: &'static str,
    message: String,
}

fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    let body = ApiError {
        error: code,
        message: message.into(),
    };
    (status, Json(body)).into_response()
}

/// `POST /api/rooms {"name": "…"}`: creates a room and returns its links.
pub async fn create_room(
    State(state): State<AppState>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<CreateRoomRequest>, JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(body) => body,
        Err(rejection) => {
            return error(rejection.status(), "bad_request", rejection.body_text());
        }
    };
    let peer = addr.map(|Extension(ConnectInfo(a))| a);
    let ip = rooms::client_ip(&state.config, peer, &headers);
    match rooms::create(&state, ip, &req.name, req.auto_admit).await {
        Ok(room) => {
            let base = web::site_url(&state, &headers);
            let links = web::links(&base, &room.id, &room.name, &room.key);
            let body = CreateRoomResponse {
                id: room.id,
                name: links.name,
                student_link: links.student_link,
                teacher_link: links.teacher_link,
            };
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(CreateError::Invalid(NameProblem::Empty)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "name_empty",
            "the class name is empty",
        ),
        Err(CreateError::Invalid(NameProblem::TooLong)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "name_too_long",
            "the class name is longer than 100 characters",
        ),
        Err(e @ CreateError::RateLimited) => {
            error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", e.to_string())
        }
        Err(e @ CreateError::Store(_)) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        }
    }
}
