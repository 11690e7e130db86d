//! Pages and the `create_room` server function over plain HTTP/1.1.

mod common;

use classroom::api::rooms::{CreateRoom, CreateRoomReply, NameProblem};
use classroom::server::secret;
use common::TestServer;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn health_check_answers() {
    let srv = TestServer::start().await;
    let res = srv.http("GET", "/healthz", &[], "").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "ok");
}

#[tokio::test]
async fn an_unknown_room_is_a_404_page() {
    let srv = TestServer::start().await;
    let res = srv.http("GET", "/r/doesnotexist", &[], "").await;
    assert_eq!(res.status, 404, "{}", res.body);
    assert!(res.body.contains("Room not found"), "{}", res.body);
}

#[tokio::test]
async fn a_closed_room_says_so_with_410() {
    let srv = TestServer::start().await;
    srv.room("closedroom", "Old Class", "k").await;
    sqlx::query("UPDATE rooms SET closed_at = created_at WHERE id = 'closedroom'")
        .execute(&srv.pool)
        .await
        .unwrap();
    let res = srv.http("GET", "/r/closedroom", &[], "").await;
    assert_eq!(res.status, 410);
    assert!(res.body.contains("This room is closed"), "{}", res.body);
}

#[tokio::test]
async fn an_open_room_page_shows_its_name() {
    let srv = TestServer::start().await;
    srv.room("room1", "Algebra II", "key1").await;
    let res = srv.http("GET", "/r/room1", &[], "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains(">Algebra II</h1>"), "{}", res.body);
    assert!(!res.body.contains("Room not found"));
}

#[tokio::test]
async fn a_room_name_is_escaped_in_the_page() {
    let srv = TestServer::start().await;
    srv.room("room1", "<b>Bold</b> & co", "key1").await;
    let res = srv.http("GET", "/r/room1", &[], "").await;
    assert_eq!(res.status, 200);
    // The heading escapes it (the <title> too: see tests/regressions.rs).
    assert!(
        res.body.contains(">&lt;b&gt;Bold&lt;/b&gt; &amp; co</h1>"),
        "{}",
        res.body
    );
}

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

/// Defect 4: rooms never closed. A room nobody used for `--room-idle-days` is closed by the hourly
/// chores; a room used recently, or with someone in it, is not.
#[tokio::test]
async fn rooms_unused_for_the_idle_period_close() {
    let srv = TestServer::start_with(&["--room-idle-days", "30"]).await;
    let day: i64 = 24 * 3600 * 1000;
    let now = classroom::server::db::now_ms();
    for id in ["old", "used", "busy"] {
        srv.open_room(id, "Class", "k").await;
        sqlx::query("UPDATE rooms SET created_at = ? WHERE id = ?")
            .bind(now - 60 * day)
            .bind(id)
            .execute(&srv.pool)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO participations (room_id, display_name, role, joined_at, left_at) VALUES ('used', 'A', 'student', ?, ?)")
        .bind(now - 2 * day)
        .bind(now - day)
        .execute(&srv.pool)
        .await
        .unwrap();
    let (_in_it, _) = srv.join("busy", "B").await;
    common::wait_row_closed_or_open(&srv.pool, "B").await;
    sqlx::query("UPDATE participations SET joined_at = ? WHERE room_id = 'busy'")
        .bind(now - 40 * day)
        .execute(&srv.pool)
        .await
        .unwrap();

    classroom::server::housekeeping::run_once(&srv.state).await;

    assert_eq!(srv.http("GET", "/r/old", &[], "").await.status, 410);
    assert_eq!(srv.http("GET", "/r/used", &[], "").await.status, 200);
    assert_eq!(srv.http("GET", "/r/busy", &[], "").await.status, 200);
    let mut late = srv.client().await;
    late.send_join("old", "C", None).await;
    late.expect_error(classroom::protocol::ErrorCode::UnknownRoom)
        .await;
}
