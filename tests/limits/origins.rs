//! Cross-site requests: WebSockets and posts from other origins are refused, an allowed origin
//! and scripts without one are not.

use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use crate::common;
use crate::common::TestServer;

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
