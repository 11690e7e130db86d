//! Accepting TCP connections: caps in total and per client address, a header-read timeout, and a
//! graceful shutdown. axum's own `serve` has none of these knobs, so this is its accept loop with
//! them added, on the same hyper stack.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use crate::server::metrics;

mod idle;

/// How long a drain waits for open connections after shutdown starts.
const DRAIN: Duration = Duration::from_secs(5);

/// The server-wide "we are stopping" signal. Cheap to clone.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Shutdown {
    /// Not yet triggered.
    pub fn new() -> Self {
        Shutdown(Arc::new(watch::channel(false).0))
    }

    /// Starts the shutdown: stop accepting, tell every signaling connection.
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    /// Resolves once the shutdown has started.
    pub async fn wait(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

/// How many connections are open, in total and per client address.
pub struct Limits {
    max_total: usize,
    max_per_ip: usize,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One open connection's place in [`Limits`]; freed when the last clone is dropped. Requests carry
/// it as an extension, so a WebSocket keeps it for as long as the socket lives.
#[derive(Clone)]
pub struct ConnectionGuard(#[allow(dead_code)] Arc<Slot>);

struct Slot {
    limits: Arc<Limits>,
    key: IpAddr,
}

impl Limits {
    /// Caps of `max_total` connections, `max_per_ip` from one address (one /64 for IPv6, which a
    /// single client can fill with addresses).
    pub fn new(max_total: usize, max_per_ip: usize) -> Arc<Self> {
        Arc::new(Limits {
            max_total,
            max_per_ip,
            open: Mutex::new((0, HashMap::new())),
        })
    }

    /// Warns when the process may run out of file descriptors before reaching `max_total`
    /// (Linux: the soft "Max open files" limit; each connection is one descriptor).
    pub fn warn_if_over_fd_limit(&self) {
        let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else {
            return;
        };
        let soft = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(soft) = soft.filter(|&soft| soft < self.max_total + 64) {
            tracing::warn!(
                open_files = soft,
                max_connections = self.max_total,
                "--max-connections is above the open-files limit (ulimit -n): raise the limit or lower the cap"
            );
        }
    }

    /// Open connections now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    /// A slot for a connection from `ip`, or which cap refused it.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<ConnectionGuard, &'static str> {
        let key = client_key(ip);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.0 >= self.max_total {
            return Err("total");
        }
        let from_ip = open.1.entry(key).or_insert(0);
        if *from_ip >= self.max_per_ip {
            return Err("per_ip");
        }
        *from_ip += 1;
        open.0 += 1;
        metrics::set_connections(open.0);
        Ok(ConnectionGuard(Arc::new(Slot {
            limits: self.clone(),
            key,
        })))
    }
}

/// What every per-address cap and budget counts `ip` as: an IPv4 address as is (an IPv4-mapped IPv6
/// address as its IPv4 address), an IPv6 address as its /64, which a single client (a home line, a
/// cloud VM) is usually given whole and can take a fresh address from for every request.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6([s[0], s[1], s[2], s[3], 0, 0, 0, 0].into())
            }
        },
        v4 => v4,
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .limits
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        open.0 = open.0.saturating_sub(1);
        if let Some(n) = open.1.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.1.remove(&self.key);
            }
        }
        metrics::set_connections(open.0);
    }
}

/// Serves `router` until `shutdown` triggers, then drains for up to five seconds. A connection
/// gets `header_timeout` to send a request's head, and is closed after as long without traffic.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Arc<Limits>,
    header_timeout: Duration,
    shutdown: Shutdown,
) {
    let graceful = GracefulShutdown::new();
    // HTTP/1.1 only: detecting HTTP/2 would first wait, without any timeout, for bytes that a
    // silent client never sends. (Behind a TLS proxy, HTTP/2 ends at the proxy.)
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    // Also closes keep-alive connections that send nothing: hyper starts the timer whenever it
    // waits for a request head.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, usually: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.wait() => break,
        };
        let guard = match limits.admit(addr.ip()) {
            Ok(guard) => guard,
            Err(cap) => {
                metrics::refused_connection(cap);
                refuse(stream);
                continue;
            }
        };
        let service = router
            .clone()
            .map_request(move |mut req: axum::extract::Request<_>| {
                req.extensions_mut().insert(ConnectInfo(addr));
                req.extensions_mut().insert(guard.clone());
                req
            });
        let conn = builder.serve_connection_with_upgrades(
            TokioIo::new(idle::IdleTimeout::new(stream, header_timeout)),
            TowerToHyperService::new(service),
        );
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    tracing::info!("shutting down: draining connections");
    let drained = async {
        graceful.shutdown().await;
        while limits.open() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    if tokio::time::timeout(DRAIN, drained).await.is_err() {
        tracing::warn!(
            open = limits.open(),
            "connections still open after the drain"
        );
    }
}

/// Over a cap: a plain 503 written without reading the request, then the connection is dropped.
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 21\r\nConnection: close\r\nRetry-After: 5\r\n\r\ntoo many connections\n",
    );
}
