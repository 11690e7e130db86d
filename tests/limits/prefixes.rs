//! One IPv6 /64 is one client for the per-address budgets, as for the connection cap: whoever is
//! given a /64 (a home line, a cloud VM) can pick a fresh address for every request.

use classroom::api::admin::{AdminLogin, LoginReply};
use classroom::server::admin::{password, LOGIN_ATTEMPTS_PER_MINUTE};
use leptos::server_fn::ServerFn;

use crate::common::admin::{reply, PASSWORD};
use crate::common::TestServer;

/// Posts a wrong password to the login server function from `ip` (through a trusted proxy).
async fn guess(srv: &TestServer, ip: &str) -> LoginReply {
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept", "application/json"),
        ("x-forwarded-for", ip),
    ];
    let res = srv
        .http("POST", AdminLogin::PATH, &headers, "password=wrong+guess")
        .await;
    reply(&res)
}

/// Each address of a /64 had its own login budget: unlimited guesses, each an argon2 verify.
#[tokio::test]
async fn login_guesses_from_one_slash_64_share_one_budget() {
    let srv = TestServer::start_with(&["--trust-forwarded-for"]).await;
    password::set(&srv.pool, PASSWORD)
        .await
        .expect("password set");
    for i in 1..=LOGIN_ATTEMPTS_PER_MINUTE {
        let ip = format!("2001:db8::{i}");
        assert_eq!(guess(&srv, &ip).await, LoginReply::WrongPassword, "{ip}");
    }
    let last = format!("2001:db8::{}", LOGIN_ATTEMPTS_PER_MINUTE + 1);
    assert_eq!(guess(&srv, &last).await, LoginReply::RateLimited);
    // The next /64 is someone else.
    assert_eq!(
        guess(&srv, "2001:db8:0:1::1").await,
        LoginReply::WrongPassword
    );
}

/// Each address of a /64 had its own room budget: unlimited rooms from one client.
#[tokio::test]
async fn rooms_from_one_slash_64_share_one_budget() {
    let srv = TestServer::start_with(&["--rooms-per-minute", "1", "--trust-forwarded-for"]).await;
    let create = |ip: &'static str| {
        let headers = [
            ("content-type", "application/json"),
            ("x-forwarded-for", ip),
        ];
        let srv = &srv;
        async move {
            srv.http("POST", "/api/rooms", &headers, r#"{"name":"Math"}"#)
                .await
                .status
        }
    };
    assert_eq!(create("2001:db8::1").await, 201);
    assert_eq!(create("2001:db8::2").await, 429);
    assert_eq!(create("2001:db8:0:1::1").await, 201);
    // An IPv4 client is still one address, not a /24.
    assert_eq!(create("10.0.0.1").await, 201);
    assert_eq!(create("10.0.0.2").await, 201);
}
