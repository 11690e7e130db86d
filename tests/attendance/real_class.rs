//! The whole path: a class held over real sockets comes out of the session CSV.

use super::{download, logged_in_kst, parse_csv, rows_named};
use crate::common;

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
