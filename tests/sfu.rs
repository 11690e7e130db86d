//! The embedded SFU against synthetic str0m clients on loopback: each client has its own UDP
//! socket and signals through `Command::Signal`, as the hub does for a browser.
//!
//! This file: starting the SFU, letting a member speak, and media reaching the others; the other
//! tests are in `tests/sfu/` next to the synthetic client.

// Shared with `tests/sfu_simulcast.rs`, which uses the simulcast half of it.
#[allow(dead_code)]
#[path = "sfu/client.rs"]
mod client;

#[path = "sfu/datagrams.rs"]
mod datagrams;
#[path = "sfu/keyframes.rs"]
mod keyframes;
#[path = "sfu/leaving.rs"]
mod leaving;
#[allow(dead_code)]
#[path = "sfu/setup.rs"]
mod setup;
#[path = "sfu/spoofing.rs"]
mod spoofing;
#[path = "sfu/voices.rs"]
mod voices;
#[path = "sfu/wanted.rs"]
mod wanted;

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
    setup::may_share(&sfu, 1);
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
