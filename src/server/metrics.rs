//! Counters and gauges for `/metrics` (Prometheus text format), one function per event so the
//! names live in one place. They go through the `metrics` facade, whose recorder is process-wide by
//! design; `main` installs the Prometheus one and keeps its handle in `AppState`.

use metrics::{counter, gauge};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::protocol::ServerMsg;

/// Installs the Prometheus recorder for this process and returns the handle `/metrics` renders.
pub fn install() -> Result<PrometheusHandle, String> {
    PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| e.to_string())
}

/// Live rooms and the people in them (set when /metrics is scraped).
pub fn set_live(rooms: usize, peers: usize) {
    gauge!("classroom_rooms_live").set(rooms as f64);
    gauge!("classroom_peers_live").set(peers as f64);
}

/// Members whose media the media worker `worker` carries (all rooms pinned to it).
pub fn media_members(worker: usize, members: usize) {
    gauge!("classroom_media_members", "worker" => worker.to_string()).set(members as f64);
}

/// Open TCP connections (HTTP and WebSocket alike), after any change.
pub fn set_connections(open: usize) {
    gauge!("classroom_connections_open").set(open as f64);
}

/// A connection refused at accept time (`reason`: `total` or `per_ip`).
pub fn refused_connection(reason: &'static str) {
    counter!("classroom_connections_refused_total", "reason" => reason).increment(1);
}

/// One WebSocket message read from a client.
pub fn received(bytes: usize) {
    counter!("classroom_messages_in_total").increment(1);
    counter!("classroom_bytes_in_total").increment(bytes as u64);
}

/// One WebSocket message written to a client.
pub fn sent(bytes: usize) {
    counter!("classroom_messages_out_total").increment(1);
    counter!("classroom_bytes_out_total").increment(bytes as u64);
}

/// Counts `msg` as a refusal, by its error code, if it is one.
pub fn count_refusal(msg: &ServerMsg) {
    if let ServerMsg::Error { code, .. } = msg {
        let code = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        counter!("classroom_refusals_total", "code" => code).increment(1);
    }
}

/// A message refused because its sender was over budget (or its receiver's queue was full).
pub fn rate_limited() {
    counter!("classroom_rate_limited_total").increment(1);
}

/// A connection the server ended itself (`reason`: `queue_full`, `rate_limit`, `join_timeout`,
/// `idle`, `write_timeout`, `bad_frame`).
pub fn dropped_connection(reason: &'static str) {
    counter!("classroom_dropped_connections_total", "reason" => reason).increment(1);
}

/// A room created (page or API).
pub fn room_created() {
    counter!("classroom_rooms_created_total").increment(1);
}

/// A member took its place back on a new connection (`resume`); failures are refusals
/// (`resume_failed`).
pub fn resumed() {
    counter!("classroom_resumes_total").increment(1);
}
