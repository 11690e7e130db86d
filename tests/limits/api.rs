//! The room API's bounds: request size, the per-address rate (behind a proxy too) and name
//! validation.

use classroom::api::rooms::{CreateRoom, CreateRoomReply};

use crate::common::TestServer;

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

/// The home page's form charged the TCP peer even with `--trust-forwarded-for`: behind a proxy every
/// teacher shared the proxy's budget, so a few form posts a minute blocked room creation for all.
#[tokio::test]
async fn the_page_form_charges_the_forwarded_address_when_trusted() {
    let srv = TestServer::start_with(&["--rooms-per-minute", "1", "--trust-forwarded-for"]).await;
    let path = <CreateRoom as leptos::server_fn::ServerFn>::PATH;
    let post = |ip: &'static str| {
        let headers = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "application/json"),
            ("x-forwarded-for", ip),
        ];
        let srv = &srv;
        async move {
            let res = srv.http("POST", path, &headers, "name=Math").await;
            serde_json::from_str::<CreateRoomReply>(&res.body)
                .unwrap_or_else(|e| panic!("{e}: {}", res.body))
        }
    };
    for ip in ["10.0.0.1", "10.0.0.2"] {
        let reply = post(ip).await;
        assert!(
            matches!(reply, CreateRoomReply::Created(_)),
            "{ip}: {reply:?}"
        );
    }
    assert_eq!(post("10.0.0.1").await, CreateRoomReply::RateLimited);
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
