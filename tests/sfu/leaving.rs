//! Membership: a member who leaves stops its m-lines at the others, and rooms stay apart even
//! with the same peer ids.

use std::time::Duration;

use classroom::server::sfu::Command;
use str0m::media::MediaKind;

use super::client::{run, Client};
use super::{allow_audio, start, SETTLE};

#[test]
fn leave_stops_the_m_lines_at_the_others() {
    let sfu = start();
    allow_audio(&sfu, "r", 1, true);
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    assert!(sub.frames("1", MediaKind::Video) > 10);
    let offers = sub.offers.len();

    sfu.send(Command::Leave {
        room: "r".into(),
        peer: 1,
    });
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(500),
    );
    let last = sub
        .offers
        .last()
        .filter(|_| sub.offers.len() > offers)
        .expect("a renegotiation after the leave");
    let stopped = last
        .lines()
        .filter(|l| l.starts_with("m=audio 0 ") || l.starts_with("m=video 0 "))
        .count();
    assert_eq!(
        stopped, 2,
        "both of the leaver's m-lines get port 0:\n{last}"
    );
    let before = sub.frames("1", MediaKind::Video);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(500),
    );
    assert_eq!(
        sub.frames("1", MediaKind::Video),
        before,
        "nothing flows after the leave"
    );
}

#[test]
fn rooms_are_isolated_even_with_the_same_peer_ids() {
    let sfu = start();
    allow_audio(&sfu, "a", 1, true);
    allow_audio(&sfu, "b", 1, true);
    let mut pub_a = Client::join(&sfu, "a", 1, true);
    let mut sub_a = Client::join(&sfu, "a", 2, false);
    let mut pub_b = Client::join(&sfu, "b", 1, true);
    let mut sub_b = Client::join(&sfu, "b", 2, false);
    pub_b.marker = 0xbb;
    run(
        &sfu,
        &mut [&mut pub_a, &mut sub_a, &mut pub_b, &mut sub_b],
        SETTLE,
    );

    assert_eq!(
        sub_a.received.len(),
        2,
        "room a: one audio, one video m-line"
    );
    assert_eq!(
        sub_b.received.len(),
        2,
        "room b: one audio, one video m-line"
    );
    assert!(sub_a.frames("1", MediaKind::Video) > 10 && sub_b.frames("1", MediaKind::Video) > 10);
    assert!(
        sub_a.received.values().all(|e| e.3 == 1),
        "room a hears room a only"
    );
    assert!(
        sub_b.received.values().all(|e| e.3 == 0xbb),
        "room b hears room b only"
    );
}
