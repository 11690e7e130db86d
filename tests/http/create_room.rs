//! The `create_room` server function: with JavaScript (a JSON reply, no cookie) and as a no-JS
//! form (a redirect home and a one-time cookie), blank and long names refused.

use classroom::api::rooms::{CreateRoom, CreateRoomReply, NameProblem};
use classroom::server::secret;
use leptos::server_fn::ServerFn;

use crate::common::TestServer;

async fn rooms(srv: &TestServer) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT id, name, teacher_key_hash FROM rooms")
        .fetch_all(&srv.pool)
        .await
        .unwrap()
}

fn form_post(accept: &str) -> [(&str, &str); 2] {
    [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", accept),
    ]
}

#[tokio::test]
async fn create_room_stores_a_room_and_returns_working_links() {
    let srv = TestServer::start().await;
    let path = <CreateRoom as ServerFn>::PATH;
    let res = srv
        .http(
            "POST",
            path,
            &form_post("application/json"),
            "name=%20Math%20",
        )
        .await;
    assert_eq!(res.status, 200, "{path}: {}", res.body);
    let reply: CreateRoomReply = serde_json::from_str(&res.body).expect("JSON reply");
    let CreateRoomReply::Created(created) = reply else {
        panic!("expected a created room, got {reply:?}");
    };
    assert_eq!(created.name, "Math");

    let stored = rooms(&srv).await;
    assert_eq!(stored.len(), 1);
    let (id, name, hash) = &stored[0];
    assert_eq!(name, "Math");
    let base = format!("http://{}/r/{id}", srv.addr);
    assert_eq!(created.student_link, base);
    let key = created
        .teacher_link
        .strip_prefix(&format!("{base}#teacher="))
        .expect("teacher link is the student link plus the key in the fragment");
    assert_eq!(
        &secret::hash(key),
        hash,
        "the link's key matches the stored hash"
    );

    let page = srv.http("GET", &format!("/r/{id}"), &[], "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(">Math</h1>"));
}

#[tokio::test]
async fn create_room_with_a_blank_name_stores_nothing() {
    let srv = TestServer::start().await;
    let path = <CreateRoom as ServerFn>::PATH;
    let res = srv
        .http("POST", path, &form_post("application/json"), "name=%20%20")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let reply: CreateRoomReply = serde_json::from_str(&res.body).expect("JSON reply");
    assert_eq!(reply, CreateRoomReply::Invalid(NameProblem::Empty));
    assert!(!res.headers.contains("set-cookie"), "{}", res.headers);
    assert!(rooms(&srv).await.is_empty());

    let long = format!("name={}", "a".repeat(101));
    let res = srv
        .http("POST", path, &form_post("application/json"), &long)
        .await;
    let reply: CreateRoomReply = serde_json::from_str(&res.body).expect("JSON reply");
    assert_eq!(reply, CreateRoomReply::Invalid(NameProblem::TooLong));
    assert!(rooms(&srv).await.is_empty());
}

#[tokio::test]
async fn a_no_js_form_post_redirects_home() {
    let srv = TestServer::start().await;
    let path = <CreateRoom as ServerFn>::PATH;
    let html = form_post("text/html");
    let res = srv.http("POST", path, &html, "name=%20%20").await;
    assert!(
        (300..400).contains(&res.status),
        "{} {}",
        res.status,
        res.headers
    );
    assert!(
        res.headers.contains("location: /?problem=empty"),
        "{}",
        res.headers
    );
    assert!(rooms(&srv).await.is_empty());

    let res = srv.http("POST", path, &html, "name=Math").await;
    assert!(
        (300..400).contains(&res.status),
        "{} {}",
        res.status,
        res.headers
    );
    assert!(res.headers.contains("location: /\r\n"), "{}", res.headers);
    let stored = rooms(&srv).await;
    assert_eq!(stored.len(), 1);
    // The new room rides in a short-lived HttpOnly cookie, never in the URL.
    let cookie = format!("set-cookie: classroom_new_room={}.", stored[0].0);
    assert!(res.headers.contains(&cookie), "{}", res.headers);
    for attribute in ["httponly", "max-age=60", "samesite=strict"] {
        assert!(
            res.headers.contains(attribute),
            "{attribute}: {}",
            res.headers
        );
    }
    // Defect 5: the next visitor of this browser saw the teacher link. It is shown once and the
    // cookie is cleared in the same response.
    let value = res
        .raw_head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let home = srv.http("GET", "/", &[("cookie", &value)], "").await;
    assert!(
        home.body.contains("#teacher="),
        "the creator sees the links once"
    );
    assert!(
        home.headers
            .contains("set-cookie: classroom_new_room=; path=/; max-age=0"),
        "{}",
        home.headers
    );
}

/// Defect 5: creating a room with JavaScript set the same cookie as the no-JS form.
#[tokio::test]
async fn creating_a_room_with_javascript_sets_no_cookie() {
    let srv = TestServer::start().await;
    let path = <CreateRoom as ServerFn>::PATH;
    let res = srv
        .http("POST", path, &form_post("application/json"), "name=Math")
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(matches!(
        serde_json::from_str(&res.body).unwrap(),
        CreateRoomReply::Created(_)
    ));
    assert!(!res.headers.contains("set-cookie"), "{}", res.headers);
}
