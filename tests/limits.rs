//! Bounds on connections, time and request size, and cross-site requests, against a real server.
//!
//! This file: connections that send too little or come too many; the other bounds are in
//! `tests/limits/`.

mod common;

#[path = "limits/api.rs"]
mod api;
#[path = "limits/origins.rs"]
mod origins;
#[path = "limits/prefixes.rs"]
mod prefixes;
#[path = "limits/responses.rs"]
mod responses;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::TestServer;

/// Reads until the server closes the connection (or `limit` passes); returns what it sent and
/// how long that took.
fn read_until_closed(mut s: TcpStream, limit: Duration) -> (String, Duration) {
    let start = Instant::now();
    s.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
}

/// Defect 3: half-sent requests were kept forever and exhausted file descriptors.
#[tokio::test]
async fn half_sent_and_silent_connections_are_closed() {
    let srv = TestServer::start_with(&["--header-timeout", "1"]).await;
    let addr = srv.addr;
    let (half, silent) = tokio::task::spawn_blocking(move || {
        let mut half = TcpStream::connect(addr).unwrap();
        half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .unwrap();
        let silent = TcpStream::connect(addr).unwrap();
        (
            read_until_closed(half, Duration::from_secs(5)).1,
            read_until_closed(silent, Duration::from_secs(5)).1,
        )
    })
    .await
    .unwrap();
    assert!(
        half < Duration::from_secs(3),
        "half-sent request kept {half:?}"
    );
    assert!(
        silent < Duration::from_secs(3),
        "silent connection kept {silent:?}"
    );
}

/// Defect 3: no cap on connections; one client could hold them all.
#[tokio::test]
async fn connections_are_capped_per_address() {
    let srv = TestServer::start_with(&["--max-connections-per-ip", "3"]).await;
    let addr = srv.addr;
    let refused = tokio::task::spawn_blocking(move || {
        let held: Vec<_> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(100));
        let extra = TcpStream::connect(addr).unwrap();
        let (answer, _) = read_until_closed(extra, Duration::from_secs(3));
        drop(held);
        answer
    })
    .await
    .unwrap();
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    // The slots come back once those connections are gone.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(srv.http("GET", "/healthz", &[], "").await.status, 200);
    assert!(srv
        .metrics()
        .await
        .contains("classroom_connections_refused_total"));
}
