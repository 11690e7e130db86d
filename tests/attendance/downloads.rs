//! The CSV downloads: one session's (one row per person) and the whole room's (every session,
//! oldest first).

use super::{classes, download, logged_in_kst, parse_csv, rows_named};

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
