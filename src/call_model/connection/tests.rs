use super::*;

const HALF: f64 = 0.5;

fn resume(token: &str) -> Opening {
    Opening::Resume {
        token: token.to_string(),
    }
}

/// A connection that joined and got `token`.
fn joined_with(token: &str) -> Connection {
    let mut c = Connection::new();
    assert_eq!(c.opened(), Opening::Join);
    assert_eq!(c.answered(Some(token.into())), Some(Asked::Join));
    c
}

#[test]
fn the_first_connection_joins_and_is_up_once_answered() {
    let mut c = Connection::new();
    assert!(!c.is_up());
    assert_eq!(c.opened(), Opening::Join);
    assert!(
        !c.is_up(),
        "nothing but the join goes out before the answer"
    );
    assert_eq!(c.awaiting(), Some(Asked::Join));
    c.answered(Some("t1".into()));
    assert!(c.is_up());
}

#[test]
fn after_a_loss_the_next_connection_resumes_with_the_latest_token() {
    let mut c = joined_with("t1");
    assert_eq!(c.lost(None, HALF), 0, "the first attempt goes at once");
    assert!(!c.is_up());
    assert!(c.reconnect_due(c.generation()));
    assert_eq!(c.opened(), resume("t1"));
    assert_eq!(c.answered(Some("t2".into())), Some(Asked::Resume));
    c.lost(None, HALF);
    assert!(c.reconnect_due(c.generation()));
    assert_eq!(
        c.opened(),
        resume("t2"),
        "tokens are single use: the new one"
    );
}

#[test]
fn a_waiting_token_is_kept_through_an_admission_without_one() {
    let mut c = Connection::new();
    c.opened();
    c.answered(Some("w1".into())); // waiting
    assert_eq!(
        c.answered(None),
        None,
        "the admitting joined answers nothing we asked"
    );
    c.lost(None, HALF);
    c.reconnect_due(c.generation());
    assert_eq!(c.opened(), resume("w1"));
}

#[test]
fn resume_failed_falls_back_to_join_on_the_same_connection() {
    let mut c = joined_with("t1");
    c.lost(None, HALF);
    c.reconnect_due(c.generation());
    c.opened();
    assert!(c.resume_refused());
    assert_eq!(c.awaiting(), Some(Asked::Join));
    assert_eq!(c.answered(Some("n1".into())), Some(Asked::Join));
    c.lost(None, HALF);
    c.reconnect_due(c.generation());
    assert_eq!(c.opened(), resume("n1"));
}

#[test]
fn resume_failed_out_of_the_blue_changes_nothing() {
    let mut c = joined_with("t1");
    assert!(!c.resume_refused());
    assert!(c.is_up());
    c.lost(None, HALF);
    c.reconnect_due(c.generation());
    assert_eq!(c.opened(), resume("t1"));
}

#[test]
fn a_join_lost_before_its_answer_is_sent_again() {
    let mut c = Connection::new();
    c.opened();
    c.lost(None, HALF);
    c.reconnect_due(c.generation());
    assert_eq!(c.opened(), Opening::Join);
}

#[test]
fn attempts_back_off_until_a_success_resets_them() {
    let mut c = joined_with("t1");
    let mut pauses = Vec::new();
    for _ in 0..7 {
        pauses.push(c.lost(None, HALF));
        assert!(c.reconnect_due(c.generation()));
        // The socket fails to open: closed without a close code.
    }
    assert_eq!(pauses, [0, 300, 1_000, 1_000, 1_000, 1_000, 1_000]);
    c.opened();
    c.answered(Some("t2".into()));
    assert_eq!(c.lost(None, HALF), 0);
    assert_eq!(c.lost(None, HALF), 300);
}

#[test]
fn a_server_restart_is_retried_about_every_second() {
    let mut c = joined_with("t1");
    assert_eq!(c.lost(Some(close::RESTARTING), HALF), 0);
    for _ in 0..5 {
        c.reconnect_due(c.generation());
        assert_eq!(
            c.lost(None, HALF),
            1_000,
            "refused connections keep the restart pace"
        );
    }
}

#[test]
fn stale_timers_do_nothing() {
    let mut c = joined_with("t1");
    let first = c.generation();
    c.lost(None, HALF);
    assert!(!c.reconnect_due(first), "a timer from before the loss");
    let current = c.generation();
    assert!(c.reconnect_due(current));
    assert!(!c.reconnect_due(current), "fires once");
    c.opened();
    assert_eq!(c.answer_overdue(first), None);
    assert_eq!(c.answer_overdue(current), Some(Asked::Resume));
    c.answered(None);
    assert_eq!(c.answer_overdue(current), None, "answered in time");
}
