//! Membership: a member who leaves stops its m-lines at the others, rooms stay apart even with
//! the same peer ids, and a member's offers that fail leave what works alone.

use std::time::Duration;

use classroom::server::sfu::Command;
use str0m::media::MediaKind;

use classroom::protocol::{ErrorCode, SdpType};

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

/// Found in review (session 27): an offer from "a new connection" (another fingerprint) ended the
/// member's working session before it was known whether the offer could start one; a garbled
/// one then cut the member's media off from everyone, though the protocol says nothing changes.
#[test]
fn an_offer_that_cannot_start_a_session_leaves_the_working_one() {
    let sfu = start();
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    assert!(sub.frames("1", MediaKind::Video) > 10);
    let garbled = "v=0\r\na=fingerprint:sha-256 00:11:22\r\nm=video 9\r\n".to_string();
    publisher.signal(&sfu, SdpType::Offer, garbled);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(300),
    );
    assert_eq!(publisher.errors, vec![ErrorCode::BadSignal], "refused");
    let before = sub.frames("1", MediaKind::Video);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(700),
    );
    assert!(
        sub.frames("1", MediaKind::Video) > before + 5,
        "the publisher's camera still reaches the others"
    );
}

/// Found in review (session 27): a client offer that crossed one of ours and could not be answered
/// dropped ours without planning its m-lines again, so the subscriber never got those tracks.
#[test]
fn a_crossing_offer_that_fails_leaves_nothing_unoffered() {
    let sfu = start();
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut sub], SETTLE);
    let mut publisher = Client::join(&sfu, "r", 1, true);
    // Our offer of the publisher's tracks to `sub` waits, unread.
    run(&sfu, &mut [&mut publisher], Duration::from_millis(500));
    let fingerprint = sub.rtc.direct_api().local_dtls_fingerprint().to_string();
    let refused = format!(
        "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=fingerprint:{fingerprint}\r\n"
    );
    // The impolite browser ignores our offer, since its own crossed it.
    sub.drop_offers();
    sub.signal(&sfu, SdpType::Offer, refused);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    assert_eq!(sub.errors, vec![ErrorCode::BadSignal], "refused");
    assert!(
        sub.frames("1", MediaKind::Video) > 10,
        "offered again, and flowing"
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
