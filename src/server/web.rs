//! Request-bound helpers for server functions: the site's own URL and the no-JavaScript flash.
//!
//! A form posted without JavaScript gets a redirect back to the page, not the function's value, so
//! the value rides along: the new room in a cookie (it holds the teacher key, which must never
//! appear in a URL), a validation problem in the query string. That cookie is the only place the
//! key is ever kept outside the creator's page, so it is set only for the no-JavaScript form, lives
//! one minute, is HttpOnly (and Secure over HTTPS), and is cleared by the page that reads it.

use axum::http::{header, request::Parts, HeaderMap, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::api::rooms::{CreatedRoom, NameProblem};
use crate::server::AppState;

const FLASH_COOKIE: &str = "classroom_new_room";

/// The student and teacher links of a room under `base`, absolute so they can be pasted anywhere.
pub fn links(base: &str, id: &str, name: &str, key: &str) -> CreatedRoom {
    CreatedRoom {
        name: name.to_string(),
        student_link: format!("{base}/r/{id}"),
        teacher_link: format!("{base}/r/{id}#teacher={key}"),
    }
}

/// `--public-url` if set, else the scheme and host the request came in on when they are plausible
/// (`http`/`https`, a host name or address with an optional port), else the listen address.
pub fn site_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let host = header(header::HOST.as_str())
        .filter(|h| is_plain_host(h))
        .map(str::to_string)
        .unwrap_or_else(|| state.config.bind.to_string());
    let scheme = match header("x-forwarded-proto") {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// `example.org`, `127.0.0.1:3000`, `[::1]:3000`: nothing that could change the URL's meaning.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// The links for a room created by the current server-function request.
pub fn links_for_request(state: &AppState, id: &str, name: &str, key: &str) -> CreatedRoom {
    let headers = use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    links(&site_url(state, &headers), id, name, key)
}

/// Whether the current server-function call is a form posted without JavaScript (the browser
/// wants a page back, not the function's value).
pub fn is_plain_form_post() -> bool {
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

fn set_flash_cookie(value: &str, max_age: u32, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(&format!(
        "{FLASH_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ));
}

/// Adds a `Set-Cookie` header (a full cookie string) to the current response.
pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(cookie),
    ) {
        res.append_header(header::SET_COOKIE, value);
    }
}

/// Sends a form posted without JavaScript on to `path`; JavaScript calls get the value instead.
pub fn redirect_plain_post(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// After a no-JavaScript form post: remembers the new room for one minute and sends the browser
/// back to the home page, which shows it once. Does nothing for JavaScript calls, which get the
/// links in the reply.
pub fn flash_created(state: &AppState, id: &str, key: &str) {
    if !is_plain_form_post() {
        return;
    }
    let headers = use_context::<Parts>()
        .map(|p| p.headers)
        .unwrap_or_default();
    let https = site_url(state, &headers).starts_with("https://");
    set_flash_cookie(&format!("{id}.{key}"), 60, https);
    leptos_axum::redirect("/");
}

/// Sends a no-JS form back to the home page with the problem in the query string.
pub fn flash_problem(problem: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(&format!("/?problem={problem}"));
    }
}

/// The room id and teacher key from the flash cookie, if this request carries one; the cookie is
/// cleared in the same response, so the links are shown once.
pub fn take_flash() -> Option<(String, String)> {
    let parts = use_context::<Parts>()?;
    let cookies = parts.headers.get(header::COOKIE)?.to_str().ok()?;
    let value = cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find_map(|(k, v)| (k == FLASH_COOKIE).then_some(v))?;
    set_flash_cookie("", 0, false);
    let (id, key) = value.split_once('.')?;
    Some((id.to_string(), key.to_string()))
}

/// `flash_problem`'s code for a name problem.
pub fn problem_code(problem: NameProblem) -> &'static str {
    match problem {
        NameProblem::Empty => "empty",
        NameProblem::TooLong => "too_long",
    }
}
