//! Attendance for the administrator over real HTTP: the room and session pages, their server
//! functions and the CSV downloads. Refused without a session; unknown rooms and other rooms'
//! sessions are 404; the CSV is parsed back (BOM, header, formula escaping, people by token).

mod common;

use classroom::api::admin::LoginReply;
use classroom::api::attendance::{
    AdminRoomSessions, AdminSessionAttendance, Outcome, RoomSessions, SessionAttendance, SessionEnd,
};
use classroom::server::admin::password;
use common::admin::{login, page, reply, session_cookie, with_password, PASSWORD};
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

#[tokio::test]
async fn everything_is_refused_without_a_session() {
    let srv = with_password().await;
    let (done, _, _) = classes(&srv).await;
    for cookie in [None, Some("made-up")] {
        let res = call::<AdminRoomSessions>(&srv, cookie, "room=room1&page=1").await;
        assert_eq!(res.status, 401, "{}", res.body);
        let body = format!("room=room1&session={done}");
        let res = call::<AdminSessionAttendance>(&srv, cookie, &body).await;
        assert_eq!(res.status, 401, "{}", res.body);
        let csvs = [
            "/admin/rooms/room1/attendance.csv".to_string(),
            format!("/admin/rooms/room1/sessions/{done}/attendance.csv"),
        ];
        for path in &csvs {
            let res = download(&srv, path, cookie, "*/*").await;
            assert_eq!(res.status, 401, "{path}: {}", res.raw_head);
            assert!(!res.body.contains("Minji"));
            // A browser navigating there is sent to the login page, as for the pages.
            let res = download(&srv, path, cookie, "text/html,*/*").await;
            assert_eq!(res.status, 302, "{path}: {}", res.raw_head);
            assert!(
                res.headers.contains("location: /admin/login"),
                "{}",
                res.raw_head
            );
        }
        let pages = [
            "/admin/rooms/room1".to_string(),
            format!("/admin/rooms/room1/sessions/{done}"),
        ];
        for path in &pages {
            let res = page(&srv, path, cookie).await;
            assert_eq!(res.status, 302, "{path}: {}", res.raw_head);
            assert!(
                res.headers.contains("location: /admin/login"),
                "{}",
                res.raw_head
            );
            assert!(!res.body.contains("Minji"));
        }
    }
}

#[tokio::test]
async fn unknown_rooms_and_other_rooms_sessions_are_not_found() {
    let (srv, admin) = logged_in_kst().await;
    let (done, _, other) = classes(&srv).await;
    let a = Some(admin.as_str());
    for path in [
        "/admin/rooms/nope/attendance.csv".to_string(),
        format!("/admin/rooms/nope/sessions/{done}/attendance.csv"),
        format!("/admin/rooms/room1/sessions/{other}/attendance.csv"),
        "/admin/rooms/room1/sessions/999999/attendance.csv".to_string(),
    ] {
        let res = download(&srv, &path, a, "*/*").await;
        assert_eq!(res.status, 404, "{path}: {}", res.body);
    }
    for path in [
        "/admin/rooms/nope".to_string(),
        format!("/admin/rooms/room1/sessions/{other}"),
        "/admin/rooms/room1/sessions/x".to_string(),
    ] {
        let res = page(&srv, &path, a).await;
        assert_eq!(res.status, 404, "{path}");
        assert!(!res.body.contains("Bo<"), "{path}");
    }
    let res = call::<AdminRoomSessions>(&srv, a, "room=nope&page=1").await;
    assert_eq!((res.status, res.body.as_str()), (200, "null"));
    let body = format!("room=room1&session={other}");
    let res = call::<AdminSessionAttendance>(&srv, a, &body).await;
    assert_eq!((res.status, res.body.as_str()), (200, "null"));
}

#[tokio::test]
async fn a_session_csv_has_one_row_per_person() {
    let (srv, admin) = logged_in_kst().await;
    let (done, _, _) = classes(&srv).await;
    let path = format!("/admin/rooms/room1/sessions/{done}/attendance.csv");
    let res = download(&srv, &path, Some(&admin), "*/*").await;
    assert!(
        res.headers.contains(&format!(
            "content-disposition: attachment; filename=\"attendance-room1-session-{done}.csv\"; \
             filename*=utf-8''%ec%88%98%ed%95%99%201%eb%b0%98%20attendance%20session%20{done}.csv"
        )),
        "{}",
        res.raw_head
    );
    let rows = parse_csv(&res);
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows.iter().all(|r| r[0] == done.to_string()));
    assert_eq!(&rows[0][1], "2026-11-24T14:00:00+09:00");
    assert_eq!(&rows[0][2], "2026-11-24T15:00:00+09:00");
    assert_eq!(&rows[0][3], "empty");
    let kim = &rows_named(&rows, "Ms. Kim")[0];
    assert_eq!(
        (&kim[5], &kim[8], &kim[10]),
        ("teacher", "60.0", "admitted")
    );
    // Two students called Minji are two people; the first one's two stays are summed.
    let minji = rows_named(&rows, "Minji");
    assert_eq!(minji.len(), 2, "{rows:?}");
    let first = minji
        .iter()
        .find(|r| &r[9] == "2")
        .expect("the one who re-joined");
    assert_eq!(&first[8], "20.0");
    assert_eq!(
        (&first[6], &first[7]),
        ("2026-11-24T14:00:00+09:00", "2026-11-24T14:30:00+09:00")
    );
    let second = minji.iter().find(|r| &r[9] == "1").unwrap();
    assert_eq!(&second[8], "45.0");
    // A name a spreadsheet would run as a formula is text.
    assert_eq!(rows_named(&rows, "'=SUM(1)").len(), 1, "{rows:?}");
    assert!(rows_named(&rows, "=SUM(1)").is_empty());
    let troll = &rows_named(&rows, "Troll")[0];
    assert_eq!((&troll[8], &troll[9], &troll[10]), ("0.0", "0", "denied"));
    let jisoo = &rows_named(&rows, "Jisoo")[0];
    assert_eq!(&jisoo[11], "yes");
    assert!(jisoo[12].contains("server stopped"));
    assert_eq!(&kim[11], "no");
}

#[tokio::test]
async fn the_room_csv_has_every_session_oldest_first() {
    let (srv, admin) = logged_in_kst().await;
    let (done, live, other) = classes(&srv).await;
    let res = download(
        &srv,
        "/admin/rooms/room1/attendance.csv",
        Some(&admin),
        "text/csv",
    )
    .await;
    assert!(
        res.headers.contains("filename=\"attendance-room1.csv\""),
        "{}",
        res.raw_head
    );
    let rows = parse_csv(&res);
    let sessions: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let (done, live) = (done.to_string(), live.to_string());
    assert_eq!(sessions, [&*done, &done, &done, &done, &done, &done, &live]);
    assert!(!sessions.contains(&other.to_string().as_str()));
    let now = rows.last().unwrap();
    // Going on: no end, no leave, counted up to now.
    assert_eq!((&now[2], &now[3], &now[4], &now[7]), ("", "", "Minji", ""));
    assert!(now[8].parse::<f64>().unwrap() > 60.0);
}

#[tokio::test]
async fn the_pages_and_their_functions_list_sessions_and_people() {
    let (srv, admin) = logged_in_kst().await;
    let (done, live, _) = classes(&srv).await;
    let a = Some(admin.as_str());

    let res = call::<AdminRoomSessions>(&srv, a, "room=room1&page=1").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let found: Option<RoomSessions> = serde_json::from_str(&res.body).unwrap();
    let found = found.expect("room1");
    assert_eq!((found.total, found.page, found.pages), (2, 1, 1));
    assert_eq!(found.offset.label(), "UTC+09:00");
    let ids: Vec<i64> = found.sessions.iter().map(|s| s.id).collect();
    assert_eq!(ids, [live, done], "newest first");
    // Troll was denied: not one of the people in the class.
    assert_eq!(
        (found.sessions[1].people, found.sessions[1].end),
        (5, Some(SessionEnd::Empty))
    );
    assert_eq!((found.sessions[0].people, found.sessions[0].end), (1, None));

    let body = format!("room=room1&session={done}");
    let res = call::<AdminSessionAttendance>(&srv, a, &body).await;
    let found: Option<SessionAttendance> = serde_json::from_str(&res.body).unwrap();
    let people = found.expect("the session").attendees;
    assert_eq!(people.len(), 6);
    assert_eq!(
        people
            .iter()
            .filter(|p| p.outcome == Outcome::Denied)
            .count(),
        1
    );

    let html = page(&srv, "/admin/rooms/room1", a).await;
    assert_eq!(html.status, 200, "{}", html.body);
    assert!(html.headers.contains("cache-control: no-store"));
    assert!(html.body.contains("<h1>수학 1반</h1>"), "{}", html.body);
    assert!(
        html.body.contains("<caption>Class sessions (2)</caption>"),
        "{}",
        html.body
    );
    assert!(html.body.contains("Times are shown in UTC+09:00."));
    assert!(html
        .body
        .contains(r#"href="/admin/rooms/room1/attendance.csv""#));
    let link = format!(r#"<a href="/admin/rooms/room1/sessions/{done}">2026-11-24 14:00</a>"#);
    assert!(html.body.contains(&link), "{}", html.body);
    assert!(html.body.contains("Everyone left") && html.body.contains("60.0 min"));

    let html = page(&srv, &format!("/admin/rooms/room1/sessions/{done}"), a).await;
    assert_eq!(html.status, 200, "{}", html.body);
    assert!(
        html.body.contains("<caption>Participants (6)</caption>"),
        "{}",
        html.body
    );
    assert!(html.body.contains(r#"<th scope="row">Troll</th>"#));
    assert!(html.body.contains("Denied") && html.body.contains("Closed at server restart"));
    assert!(html.body.contains(r#"id="restart-note""#));
    assert!(html.body.contains("20.0 min"));

    // In Korean.
    let headers = [
        ("Accept", "text/html"),
        ("Accept-Language", "ko"),
        ("Cookie", &*format!("classroom_admin={admin}")),
    ];
    let ko = srv
        .http(
            "GET",
            &format!("/admin/rooms/room1/sessions/{done}"),
            &headers,
            "",
        )
        .await;
    assert!(
        ko.body.contains("<caption>참여자 (6명)</caption>"),
        "{}",
        ko.body
    );
    assert!(ko.body.contains("입장 거절됨"));
}

#[tokio::test]
async fn the_room_list_counts_sessions_from_the_index() {
    let (srv, admin) = logged_in_kst().await;
    classes(&srv).await;
    let html = page(&srv, "/admin", Some(&admin)).await;
    let start = html.body.find(">수학 1반</a></th>").expect("room1 row");
    let row = &html.body[start..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>2</td>"), "{row}");
    assert!(html
        .body
        .contains(r#"<a href="/admin/rooms/room1">수학 1반</a>"#));
    assert!(html.body.contains("Updated at "), "{}", html.body);
    assert!(html.body.contains(">Refresh</a>"));

    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT (SELECT count(*) FROM class_sessions s WHERE s.room_id = r.id)
         FROM rooms r",
    )
    .fetch_all(&srv.pool)
    .await
    .unwrap();
    let plan: Vec<&str> = plan.iter().map(|r| r.3.as_str()).collect();
    assert!(
        plan.iter()
            .any(|p| p.contains("USING COVERING INDEX class_sessions_by_room")),
        "{plan:?}"
    );
}

/// The whole path: a class held over real sockets (tokens sent by the clients, a reload, a name a
/// spreadsheet would run, a refusal) comes out of the session CSV as the people who were there.
#[tokio::test]
async fn a_class_over_real_sockets_comes_out_of_the_csv() {
    use classroom::protocol::{ClientMsg, ServerMsg};
    use common::class::{knock_as, let_in};

    let (srv, admin) = logged_in_kst().await;
    srv.room("c1", "수학 1반", "tk").await;
    let mut t = srv.client().await;
    t.send_join_as("c1", "Ms. Kim", Some("tk"), Some("teacher-token-000001"))
        .await;
    assert!(matches!(t.recv().await, ServerMsg::Joined { .. }));
    let mut a = let_in(&srv, &mut t, "Minji", "minji-a-token-000001").await;
    let mut b = let_in(&srv, &mut t, "Minji", "minji-b-token-000002").await;
    // Minji A reloads her tab: she leaves and comes back with the same token.
    a.send(&ClientMsg::Leave).await;
    assert!(matches!(t.recv().await, ServerMsg::PeerLeft { .. }));
    drop(a);
    let a = let_in(&srv, &mut t, "Minji", "minji-a-token-000001").await;
    // The other Minji leaves (the test server's rooms hold three), and someone else comes.
    b.send(&ClientMsg::Leave).await;
    assert!(matches!(t.recv().await, ServerMsg::PeerLeft { .. }));
    let c = let_in(&srv, &mut t, "=cmd|' /C calc'!A0", "formula-token-000003").await;
    let (_troll, id) = knock_as(&srv, &mut t, "Troll", "troll-token-00000004").await;
    t.send(&ClientMsg::Deny { peer: id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: id });
    drop((a, b, c, t));

    let mut ended = None;
    for _ in 0..100 {
        srv.flush().await;
        ended = sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM class_sessions WHERE room_id = 'c1' AND ended_at IS NOT NULL",
        )
        .fetch_optional(&srv.pool)
        .await
        .unwrap();
        if ended.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (sid,) = ended.expect("the session ended when the room emptied");
    let path = format!("/admin/rooms/c1/sessions/{sid}/attendance.csv");
    let rows = parse_csv(&download(&srv, &path, Some(&admin), "text/csv").await);
    assert_eq!(
        rows.len(),
        5,
        "teacher, two Minji, the formula, the troll: {rows:?}"
    );
    assert!(rows.iter().all(|r| &r[3] == "empty"));
    let minji = rows_named(&rows, "Minji");
    let mut stays: Vec<&str> = minji.iter().map(|r| &r[9]).collect();
    stays.sort();
    assert_eq!(
        stays,
        ["1", "2"],
        "two people; the one who reloaded came twice"
    );
    assert_eq!(&rows_named(&rows, "Ms. Kim")[0][5], "teacher");
    assert_eq!(
        rows_named(&rows, "'=cmd|' /C calc'!A0").len(),
        1,
        "{rows:?}"
    );
    assert_eq!(&rows_named(&rows, "Troll")[0][10], "denied");
}
