//! The embedded SFU against synthetic str0m clients on loopback: each client has its own UDP
//! socket and signals through `Command::Signal`, as the hub does for a browser.

// Shared with `tests/sfu_simulcast.rs`, which uses the simulcast half of it.
#[allow(dead_code)]
#[path = "sfu/client.rs"]
mod client;

use std::net::UdpSocket;
use std::time::Duration;

use classroom::server::sfu::{Command, Sfu, SfuConfig};
use client::{run, Client};
use str0m::media::MediaKind;

fn start() -> Sfu {
    let config = SfuConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        advertised: "127.0.0.1".parse().unwrap(),
        fixed_budget: None,
    };
    Sfu::start(config).unwrap()
}

fn allow_audio(sfu: &Sfu, room: &str, peer: u64, allowed: bool) {
    sfu.send(Command::Audio {
        room: room.into(),
        peer,
        allowed,
    });
}

const SETTLE: Duration = Duration::from_millis(1500);

#[test]
fn media_reaches_every_other_member_labelled_by_its_sender() {
    let sfu = start();
    allow_audio(&sfu, "r", 1, true);
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut a = Client::join(&sfu, "r", 2, false);
    let mut b = Client::join(&sfu, "r", 3, false);
    run(&sfu, &mut [&mut publisher, &mut a, &mut b], SETTLE);
    publisher.share_screen(&sfu);
    run(&sfu, &mut [&mut publisher, &mut a, &mut b], SETTLE);

    for sub in [&a, &b] {
        assert!(
            sub.frames("1", MediaKind::Audio) > 20,
            "audio under stream `1`: {:?}",
            sub.received
        );
        assert!(
            sub.frames("1", MediaKind::Video) > 10,
            "camera under stream `1`: {:?}",
            sub.received
        );
        assert!(
            sub.frames("1-screen", MediaKind::Video) > 10,
            "screen under `1-screen`: {:?}",
            sub.received
        );
        assert!(
            sub.received.values().all(|(_, _, _, last)| *last == 1),
            "only the publisher's frames"
        );
    }
    assert!(
        publisher.received.is_empty(),
        "a publisher does not get its own tracks back"
    );
}

#[test]
fn audio_not_allowed_is_not_forwarded_video_still_is() {
    let sfu = start();
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    assert_eq!(
        sub.frames("1", MediaKind::Audio),
        0,
        "never allowed: no audio"
    );
    assert!(sub.frames("1", MediaKind::Video) > 10);

    allow_audio(&sfu, "r", 1, true);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(500),
    );
    let heard = sub.frames("1", MediaKind::Audio);
    assert!(heard > 10, "allowed: audio flows ({heard})");

    allow_audio(&sfu, "r", 1, false);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(200),
    );
    let (audio, video) = (
        sub.frames("1", MediaKind::Audio),
        sub.frames("1", MediaKind::Video),
    );
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(700),
    );
    assert_eq!(sub.frames("1", MediaKind::Audio), audio, "audio stopped");
    assert!(
        sub.frames("1", MediaKind::Video) > video + 10,
        "video still flows"
    );
}

/// Thirty open microphones would cost every listener 1.5 Mbit/s: the room forwards its loudest
/// three voices (by the audio level in each packet) and the others not at all.
#[test]
fn only_the_loudest_voices_are_forwarded() {
    let sfu = start();
    let levels: [i8; 5] = [-20, -30, -40, -90, -100];
    let mut speakers: Vec<Client> = (1..=5u64)
        .map(|peer| {
            allow_audio(&sfu, "r", peer, true);
            let mut c = Client::join(&sfu, "r", peer, true);
            c.audio_level = Some(levels[peer as usize - 1]);
            c
        })
        .collect();
    let mut listener = Client::join(&sfu, "r", 6, false);
    let step = |speakers: &mut Vec<Client>, listener: &mut Client, time| {
        let mut all: Vec<&mut Client> = speakers.iter_mut().chain([listener]).collect();
        run(&sfu, &mut all, time);
    };
    let heard = |c: &Client| -> Vec<usize> {
        (1..=5)
            .map(|p| c.frames(&p.to_string(), MediaKind::Audio))
            .collect()
    };
    step(
        &mut speakers,
        &mut listener,
        SETTLE + Duration::from_secs(2),
    );
    let before = heard(&listener);
    step(&mut speakers, &mut listener, Duration::from_secs(1));
    let during: Vec<usize> = heard(&listener)
        .iter()
        .zip(&before)
        .map(|(a, b)| a - b)
        .collect();
    assert!(
        during[..3].iter().all(|n| *n > 20),
        "the three loudest are heard: {during:?}"
    );
    assert_eq!(
        during[3..],
        [0, 0],
        "the quiet two are not forwarded: {during:?}"
    );
    assert!(
        listener.frames("4", MediaKind::Video) > 10,
        "their cameras still are"
    );

    // The quietest starts talking louder than anyone: it is heard within a frame or two.
    speakers[4].audio_level = Some(-5);
    let before = heard(&listener);
    step(&mut speakers, &mut listener, Duration::from_millis(500));
    let after = heard(&listener);
    assert!(
        after[4] > before[4] + 10,
        "the new speaker is heard: {before:?} -> {after:?}"
    );
}

/// Students who may not speak shout louder than the teacher: they are not forwarded, and they do
/// not take the loudest places from the teacher either.
#[test]
fn silenced_voices_do_not_push_the_teacher_out() {
    let sfu = start();
    allow_audio(&sfu, "r", 1, true);
    let mut teacher = Client::join(&sfu, "r", 1, true);
    teacher.audio_level = Some(-40);
    let mut students: Vec<Client> = (2..=4u64)
        .map(|peer| {
            let mut c = Client::join(&sfu, "r", peer, true);
            c.audio_level = Some(-5);
            c
        })
        .collect();
    let mut listener = Client::join(&sfu, "r", 5, false);
    let mut all: Vec<&mut Client> = std::iter::once(&mut teacher)
        .chain(students.iter_mut())
        .chain([&mut listener])
        .collect();
    run(&sfu, &mut all, SETTLE + Duration::from_secs(1));
    let before = all[4].frames("1", MediaKind::Audio);
    run(&sfu, &mut all, Duration::from_secs(1));
    let listener = &all[4];
    assert!(
        listener.frames("1", MediaKind::Audio) > before + 20,
        "the teacher is heard"
    );
    assert!((2..=4).all(|p| listener.frames(&p.to_string(), MediaKind::Audio) == 0));
}

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

#[test]
fn garbage_and_oversized_datagrams_do_not_hurt_the_worker() {
    let sfu = start();
    allow_audio(&sfu, "r", 1, true);
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);

    let stranger = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = sfu.local_addr();
    let mut fake_stun = vec![0, 1, 0, 12, 0x21, 0x12, 0xa4, 0x42];
    fake_stun.extend_from_slice(&[9; 12]);
    fake_stun.extend_from_slice(&[0, 6, 0, 8]);
    fake_stun.extend_from_slice(b"nobody:x");
    let junk: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff; 1],
        vec![0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
        vec![0x80; 1200],
        vec![0x90, 0xc8, 0xff, 0xff, 1, 2, 3, 4],
        fake_stun,
        vec![0x42; 60_000],
    ];
    for bytes in &junk {
        let _ = stranger.send_to(bytes, to);
        publisher.send_raw(to, bytes); // from a known address: routed into a live session
        sub.send_raw(to, bytes);
    }
    let before = sub.frames("1", MediaKind::Video);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(700),
    );
    assert!(
        sub.frames("1", MediaKind::Video) > before + 10,
        "media still flows"
    );

    let mut late = Client::join(&sfu, "r", 3, false);
    run(&sfu, &mut [&mut publisher, &mut sub, &mut late], SETTLE);
    assert!(
        late.frames("1", MediaKind::Video) > 10,
        "the worker still takes new members"
    );
}

#[test]
fn a_subscriber_s_keyframe_request_reaches_the_publisher() {
    let sfu = start();
    let mut publisher = Client::join(&sfu, "r", 1, true);
    let mut sub = Client::join(&sfu, "r", 2, false);
    run(&sfu, &mut [&mut publisher, &mut sub], SETTLE);
    // The join itself asked for one (a new video subscriber); after that it is quiet.
    assert!(
        publisher.keyframe_requests >= 1,
        "a new subscriber's video starts with a keyframe request"
    );
    let quiet = publisher.keyframe_requests;
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(1200),
    );
    assert_eq!(
        publisher.keyframe_requests, quiet,
        "no requests without a reason"
    );

    let mid = *sub
        .received
        .iter()
        .find(|(_, e)| e.1 == MediaKind::Video)
        .unwrap()
        .0;
    sub.request_keyframe(mid);
    run(
        &sfu,
        &mut [&mut publisher, &mut sub],
        Duration::from_millis(500),
    );
    assert_eq!(
        publisher.keyframe_requests,
        quiet + 1,
        "the request went upstream"
    );

    // Many at once: at most one per second reaches the publisher.
    for _ in 0..5 {
        sub.request_keyframe(mid);
        run(
            &sfu,
            &mut [&mut publisher, &mut sub],
            Duration::from_millis(60),
        );
    }
    assert!(
        publisher.keyframe_requests <= quiet + 2,
        "throttled: {}",
        publisher.keyframe_requests
    );
}
