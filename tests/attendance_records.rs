//! Attendance as recorded over real sockets: class sessions, one attendee across re-joins, two
//! people with one name, refusals, and the end of a class.

mod common;

use classroom::protocol::{ClientMsg, ServerMsg};
use classroom::server::secret;
use common::class::{class, knock_as, let_in, teacher};
use common::TestServer;

type Row = (
    Option<i64>,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
);

async fn rows(srv: &TestServer) -> Vec<Row> {
    sqlx::query_as(
        "SELECT session_id, display_name, attendee, outcome, joined_at, left_at
         FROM participations WHERE room_id = 'c1' ORDER BY id",
    )
    .fetch_all(&srv.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_class_is_one_session_whose_rows_know_who_is_who() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    let minji_a = "minji-a-token-0000000001";
    let minji_b = "minji-b-token-0000000002";
    let mut a = let_in(&srv, &mut t, "Minji", minji_a).await;
    let b = let_in(&srv, &mut t, "Minji", minji_b).await;
    // Minji A's tab reloads: a new connection, the same token.
    a.send(&ClientMsg::Leave).await;
    assert!(matches!(t.recv().await, ServerMsg::PeerLeft { .. }));
    drop(a);
    let a = let_in(&srv, &mut t, "Minji", minji_a).await;
    // Someone the teacher turns away.
    let (_stranger, id) = knock_as(&srv, &mut t, "Stranger", "stranger-token-00000003").await;
    t.send(&ClientMsg::Deny { peer: id }).await;
    assert_eq!(t.recv().await, ServerMsg::KnockEnded { peer: id });
    drop((a, b, t));
    // Everyone gone: the session closes as "empty".
    let mut sessions: Vec<(i64, Option<i64>, Option<String>)> = Vec::new();
    for _ in 0..100 {
        srv.flush().await;
        sessions = sqlx::query_as(
            "SELECT id, ended_at, end_reason FROM class_sessions WHERE room_id = 'c1'",
        )
        .fetch_all(&srv.pool)
        .await
        .unwrap();
        if sessions.iter().all(|s| s.1.is_some()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(sessions.len(), 1, "one session: {sessions:?}");
    assert_eq!(sessions[0].2.as_deref(), Some("empty"));

    let rows = rows(&srv).await;
    assert!(rows.iter().all(|r| r.0 == Some(sessions[0].0)), "{rows:?}");
    assert!(
        rows.iter().all(|r| r.5.is_some()),
        "every row closed: {rows:?}"
    );
    let of = |token: &str| -> Vec<&Row> {
        let hash = secret::hash(token);
        rows.iter()
            .filter(|r| r.2.as_deref() == Some(&*hash))
            .collect()
    };
    assert_eq!(
        of(minji_a).len(),
        2,
        "Minji A's two stays share her attendee: {rows:?}"
    );
    assert_eq!(of(minji_b).len(), 1, "the other Minji is another person");
    let denied = of("stranger-token-00000003");
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].3, "denied");
    assert_eq!(Some(denied[0].4), denied[0].5, "no time present");
    let teacher_row = rows.iter().find(|r| r.1 == "Kim").unwrap();
    assert_eq!(
        teacher_row.2, None,
        "a client without a token is its own person"
    );
    assert!(
        !rows.iter().any(|r| r.2.as_deref() == Some(minji_a)),
        "only the hash is stored"
    );
}

#[tokio::test]
async fn ending_the_class_closes_the_session_as_ended() {
    let srv = class().await;
    let (mut t, _) = teacher(&srv, "Kim").await;
    t.send(&ClientMsg::EndClass).await;
    assert!(matches!(t.recv().await, ServerMsg::Ended { .. }));
    let mut reason: Option<String> = None;
    for _ in 0..100 {
        srv.flush().await;
        reason = sqlx::query_scalar("SELECT end_reason FROM class_sessions WHERE room_id = 'c1'")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
        if reason.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(reason.as_deref(), Some("ended"));
}

#[tokio::test]
async fn a_malformed_attendee_token_is_refused_and_records_nothing() {
    let srv = class().await;
    let mut c = srv.client().await;
    c.send_join_as("c1", "Minji", None, Some("not a token!"))
        .await;
    c.expect_error(classroom::protocol::ErrorCode::InvalidAttendee)
        .await;
    srv.flush().await;
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM class_sessions")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}
