//! A stop with SIGTERM: signaling sockets close with 1012, the process exits cleanly, and the
//! most verbose log never held the teacher key.

use std::time::Duration;

use classroom::protocol::close;

use super::Server;

/// Defect 5: at `RUST_LOG=trace` the WebSocket library logged the `join` frame, teacher key and
/// all. Also: SIGTERM closes signaling sockets with 1012 and the process exits cleanly.
#[tokio::test]
async fn the_teacher_key_never_reaches_the_logs_and_sigterm_says_restarting() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut server = Server::start(&dir, "trace");
    let (room, key) = server.create_room().await;
    let mut teacher = server.teacher(&room, &key).await;

    server.signal("-TERM");
    assert_eq!(teacher.expect_close_frame().await, close::RESTARTING);
    let status = tokio::task::spawn_blocking(move || server.child.wait().map(|s| (s, server)))
        .await
        .unwrap()
        .unwrap();
    assert!(status.0.success(), "exit status {}", status.0);

    std::thread::sleep(Duration::from_millis(200));
    let log = status.1.log();
    assert!(log.contains(" DEBUG "), "verbose logging was on:\n{log}");
    assert!(!log.contains(&key), "the teacher key was logged:\n{log}");
}
