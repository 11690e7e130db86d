//! The administrator's pages and their server functions: a room's sessions, a session's people,
//! and the room list's session counts.

use classroom::api::attendance::{
    AdminRoomSessions, AdminSessionAttendance, Outcome, RoomSessions, SessionAttendance, SessionEnd,
};

use super::{call, classes, logged_in_kst};
use crate::common::admin::page;

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
