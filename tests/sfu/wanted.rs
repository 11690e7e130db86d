//! A member's session gets an m-line for a camera only once its view shows that camera, and for a
//! voice only once that voice may be heard. Each m-line costs the media worker a walk over it for
//! every packet the session is sent; a class member that took every track held ~60.

use std::collections::BTreeSet;

use classroom::protocol::Quality;
use str0m::media::MediaKind;

use super::client::{run, Client};
use super::setup::view;
use super::{allow_audio, start, SETTLE};

/// The m-lines a client was offered, as `<msid stream> <kind>`.
fn m_lines(client: &Client) -> BTreeSet<String> {
    client
        .received
        .values()
        .map(|(stream, kind, ..)| line(stream, *kind))
        .collect()
}

fn line(stream: &str, kind: MediaKind) -> String {
    format!("{stream} {kind:?}")
}

#[test]
fn m_lines_come_with_the_view_and_the_word() {
    use MediaKind::{Audio, Video};
    let sfu = start();
    // The teacher may speak; the students may not (microphones locked).
    allow_audio(&sfu, "r", 1, true);
    allow_audio(&sfu, "r", 2, false);
    allow_audio(&sfu, "r", 3, false);
    let mut teacher = Client::join(&sfu, "r", 1, true);
    let mut two = Client::join(&sfu, "r", 2, true);
    let mut three = Client::join(&sfu, "r", 3, true);
    // As the bundled client does: the view goes out before the first offer.
    view(&sfu, 4, &[(1, Quality::High), (2, Quality::Low)]);
    let mut four = Client::join(&sfu, "r", 4, false);
    let step = |clients: &mut [&mut Client; 4]| run(&sfu, clients, SETTLE);
    let mut all = [&mut teacher, &mut two, &mut three, &mut four];
    step(&mut all);

    let [_, _, _, four] = &all;
    let expected = BTreeSet::from([line("1", Audio), line("1", Video), line("2", Video)]);
    assert_eq!(
        m_lines(four),
        expected,
        "only the cameras shown, the voice heard"
    );
    assert!(four.frames("1", Video) > 10 && four.frames("2", Video) > 10);
    assert!(four.frames("1", Audio) > 20);

    // The page flips to member 3: its camera is offered. Member 2's m-line stays, unused: flipping
    // back costs no negotiation.
    view(&sfu, 4, &[(1, Quality::High), (3, Quality::Low)]);
    step(&mut all);
    let [_, _, _, four] = &all;
    assert!(
        m_lines(four).contains(&line("3", Video)),
        "{:?}",
        four.received
    );
    assert!(m_lines(four).contains(&line("2", Video)));
    assert!(four.frames("3", Video) > 10, "{:?}", four.received);
    assert!(
        four.offers.iter().all(|o| !o.contains("m=video 0 ")),
        "nothing stopped"
    );
    let two_then = four.frames("2", Video);

    // Member 2 is given the word: its voice is offered and heard.
    allow_audio(&sfu, "r", 2, true);
    step(&mut all);
    let [_, _, _, four] = &all;
    assert!(four.frames("2", Audio) > 20, "{:?}", four.received);
    assert!(
        four.frames("2", Video) <= two_then + 2,
        "a camera out of the view is not forwarded"
    );
    // Member 3 never had the word: no m-line for its voice.
    assert!(!m_lines(four).contains(&line("3", Audio)));
}

/// A subscriber that never sends a view (a third-party client) still gets every camera, as
/// docs/protocol.md promises.
#[test]
fn without_a_view_every_camera_is_offered() {
    let sfu = start();
    let mut one = Client::join(&sfu, "r", 1, true);
    let mut two = Client::join(&sfu, "r", 2, true);
    let mut three = Client::join(&sfu, "r", 3, false);
    run(&sfu, &mut [&mut one, &mut two, &mut three], SETTLE);
    assert!(
        three.frames("1", MediaKind::Video) > 10,
        "{:?}",
        three.received
    );
    assert!(
        three.frames("2", MediaKind::Video) > 10,
        "{:?}",
        three.received
    );
}

/// A class of open microphones: a listener gets m-lines for the voices that were among the three
/// loudest, not one for every microphone allowed.
#[test]
fn only_voices_once_forwarded_get_m_lines() {
    let sfu = start();
    let speak = |peer: u64, level: i8| {
        allow_audio(&sfu, "r", peer, true);
        let mut client = Client::join(&sfu, "r", peer, true);
        client.audio_level = Some(level);
        client
    };
    let mut speakers: Vec<Client> = [(1, -20), (2, -30), (3, -40)]
        .into_iter()
        .map(|(peer, level)| speak(peer, level))
        .collect();
    let mut listener = Client::join(&sfu, "r", 6, false);
    let step = |speakers: &mut Vec<Client>, listener: &mut Client| {
        let mut all: Vec<&mut Client> = speakers.iter_mut().chain([listener]).collect();
        run(&sfu, &mut all, SETTLE);
    };
    step(&mut speakers, &mut listener);
    // Two quieter microphones open: never among the three loudest.
    speakers.push(speak(4, -90));
    speakers.push(speak(5, -100));
    step(&mut speakers, &mut listener);
    let voices: BTreeSet<String> = m_lines(&listener)
        .into_iter()
        .filter(|l| l.ends_with("Audio"))
        .collect();
    let loudest = ["1", "2", "3"].map(|p| line(p, MediaKind::Audio));
    assert_eq!(voices, BTreeSet::from(loudest), "{:?}", listener.received);
    assert!(listener.frames("3", MediaKind::Audio) > 20);
}

/// Found in review: a member's second video stream counts as a screen share, and was forwarded
/// to everyone (before every camera in each receiver's bandwidth) whatever the room allowed. Now
/// only while the hub says the member shares and may.
#[test]
fn a_screen_share_reaches_nobody_without_the_right_to_share() {
    let sfu = start();
    let mut student = Client::join(&sfu, "r", 2, true);
    let mut other = Client::join(&sfu, "r", 3, false);
    run(&sfu, &mut [&mut student, &mut other], SETTLE);
    student.share_screen(&sfu);
    run(&sfu, &mut [&mut student, &mut other], SETTLE);
    assert!(
        other.frames("2", MediaKind::Video) > 10,
        "{:?}",
        other.received
    );
    assert!(!m_lines(&other).contains(&line("2-screen", MediaKind::Video)));
    // The teacher lets students share, and the student says it shares.
    super::setup::may_share(&sfu, 2);
    run(&sfu, &mut [&mut student, &mut other], SETTLE);
    assert!(
        other.frames("2-screen", MediaKind::Video) > 10,
        "{:?}",
        other.received
    );
}

/// A camera paged away from for 20 s is parked: offered `inactive` (the worker drops its send
/// stream), and paging back offers the same m-line `sendonly` again, whose frames then flow. Before,
/// a member that had once looked through the class kept paying for every camera in it
/// (BENCHMARKS, "A class that looks around").
#[test]
fn a_camera_paged_away_from_for_long_is_parked_and_comes_back_on_the_same_m_line() {
    use str0m::media::{Direction, MediaKind::Video};
    let sfu = start();
    let mut one = Client::join(&sfu, "r", 1, true);
    let mut two = Client::join(&sfu, "r", 2, true);
    view(&sfu, 3, &[(1, Quality::Low)]);
    let mut three = Client::join(&sfu, "r", 3, false);
    run(&sfu, &mut [&mut one, &mut two, &mut three], SETTLE);
    view(&sfu, 3, &[(2, Quality::Low)]);
    run(&sfu, &mut [&mut one, &mut two, &mut three], SETTLE);
    let mid_of = |client: &Client, stream: &str| {
        let found = client
            .received
            .iter()
            .find(|(_, (s, k, ..))| s == stream && *k == Video);
        *found.expect("an m-line").0
    };
    let (camera_one, m_lines) = (mid_of(&three, "1"), three.received.len());
    let direction = |client: &Client| client.rtc.media(camera_one).map(|m| m.direction());
    assert_eq!(
        direction(&three),
        Some(Direction::RecvOnly),
        "paused, not parked yet"
    );

    run(
        &sfu,
        &mut [&mut one, &mut two, &mut three],
        std::time::Duration::from_secs(21),
    );
    assert_eq!(direction(&three), Some(Direction::Inactive), "parked");
    // The subscriber offers (as a browser does, `recvonly` on every m-line it receives) right
    // before paging back. Found in review: the offer made the table take the camera for open
    // again (str0m keeps it `inactive`), so the view woke nothing and the tile stayed black.
    three.offer_again(&sfu);
    let (parked_ssrc, _) = three
        .newest_stream(camera_one)
        .expect("camera 1 came before");

    view(&sfu, 3, &[(1, Quality::Low), (2, Quality::Low)]);
    // A renegotiation, then the frames (and a keyframe requested for them).
    run(
        &sfu,
        &mut [&mut one, &mut two, &mut three],
        std::time::Duration::from_secs(3),
    );
    assert_eq!(direction(&three), Some(Direction::RecvOnly), "woken");
    assert_eq!(mid_of(&three, "1"), camera_one, "the same m-line");
    assert_eq!(three.received.len(), m_lines, "no new one");
    // Packets, not frames: str0m's depacketizer may drop the frames of the new SSRC (see
    // `Client::newest_stream`); a browser starts a new decoder on it.
    let (woken_ssrc, then) = three.newest_stream(camera_one).expect("packets again");
    assert_ne!(woken_ssrc, parked_ssrc, "a new send stream");
    run(&sfu, &mut [&mut one, &mut two, &mut three], SETTLE);
    let (_, now) = three.newest_stream(camera_one).unwrap();
    let advanced = match (then, now) {
        // 1.5 s on a 90 kHz clock: at least half of it.
        (Some(then), Some(now)) => now.numer() > then.numer() + 45_000,
        _ => false,
    };
    assert!(advanced, "its packets keep coming: {then:?} → {now:?}");
}
