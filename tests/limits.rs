//! Bounds on connections, time and request size, and cross-site requests, against a real server.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::TestServer;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

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

/// Defect 4: any site could open a signaling connection and read a room's members.
#[tokio::test]
async fn websockets_from_other_sites_are_refused() {
    let srv = TestServer::with_room().await;
    let url = format!("ws://{}/ws", srv.addr);
    let mut req = url.as_str().into_client_request().unwrap();
    req.headers_mut()
        .insert("origin", HeaderValue::from_static("https://evil.example"));
    let err = tokio_tungstenite::connect_async(req).await.unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");

    let mut req = url.as_str().into_client_request().unwrap();
    let own = format!("http://{}", srv.addr);
    req.headers_mut()
        .insert("origin", HeaderValue::from_str(&own).unwrap());
    let (ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut c = common::Client { ws };
    c.join("room1", "Minji").await;
}

#[tokio::test]
async fn an_allowed_origin_may_connect() {
    let srv = TestServer::start_with(&["--allowed-origin", "https://lms.example.org"]).await;
    let mut req = format!("ws://{}/ws", srv.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "origin",
        HeaderValue::from_static("https://lms.example.org"),
    );
    assert!(tokio_tungstenite::connect_async(req).await.is_ok());
}

/// Defect 4: a cross-site form could create rooms through a teacher's browser.
#[tokio::test]
async fn cross_site_posts_are_refused_and_scripts_are_not() {
    let srv = TestServer::start().await;
    let json = [("content-type", "application/json")];
    let evil = [
        ("content-type", "application/json"),
        ("origin", "https://evil.example"),
    ];
    let res = srv
        .http("POST", "/api/rooms", &evil, r#"{"name":"Math"}"#)
        .await;
    assert_eq!(res.status, 403);
    let form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", "null"),
    ];
    let path = <classroom::api::rooms::CreateRoom as leptos::server_fn::ServerFn>::PATH;
    assert_eq!(srv.http("POST", path, &form, "name=Math").await.status, 403);
    let rooms: (i64,) = sqlx::query_as("SELECT count(*) FROM rooms")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(rooms.0, 0);
    // `Origin: null` that the browser vouches is our own page (a form posted under a strict
    // Referrer-Policy) is let through; the same without the vouching was refused above.
    let own_form = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("origin", "null"),
        ("sec-fetch-site", "same-origin"),
    ];
    assert_ne!(
        srv.http("POST", path, &own_form, "name=Math").await.status,
        403
    );
    // No Origin: a script or an LMS back end.
    let res = srv
        .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
}

/// Defect 6: an oversized POST answered 500.
#[tokio::test]
async fn an_oversized_post_is_413() {
    let srv = TestServer::start().await;
    let body = format!(r#"{{"name":"{}"}}"#, "a".repeat(100 * 1024));
    let res = srv
        .http(
            "POST",
            "/api/rooms",
            &[("content-type", "application/json")],
            &body,
        )
        .await;
    assert_eq!(res.status, 413);
}

/// Defect 4: 1,889 rooms a second from one client.
#[tokio::test]
async fn room_creation_is_rate_limited_per_address() {
    let srv = TestServer::start_with(&["--rooms-per-minute", "2"]).await;
    let json = [("content-type", "application/json")];
    for _ in 0..2 {
        let res = srv
            .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
            .await;
        assert_eq!(res.status, 201);
    }
    let res = srv
        .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
        .await;
    assert_eq!(res.status, 429);
    assert!(res.body.contains("rate_limited"), "{}", res.body);
    let path = <classroom::api::rooms::CreateRoom as leptos::server_fn::ServerFn>::PATH;
    let accept = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept", "application/json"),
    ];
    let res = srv.http("POST", path, &accept, "name=Math").await;
    let reply: classroom::api::rooms::CreateRoomReply = serde_json::from_str(&res.body).unwrap();
    assert_eq!(reply, classroom::api::rooms::CreateRoomReply::RateLimited);
}

/// Behind a proxy every request comes from the proxy; with `--trust-forwarded-for` each client has
/// its own budget, and without it a client cannot dodge the limit by claiming an address.
#[tokio::test]
async fn forwarded_addresses_count_only_when_trusted() {
    let json = |ip: &'static str| {
        [
            ("content-type", "application/json"),
            ("x-forwarded-for", ip),
        ]
    };
    let body = r#"{"name":"Math"}"#;
    let srv = TestServer::start_with(&["--rooms-per-minute", "1"]).await;
    assert_eq!(
        srv.http("POST", "/api/rooms", &json("10.0.0.1"), body)
            .await
            .status,
        201
    );
    assert_eq!(
        srv.http("POST", "/api/rooms", &json("10.0.0.2"), body)
            .await
            .status,
        429
    );
    let proxied =
        TestServer::start_with(&["--rooms-per-minute", "1", "--trust-forwarded-for"]).await;
    assert_eq!(
        proxied
            .http("POST", "/api/rooms", &json("10.0.0.1"), body)
            .await
            .status,
        201
    );
    assert_eq!(
        proxied
            .http("POST", "/api/rooms", &json("1.2.3.4, 10.0.0.2"), body)
            .await
            .status,
        201
    );
    assert_eq!(
        proxied
            .http("POST", "/api/rooms", &json("10.0.0.1"), body)
            .await
            .status,
        429
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let srv = TestServer::start().await;
    let res = srv.http("GET", "/", &[], "").await;
    assert_eq!(res.status, 200);
    let h = &res.headers;
    let csp = h
        .lines()
        .find(|l| l.starts_with("content-security-policy:"))
        .expect("a CSP header");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap();
    assert!(
        // The helper lowercases the head, so compare without case.
        res.body
            .to_ascii_lowercase()
            .contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce {nonce}: {}",
        res.body
    );
    for want in [
        "x-content-type-options: nosniff",
        "referrer-policy: same-origin",
        "x-frame-options: deny",
        "permissions-policy: camera=(self), microphone=(self), display-capture=(self)",
    ] {
        assert!(h.contains(want), "missing {want}: {h}");
    }
    assert!(!h.contains("strict-transport-security"));
    let https = srv
        .http("GET", "/healthz", &[("x-forwarded-proto", "https")], "")
        .await;
    assert!(https
        .headers
        .contains("strict-transport-security: max-age="));
}

/// Defect 6: links were built from whatever `Host` said.
#[tokio::test]
async fn links_ignore_a_host_header_that_is_not_a_host() {
    let srv = TestServer::start().await;
    let json = [
        ("content-type", "application/json"),
        ("host", "javascript://evil.example/"),
    ];
    let res = srv
        .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
        .await;
    assert_eq!(res.status, 201);
    let body: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let link = body["student_link"].as_str().unwrap();
    assert!(link.starts_with("http://127.0.0.1:3000/r/"), "{link}");
    let json = [
        ("content-type", "application/json"),
        ("x-forwarded-proto", "javascript"),
    ];
    let res = srv
        .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
        .await;
    assert!(
        res.body.contains("\"student_link\":\"http://"),
        "{}",
        res.body
    );
}

#[tokio::test]
async fn readiness_and_metrics_answer() {
    let srv = TestServer::with_room().await;
    assert_eq!(srv.http("GET", "/readyz", &[], "").await.status, 200);
    let (_a, _) = srv.join("room1", "A").await;
    let text = srv.metrics().await;
    for name in [
        "classroom_rooms_live",
        "classroom_peers_live",
        "classroom_connections_open",
        "classroom_messages_in_total",
        "classroom_bytes_out_total",
    ] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    srv.pool.close().await;
    assert_eq!(srv.http("GET", "/readyz", &[], "").await.status, 503);
}

#[tokio::test]
async fn the_api_validates_names_like_the_page() {
    let srv = TestServer::start().await;
    let json = [("content-type", "application/json")];
    let res = srv
        .http("POST", "/api/rooms", &json, "{\"name\":\"\\u200b\"}")
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("name_empty"), "{}", res.body);
    let res = srv.http("POST", "/api/rooms", &json, "{\"nom\":1}").await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("bad_request"), "{}", res.body);
    let res = srv
        .http("POST", "/api/rooms", &json, r#"{"name":"Math"}"#)
        .await;
    let body: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let id = body["id"].as_str().unwrap();
    let teacher = body["teacher_link"].as_str().unwrap();
    assert!(teacher.contains(&format!("/r/{id}#teacher=")), "{teacher}");
}
