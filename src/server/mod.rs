//! Everything that runs only on the server: configuration, storage, live rooms, HTTP routes.

pub mod admin;
pub mod assets;
pub mod budget;
pub mod config;
pub mod db;
pub mod housekeeping;
pub mod http_api;
pub mod hub;
pub mod listen;
pub mod logging;
pub mod metrics;
pub mod page_cache;
pub mod records;
pub mod restore;
pub mod room;
pub mod room_cache;
pub mod rooms;
pub mod secret;
pub mod security;
pub mod sfu;
pub mod store;
pub mod turn;
pub mod web;
pub mod ws;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::SqlitePool;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::{shell, App};
pub use config::Config;
pub use listen::Shutdown;

/// Largest request body accepted (forms and JSON are a few hundred bytes); larger gets 413.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest an HTTP request may take, body included (WebSockets are not requests once upgraded).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything a request handler or server function may need, passed as axum `State` and provided
/// to Leptos as context. No globals.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub hub: Arc<hub::Hub>,
    pub config: Arc<Config>,
    /// Per-address budget for creating rooms.
    pub creation_limit: Arc<rooms::CreationLimit>,
    /// Per-address budget for administrator login attempts.
    pub login_limit: Arc<admin::LoginLimit>,
    /// Set when the server starts stopping; signaling connections close with 1012.
    pub shutdown: Shutdown,
    /// Renders `/metrics`; `None` when no recorder could be installed.
    pub metrics: Option<PrometheusHandle>,
    /// Connections lost to silence, to log a mass drop.
    pub silence: Arc<ws::SilenceWatch>,
    /// Rooms the room page showed recently; whatever closes, reopens or deletes a room forgets it.
    pub room_pages: Arc<room_cache::RoomCache>,
    /// Room pages rendered in the last second, served again with a fresh nonce.
    pub page_cache: Arc<page_cache::PageCache>,
    /// The content-hashed names under `/pkg`, which browsers may keep for a year.
    pub assets: Arc<assets::Assets>,
}

impl AppState {
    /// The state for `config`, with empty rooms, and the media server started if `config` lets
    /// rooms grow past a mesh (its UDP socket may fail to bind).
    pub fn new(
        leptos_options: LeptosOptions,
        pool: SqlitePool,
        config: Config,
        metrics: Option<PrometheusHandle>,
    ) -> std::io::Result<Self> {
        let room_pages = Arc::new(room_cache::RoomCache::new(room_cache::CAPACITY));
        let hub = hub::Hub::new(records::Recorder::spawn(pool.clone(), room_pages.clone()));
        let hub = match sfu::glue::start(&config)? {
            Some(media) => hub.with_media(media),
            None => hub,
        };
        Ok(AppState {
            leptos_options,
            hub: Arc::new(hub),
            pool,
            creation_limit: Arc::new(rooms::CreationLimit::new(config.rooms_per_minute)),
            login_limit: Arc::new(admin::LoginLimit::new()),
            silence: Arc::new(ws::SilenceWatch::new(config.ws_mass_drop)),
            room_pages,
            page_cache: Arc::default(),
            assets: Arc::new(assets::Assets::default()),
            config: Arc::new(config),
            shutdown: Shutdown::new(),
            metrics,
        })
    }
}

impl AppState {
    /// The same state serving the hashed files `assets` (see [`assets::Assets::configure`]).
    pub fn with_assets(self, assets: assets::Assets) -> Self {
        AppState {
            assets: Arc::new(assets),
            ..self
        }
    }
}

/// The app's routes. Leptos finds them by rendering the app once, in an owner it drops at once.
/// That render starts effects (leptos_i18n's language effect runs on the server too), spawned on
/// the current runtime, where a worker could run one while the owner was being dropped: a panic on
/// a disposed signal (it failed a CI run). Rendered on a thread with a runtime of its own that is
/// never driven, those effects never run; they are dropped with it.
fn route_list() -> Vec<AxumRouteListing> {
    std::thread::spawn(|| {
        let idle = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime for the route list");
        let _inside = idle.enter();
        generate_route_list(App)
    })
    .join()
    .expect("the route list renders")
}

/// The whole HTTP surface: pages, server functions, the API, the signaling socket, static files.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    // Every page, the fallback's too, gets the state and the names of this build's files.
    let context = {
        let state = state.clone();
        let paths = state.assets.paths(&state.leptos_options);
        move || {
            provide_context(state.clone());
            provide_context(paths.clone());
        }
    };
    let options = state.leptos_options.clone();
    Router::new()
        .route("/ws", get(ws::upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
        .route("/api/rooms", post(http_api::create_room))
        .route("/admin/rooms/{id}/attendance.csv", get(admin::export::room_csv))
        .route(
            "/admin/rooms/{id}/sessions/{sid}/attendance.csv",
            get(admin::export::session_csv),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(from_fn_with_state(state.clone(), page_cache::serve))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(from_fn_with_state(state.clone(), security::check_origin))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn_with_state(state.clone(), assets::cache_headers))
        // Spans carry the path only: no query string or header ever reaches the logs.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::debug_span!("http", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// `GET /readyz`: 200 when the database answers, 503 otherwise.
async fn readyz(State(pool): State<SqlitePool>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&pool).await {
        Ok(_) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// `GET /metrics`: Prometheus text format.
async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    let (rooms, peers) = state.hub.counts();
    metrics::set_live(rooms, peers);
    match &state.metrics {
        Some(handle) => (
            StatusCode::OK,
            [("content-type", "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are off\n").into_response(),
    }
}
