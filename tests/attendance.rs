//! Attendance for the administrator over real HTTP: the room and session pages, their server
//! functions and the CSV downloads. Refused without a session; unknown rooms and other rooms'
//! sessions are 404; the CSV is parsed back (BOM, header, formula escaping, people by token).
//!
//! This file: the classes the tests look at (seeded rows) and the requests they make; the tests
//! are in `tests/attendance/`.

mod common;

#[path = "attendance/access.rs"]
mod access;
#[path = "attendance/downloads.rs"]
mod downloads;
#[path = "attendance/pages.rs"]
mod pages;
#[path = "attendance/real_class.rs"]
mod real_class;

use classroom::api::admin::LoginReply;
use classroom::server::admin::password;
use common::admin::{login, reply, session_cookie, PASSWORD};
use common::http::Response;
use common::TestServer;
use leptos::server_fn::ServerFn;

/// 2026-11-24T05:00:00Z, 14:00 in Seoul.
const BASE: i64 = 1_795_496_400_000;
const MIN: i64 = 60_000;

/// A server whose reports are in Korean time, with a logged-in administrator.
async fn logged_in_kst() -> (TestServer, String) {
    let srv = TestServer::start_with(&["--report-utc-offset", "+09:00"]).await;
    password::set(&srv.pool, PASSWORD).await.unwrap();
    let res = login(&srv, PASSWORD, "application/json").await;
    assert_eq!(reply(&res), LoginReply::LoggedIn, "{}", res.body);
    let id = session_cookie(&res);
    (srv, id)
}

async fn session(srv: &TestServer, room: &str, from: i64, to: Option<(i64, &str)>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO class_sessions (room_id, started_at, ended_at, end_reason)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(room)
    .bind(BASE + from * MIN)
    .bind(to.map(|(t, _)| BASE + t * MIN))
    .bind(to.map(|(_, why)| why))
    .fetch_one(&srv.pool)
    .await
    .unwrap()
}

/// A stay (`outcome` admitted) or refusal (denied) from minute `from` to `to`.
#[allow(clippy::too_many_arguments)]
async fn stay(
    srv: &TestServer,
    room: &str,
    session: i64,
    name: &str,
    role: &str,
    attendee: &str,
    (from, to): (i64, Option<i64>),
    outcome: &str,
    restart: bool,
) {
    sqlx::query(
        "INSERT INTO participations (room_id, session_id, display_name, role, attendee, joined_at,
                                     left_at, outcome, closed_at_restart)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(room)
    .bind(session)
    .bind(name)
    .bind(role)
    .bind(attendee)
    .bind(BASE + from * MIN)
    .bind(to.map(|t| BASE + t * MIN))
    .bind(outcome)
    .bind(restart)
    .execute(&srv.pool)
    .await
    .unwrap();
}

/// Room `room1` "수학 1반" with a finished session (returned first) and one going on, and room
/// `room2` with a session of its own (returned last).
async fn classes(srv: &TestServer) -> (i64, i64, i64) {
    srv.room("room1", "수학 1반", "key1").await;
    srv.room("room2", "Biology", "key2").await;
    let done = session(srv, "room1", 0, Some((60, "empty"))).await;
    let s = |name, role, token, span, outcome, restart| {
        stay(
            srv, "room1", done, name, role, token, span, outcome, restart,
        )
    };
    s("Ms. Kim", "teacher", "t", (0, Some(60)), "admitted", false).await;
    s("Minji", "student", "m1", (0, Some(10)), "admitted", false).await;
    s("Minji", "student", "m2", (5, Some(50)), "admitted", false).await;
    s("=SUM(1)", "student", "x", (1, Some(2)), "admitted", false).await;
    s("Troll", "student", "d", (3, Some(3)), "denied", false).await;
    s("Minji", "student", "m1", (20, Some(30)), "admitted", false).await;
    s("Jisoo", "student", "j", (10, Some(40)), "admitted", true).await;
    let live = session(srv, "room1", 120, None).await;
    stay(
        srv,
        "room1",
        live,
        "Minji",
        "student",
        "m1",
        (120, None),
        "admitted",
        false,
    )
    .await;
    let other = session(srv, "room2", 0, Some((5, "ended"))).await;
    stay(
        srv,
        "room2",
        other,
        "Bo",
        "student",
        "b",
        (0, Some(5)),
        "admitted",
        false,
    )
    .await;
    (done, live, other)
}

async fn call<T: ServerFn>(srv: &TestServer, cookie: Option<&str>, body: &str) -> Response {
    let cookie = cookie.map(|c| format!("classroom_admin={c}"));
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
    ];
    headers.extend(cookie.as_deref().map(|c| ("Cookie", c)));
    srv.http("POST", T::PATH, &headers, body).await
}

async fn download(srv: &TestServer, path: &str, cookie: Option<&str>, accept: &str) -> Response {
    let cookie = cookie.map(|c| format!("classroom_admin={c}"));
    let mut headers = vec![("Accept", accept)];
    headers.extend(cookie.as_deref().map(|c| ("Cookie", c)));
    srv.http("GET", path, &headers, "").await
}

/// The CSV's records after checking the BOM and the header.
fn parse_csv(res: &Response) -> Vec<csv::StringRecord> {
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(
        res.headers
            .contains("content-type: text/csv; charset=utf-8"),
        "{}",
        res.raw_head
    );
    assert!(
        res.headers.contains("cache-control: no-store"),
        "{}",
        res.raw_head
    );
    let body = res
        .body
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "session");
    assert_eq!(&header[4], "name");
    assert_eq!(&header[8], "minutes present (1 decimal)");
    assert_eq!(&header[11], "closed at server restart");
    reader.records().map(Result::unwrap).collect()
}

fn rows_named<'a>(rows: &'a [csv::StringRecord], name: &str) -> Vec<&'a csv::StringRecord> {
    rows.iter().filter(|r| &r[4] == name).collect()
}
