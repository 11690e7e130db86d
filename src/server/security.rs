//! What every response promises the browser, and which sites may act on this server.
//!
//! - **Origins.** Browsers send `Origin` with every POST and every WebSocket handshake. A state
//!   change (any non-GET request, and `GET /ws`) from another site is refused with 403, unless it is
//!   the site itself (`--public-url`, or the `Host` it was sent to) or listed with
//!   `--allowed-origin`. A request without `Origin` is not from a browser page (curl, scripts, LMS
//!   back ends) and cannot ride on a visitor's cookies, so it is let through. `Origin: null` passes
//!   only with `Sec-Fetch-Site: same-origin` (see [`request_allowed`]).
//! - **Headers.** A Content-Security-Policy that runs only our own scripts (the page's inline
//!   hydration script carries a per-response nonce), no framing, no sniffing, no referrer to other
//!   sites, camera and microphone for this origin only, and HSTS when served over HTTPS.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::{AppState, Config};

/// The policy for a page whose inline scripts carry `nonce`, or for anything else (no inline
/// script at all) when `nonce` is `None`.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob:; \
         media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy, allowing the inline scripts that carry this response's nonce (Leptos
/// adds it to the hydration script and to resolved-resource scripts). Call while rendering.
pub fn set_page_csp() {
    let nonce = leptos::nonce::use_nonce();
    let csp = content_security_policy(nonce.as_deref());
    if let (Some(res), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&csp),
    ) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Refuses cross-site state changes (see the module docs).
pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.uri().path() == "/ws";
    if changes_state && !request_allowed(&state.config, req.headers()) {
        let origin = req.headers().get(header::ORIGIN);
        tracing::info!(origin = ?origin, path = %req.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "requests from other sites are not allowed\n",
        )
            .into_response();
    }
    next.run(req).await
}

/// Whether a request from a page may change state here: its `Origin` is allowed, or it is `null`
/// and the browser vouches that the request came from this very site (`Sec-Fetch-Site:
/// same-origin`). Browsers send `Origin: null` for a plain form POST from a page whose
/// Referrer-Policy is `no-referrer` (a user's extension may impose it) and from pages that hide
/// their origin on purpose, which is why `null` alone is not enough.
fn request_allowed(config: &Config, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    if origin.as_bytes() == b"null" {
        return headers
            .get("sec-fetch-site")
            .is_some_and(|s| s.as_bytes() == b"same-origin");
    }
    origin_allowed(config, origin, headers.get(header::HOST))
}

/// Whether a browser on `origin` may change state here.
pub fn origin_allowed(config: &Config, origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let listed = config
        .allowed_origins
        .iter()
        .chain(&config.public_url)
        .any(|allowed| same_origin(allowed, origin));
    let same_host = origin.split_once("://").is_some_and(|(scheme, authority)| {
        matches!(scheme, "http" | "https")
            && host
                .and_then(|h| h.to_str().ok())
                .is_some_and(|h| h.eq_ignore_ascii_case(authority))
    });
    listed || same_host
}

/// `https://a.example/` and `https://A.example` are the same origin; paths are ignored.
fn same_origin(configured: &str, origin: &str) -> bool {
    let base = match configured.split_once("://") {
        Some((scheme, rest)) => (scheme, rest.split('/').next().unwrap_or_default()),
        None => return false,
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    base.0.eq_ignore_ascii_case(scheme) && base.1.eq_ignore_ascii_case(authority)
}

/// Adds the security headers to every response (pages set their own CSP with a nonce first).
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let https = state
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
        || req
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut res = next.run(req).await;
    add_headers(res.headers_mut(), https);
    res
}

fn add_headers(headers: &mut HeaderMap, https: bool) {
    let fixed: [(HeaderName, &str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: with it, browsers send `Origin: null` on our own plain form posts,
        // which the origin check could then not tell from another site's. `same-origin` still
        // sends nothing to other sites (and the teacher key lives in the fragment, never sent).
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()",
        ),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(csp) = HeaderValue::from_str(&content_security_policy(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("classroom").chain(args.iter().copied())).unwrap()
    }

    fn allowed(config: &Config, origin: &str, host: &str) -> bool {
        let host = HeaderValue::from_str(host).unwrap();
        origin_allowed(config, &HeaderValue::from_str(origin).unwrap(), Some(&host))
    }

    #[test]
    fn the_site_itself_is_allowed_and_others_are_not() {
        let plain = config(&[]);
        assert!(allowed(&plain, "http://127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(!allowed(&plain, "http://evil.example", "127.0.0.1:3000"));
        assert!(!allowed(&plain, "null", "127.0.0.1:3000"));
        assert!(!allowed(
            &plain,
            "http://127.0.0.1:3000.evil.example",
            "127.0.0.1:3000"
        ));
        let proxied = config(&[
            "--public-url",
            "https://class.example.org/",
            "--allowed-origin",
            "https://lms.example.org",
        ]);
        assert!(allowed(
            &proxied,
            "https://class.example.org",
            "127.0.0.1:3000"
        ));
        assert!(allowed(
            &proxied,
            "https://LMS.example.org",
            "127.0.0.1:3000"
        ));
        assert!(!allowed(
            &proxied,
            "http://class.example.org",
            "127.0.0.1:3000"
        ));
    }
}
