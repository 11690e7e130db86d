//! Resuming across a server restart: everyone gets their place back and attendance runs on,
//! unless the server was down too long.

use classroom::protocol::{close, ClientMsg, ErrorCode, Role, ServerMsg};

use super::{enter, send_resume};
use crate::common::TestServer;

#[tokio::test]
async fn after_a_restart_everyone_resumes_their_place_and_attendance_runs_on() {
    let srv = TestServer::start_with(&["--resume-grace", "15"]).await;
    srv.open_room("room1", "Algebra II", "key1").await;
    let (teacher, t_id, t_token) = enter(&srv, "room1", "Kim", Some("key1")).await;
    let (mut minji, m_id, m_token) = enter(&srv, "room1", "Minji", None).await;
    drop(teacher);
    minji.send(&ClientMsg::RaiseHand).await;
    srv.flush().await;
    let srv = srv.restart().await;
    assert_eq!(minji.expect_close_frame().await, close::RESTARTING);

    let mut teacher = srv.client().await;
    send_resume(&mut teacher, "room1", &t_token).await;
    match teacher.recv().await {
        ServerMsg::Joined {
            you, role, peers, ..
        } => {
            assert_eq!((you, role), (t_id, Role::Teacher));
            let minji = peers
                .iter()
                .find(|p| p.id == m_id)
                .expect("Minji is still there");
            assert!(minji.hand.is_some(), "her hand is still up");
        }
        other => panic!("expected joined, got {other:?}"),
    }
    let mut minji = srv.client().await;
    send_resume(&mut minji, "room1", &m_token).await;
    assert!(matches!(minji.recv().await, ServerMsg::Joined { you, .. } if you == m_id));
    // A newcomer gets an id no one had.
    let (_, new_id, _) = enter(&srv, "room1", "Jisoo", None).await;
    assert!(new_id > t_id.max(m_id), "ids stay unique across restarts");
    srv.flush().await;
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM participations WHERE left_at IS NULL AND display_name IN ('Kim', 'Minji')",
    )
    .fetch_one(&srv.pool)
    .await
    .unwrap();
    assert_eq!(open, 2, "both stays run on through the restart");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM class_sessions")
        .fetch_one(&srv.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "one class session");
}

#[tokio::test]
async fn a_server_down_too_long_gives_no_places_back() {
    let srv = TestServer::with_room().await;
    let (_teacher, _, token) = enter(&srv, "room1", "Kim", Some("key1")).await;
    srv.flush().await;
    let pool = srv.pool.clone();
    let srv = srv
        .restart_after(|| async move {
            sqlx::query("UPDATE server_heartbeat SET at = at - 600000")
                .execute(&pool)
                .await
                .unwrap();
        })
        .await;
    let mut c = srv.client().await;
    send_resume(&mut c, "room1", &token).await;
    c.expect_error(ErrorCode::ResumeFailed).await;
    let (left, marked): (Option<i64>, bool) =
        sqlx::query_as("SELECT left_at, closed_at_restart FROM participations")
            .fetch_one(&srv.pool)
            .await
            .unwrap();
    assert!(
        left.is_some() && marked,
        "closed at the last heartbeat, marked"
    );
}
