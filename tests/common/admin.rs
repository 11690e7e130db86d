//! Administrator helpers: a server with a password, logging in, pages as a browser asks for them.

use classroom::api::admin::{AdminLogin, LoginReply};
use classroom::server::admin::password;
use leptos::server_fn::ServerFn;

use super::http::Response;
use super::TestServer;

/// The administrator password of [`with_password`].
pub const PASSWORD: &str = "correct horse battery";

pub async fn with_password() -> TestServer {
    let srv = TestServer::start().await;
    password::set(&srv.pool, PASSWORD)
        .await
        .expect("password set");
    srv
}

/// A page as a browser asks for it (browsers accept HTML, which is what makes a redirect a 302).
pub async fn page(srv: &TestServer, path: &str, cookie: Option<&str>) -> Response {
    let cookie = cookie.map(|c| format!("classroom_admin={c}"));
    let mut headers = vec![("Accept", "text/html")];
    headers.extend(cookie.as_deref().map(|c| ("Cookie", c)));
    srv.http("GET", path, &headers, "").await
}

/// Posts the login form, as JavaScript (`accept` JSON) or as a plain form (`text/html`).
pub async fn login(srv: &TestServer, password: &str, accept: &str) -> Response {
    login_with(srv, password, accept, None).await
}

/// [`login`] from a browser that sends `cookie` (a `name=value` pair).
pub async fn login_with(
    srv: &TestServer,
    password: &str,
    accept: &str,
    cookie: Option<&str>,
) -> Response {
    let body = format!("password={}", password.replace(' ', "+"));
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", accept),
    ];
    headers.extend(cookie.map(|c| ("Cookie", c)));
    srv.http("POST", <AdminLogin as ServerFn>::PATH, &headers, &body)
        .await
}

pub fn reply(res: &Response) -> LoginReply {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

/// The session id the response sets, after checking the cookie's attributes.
pub fn session_cookie(res: &Response) -> String {
    let line = res
        .raw_head
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: classroom_admin=")
        })
        .unwrap_or_else(|| panic!("no session cookie in {}", res.raw_head));
    assert!(line.contains("; HttpOnly"), "{line}");
    assert!(line.contains("; SameSite=Strict"), "{line}");
    assert!(line.contains("; Path=/"), "{line}");
    let value = line.split_once('=').unwrap().1;
    value.split(';').next().unwrap().to_string()
}

/// A server with a password and a logged-in administrator's session id.
pub async fn logged_in() -> (TestServer, String) {
    let srv = with_password().await;
    let res = login(&srv, PASSWORD, "application/json").await;
    assert_eq!(reply(&res), LoginReply::LoggedIn, "{}", res.body);
    let id = session_cookie(&res);
    (srv, id)
}
