//! Room pages as rendered a moment ago (issue 11: rendering was most of the room page's cost).
//!
//! A room's lobby is the same for everyone who asks for it in the same language; only the CSP
//! nonce differs per response. So a rendered room page is kept for [`FRESH`] per path and language
//! list (what the page reads of the language cookie and `Accept-Language`), and every response served from it
//! gets a nonce of its own in place of the kept one, in the policy header and in the page. A class
//! opening its link at once costs one render.
//!
//! Kept: `200` answers to `GET /r/<id>` without a query string. Never kept: a request carrying any
//! cookie but the language cookies (it could change the page), an answer that sets a cookie, is not
//! HTML or has no nonce. A kept page is dropped as soon as the room cache forgets any room (close,
//! reopen, delete, idle close: [`RoomCache::generation`]), so what those change shows at once.
//!
//! [`RoomCache::generation`]: crate::server::room_cache::RoomCache::generation

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use lru::LruCache;

use crate::components::language_choice::{only_language_cookies, request_preferences};
use crate::server::{secret, AppState};

/// How long a rendered page is served again.
pub const FRESH: Duration = Duration::from_secs(1);
/// Most pages kept (a few KB each).
const CAPACITY: usize = 1024;
/// Larger pages are not kept.
const MAX_BODY: usize = 64 * 1024;

/// What a kept page depends on: its path and the language list it was rendered for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    languages: Option<String>,
}

struct Page {
    rendered: Instant,
    /// The room cache's generation when the request that rendered it came in.
    generation: u64,
    headers: HeaderMap,
    body: String,
    nonce: String,
}

/// The kept pages; one per server, in `AppState`.
pub struct PageCache {
    pages: Mutex<LruCache<Key, Arc<Page>>>,
}

impl Default for PageCache {
    fn default() -> Self {
        let capacity = NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN);
        PageCache {
            pages: Mutex::new(LruCache::new(capacity)),
        }
    }
}

impl PageCache {
    fn get(&self, key: &Key, generation: u64, now: Instant) -> Option<Arc<Page>> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let page = pages.get(key)?;
        if page.generation == generation && now.duration_since(page.rendered) < FRESH {
            return Some(Arc::clone(page));
        }
        pages.pop(key);
        None
    }

    fn put(&self, key: Key, page: Page) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.put(key, Arc::new(page));
    }

    /// How many pages are kept.
    pub fn len(&self) -> usize {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Middleware: answers room pages from the cache when it can, and keeps what it renders.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    let generation = state.room_pages.generation();
    if let Some(page) = state.page_cache.get(&key, generation, Instant::now()) {
        return replay(&page);
    }
    let rendered = Instant::now();
    let res = next.run(req).await;
    let (parts, body) = res.into_parts();
    let keep = parts.status == StatusCode::OK
        && !parts.headers.contains_key(header::SET_COOKIE)
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !keep {
        return Response::from_parts(parts, body);
    }
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| nonce_in(v.to_str().ok()?));
    let Some(nonce) = nonce else {
        return Response::from_parts(parts, body);
    };
    // Our own page, rendered in full before this point would answer anyway (`SsrMode::Async`).
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let text = (bytes.len() <= MAX_BODY).then(|| std::str::from_utf8(&bytes).ok());
    if let Some(Some(text)) = text {
        let mut headers = parts.headers.clone();
        headers.remove(header::CONTENT_LENGTH);
        let page = Page {
            rendered,
            generation,
            headers,
            body: text.to_owned(),
            nonce,
        };
        state.page_cache.put(key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The key of a request whose answer may be kept, if it is one.
fn cache_key(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let path = req.uri().path();
    let id = path.strip_prefix("/r/")?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    let headers = req.headers();
    for cookie in headers.get_all(header::COOKIE) {
        if !only_language_cookies(cookie.to_str().ok()?) {
            return None;
        }
    }
    Some(Key {
        path: path.to_string(),
        languages: request_preferences(headers),
    })
}

/// The nonce a page's policy allows (`'nonce-…'`).
fn nonce_in(policy: &str) -> Option<String> {
    let rest = &policy[policy.find("'nonce-")? + "'nonce-".len()..];
    let nonce = &rest[..rest.find('\'')?];
    (!nonce.is_empty()).then(|| nonce.to_string())
}

/// A kept page with a nonce of its own.
fn replay(page: &Page) -> Response {
    let nonce = secret::nonce();
    let mut headers = page.headers.clone();
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(|p| p.replace(&page.nonce, &nonce))
        .and_then(|p| HeaderValue::from_str(&p).ok());
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let mut res = Response::new(Body::from(page.body.replace(&page.nonce, &nonce)));
    *res.headers_mut() = headers;
    res
}

#[cfg(test)]
mod tests;
