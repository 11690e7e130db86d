//! A `kill -9`: what the attendance looks like after the next start, with nobody resuming and with
//! the teacher resuming.

use std::time::Duration;

use classroom::protocol::{Role, ServerMsg};

use super::Server;

/// Waits until `sql` (a count) answers `want`, for up to 2 s.
async fn wait_count(pool: &sqlx::SqlitePool, sql: &str, want: i64) {
    for _ in 0..100 {
        if sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
            == want
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{sql} never gave {want}");
}

/// A class killed with `-9`: its teacher's stay is open and the room saved. Returns the server
/// (dead), the pool, the room, the teacher's id and token, the last heartbeat and when it died.
async fn killed_class(
    dir: &tempfile::TempDir,
) -> (sqlx::SqlitePool, String, u64, String, i64, i64) {
    let mut server = Server::start(dir, "info");
    let (room, key) = server.create_room().await;
    let (_teacher, id, token) = server.teacher_with_token(&room, &key).await;
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let pool = classroom::server::db::connect(&url).await.unwrap();
    wait_count(
        &pool,
        "SELECT count(*) FROM participations WHERE left_at IS NULL",
        1,
    )
    .await;
    wait_count(&pool, "SELECT count(*) FROM live_rooms", 1).await;
    let beat: i64 = sqlx::query_scalar("SELECT at FROM server_heartbeat")
        .fetch_one(&pool)
        .await
        .expect("the running server wrote a heartbeat");
    server.signal("-KILL");
    let _ = server.child.wait();
    let killed_at = classroom::server::db::now_ms();
    (pool, room, id, token, beat, killed_at)
}

/// Attendance across a crash nobody comes back from: a `kill -9` leaves the stay and the session
/// open; the next start restores the room, and when the grace period passes with nobody resuming,
/// closes them at the last heartbeat (not at the restart, which would count the downtime as
/// presence) and marks them.
#[tokio::test]
async fn a_kill_9_nobody_resumes_from_ends_at_the_last_heartbeat_marked() {
    let dir = tempfile::TempDir::new().unwrap();
    let (pool, room, _, _, beat, killed_at) = killed_class(&dir).await;
    let again = Server::start_with(&dir, "info", &["--resume-grace", "1"]);
    assert!(
        again.log().contains("restored the rooms of the last run"),
        "{}",
        again.log()
    );
    let closed = "SELECT count(*) FROM participations WHERE left_at IS NOT NULL";
    wait_count(&pool, closed, 0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    wait_count(&pool, closed, 1).await;
    let (joined, left, marked): (i64, i64, bool) = sqlx::query_as(
        "SELECT joined_at, left_at, closed_at_restart FROM participations WHERE room_id = ?",
    )
    .bind(&room)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(marked, "the row says it was closed at a restart");
    assert_eq!(left, joined.max(beat), "closed at the last heartbeat");
    assert!(left < killed_at);
    wait_count(
        &pool,
        "SELECT count(*) FROM class_sessions WHERE ended_at IS NOT NULL",
        1,
    )
    .await;
    let (ended, reason): (i64, String) =
        sqlx::query_as("SELECT ended_at, end_reason FROM class_sessions WHERE room_id = ?")
            .bind(&room)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((ended, reason.as_str()), (left, "restart"));
    wait_count(&pool, "SELECT count(*) FROM live_rooms", 0).await;
    again.signal("-KILL");
}

/// The same crash, and the teacher's browser resumes: the same participant, one stay running on.
#[tokio::test]
async fn after_a_kill_9_the_teacher_resumes_the_same_place() {
    let dir = tempfile::TempDir::new().unwrap();
    let (pool, room, id, token, _, _) = killed_class(&dir).await;
    let again = Server::start(&dir, "info");
    let mut teacher = again.connect().await;
    teacher
        .send(&classroom::protocol::ClientMsg::Resume {
            room: room.clone(),
            token,
            media: Default::default(),
        })
        .await;
    match teacher.recv().await {
        ServerMsg::Joined {
            you, role, resumed, ..
        } => {
            assert_eq!((you, role, resumed), (id, Role::Teacher, true))
        }
        other => panic!("expected joined, got {other:?}"),
    }
    let open = "SELECT count(*) FROM participations WHERE left_at IS NULL";
    wait_count(&pool, open, 1).await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM participations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "one stay through the crash");
    again.signal("-KILL");
}
