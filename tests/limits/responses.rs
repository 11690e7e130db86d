//! What responses carry: security headers, links that ignore a bad `Host`, readiness and
//! metrics.

use crate::common::TestServer;

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
