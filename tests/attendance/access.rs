//! Who may see attendance: nothing without a session, and 404 for unknown rooms and for another
//! room's sessions.

use classroom::api::attendance::{AdminRoomSessions, AdminSessionAttendance};

use super::{call, classes, download, logged_in_kst};
use crate::common::admin::{page, with_password};

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
