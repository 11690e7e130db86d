//! Request-bound helpers for server functions: the site's own URL and the no-JavaScript flash.
//!
//! A form posted without JavaScript gets a redirect back to the page, not the function's value, so
//! the value rides along: the new room in an HttpOnly cookie (it holds the teacher key, which must
//! never appear in a URL), a validation problem in the query string.

use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::api::rooms::{CreatedRoom, NameProblem};
use crate::server::AppState;

const FLASH_COOKIE: &str = "classroom_new_room";

/// The student and teacher links of a room, absolute so they can be pasted into a message.
pub fn links(state: &AppState, id: &str, name: &str, key: &str) -> CreatedRoom {
    let base = site_url(state);
    CreatedRoom {
        name: name.to_string(),
        student_link: format!("{base}/r/{id}"),
        teacher_link: format!("{base}/r/{id}#teacher={key}"),
    }
}

/// `--public-url` if set, else the scheme and host this request came in on.
fn site_url(state: &AppState) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let parts = use_context::<Parts>();
    let header = |name: &str| {
        parts
            .as_ref()?
            .headers
            .get(name)?
            .to_str()
            .ok()
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_else(|| state.config.bind.to_string());
    let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
    format!("{scheme}://{host}")
}

fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)?
                .to_str()
                .ok()
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Remembers a just-created room for ten minutes, for the page the no-JS form returns to.
pub fn flash_created(id: &str, key: &str) {
    let Some(res) = use_context::<ResponseOptions>() else {
        return;
    };
    let cookie = format!("{FLASH_COOKIE}={id}.{key}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.append_header(header::SET_COOKIE, value);
    }
    if is_plain_form_post() {
        leptos_axum::redirect("/");
    }
}

/// Sends a no-JS form back to the home page with the problem in the query string.
pub fn flash_problem(problem: NameProblem) {
    if is_plain_form_post() {
        let code = match problem {
            NameProblem::Empty => "empty",
            NameProblem::TooLong => "too_long",
        };
        leptos_axum::redirect(&format!("/?problem={code}"));
    }
}

/// The room id and teacher key from the flash cookie, if this request carries one.
pub fn read_flash() -> Option<(String, String)> {
    let parts = use_context::<Parts>()?;
    let cookies = parts.headers.get(header::COOKIE)?.to_str().ok()?;
    let value = cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find_map(|(k, v)| (k == FLASH_COOKIE).then_some(v))?;
    let (id, key) = value.split_once('.')?;
    Some((id.to_string(), key.to_string()))
}
