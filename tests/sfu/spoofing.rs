//! A member who sends from another member's address (a spoofed source) with its own session's
//! credentials: it must not take that address over.

use std::time::{Duration, Instant};

use str0m::media::MediaKind;

use super::client::{run, Client};
use super::{allow_audio, start, SETTLE};

/// Found in review: a member holds its own session's ICE password, so a binding request it signed
/// (here: its own last check, replayed) from a spoofed source was accepted by its session, and
/// the worker moved that source address to it. Sent from a publishing member's address, it sent
/// that member's camera into the attacker's session, where it was dropped: the class saw the
/// teacher freeze until the teacher's next check, and a replay every 20 ms kept it frozen. An
/// address now stays with a session that is connected on it.
#[test]
fn a_member_replaying_its_checks_from_anothers_address_does_not_take_it_over() {
    let sfu = start();
    allow_audio(&sfu, "r", 1, true);
    let mut teacher = Client::join(&sfu, "r", 1, true);
    let mut student = Client::join(&sfu, "r", 2, false);
    let mut attacker = Client::join(&sfu, "r", 3, false);
    run(
        &sfu,
        &mut [&mut teacher, &mut student, &mut attacker],
        SETTLE,
    );
    let before = student.frames("1", MediaKind::Video);
    assert!(before > 10, "the teacher's camera arrives: {before}");

    let to = sfu.local_addr();
    let end = Instant::now() + Duration::from_secs(2);
    while Instant::now() < end {
        let check = attacker
            .last_stun
            .clone()
            .expect("the attacker's client sent checks");
        // The teacher's socket stands for a spoofed source: the same address, the attacker's bytes.
        teacher.send_raw(to, &check);
        run(
            &sfu,
            &mut [&mut teacher, &mut student, &mut attacker],
            Duration::from_millis(20),
        );
    }
    let during = student.frames("1", MediaKind::Video) - before;
    // 30 frames a second for 2 s; the old code let through only what arrived between the
    // teacher's own checks and the next replay.
    assert!(
        during >= 40,
        "the teacher's camera froze: {during} frames in 2 s"
    );
}
