//! A screen share sent as simulcast through the embedded SFU: every subscriber gets it whatever
//! its view, at the full picture when its link has room and at the half-size layer when not.
//! Synthetic str0m clients; the screen's frames end with its rid's letter in upper case.

// The synthetic browser of `tests/sfu.rs`; this test uses part of it.
#[allow(dead_code)]
#[path = "sfu/client.rs"]
mod client;
#[path = "sfu/setup.rs"]
mod setup;

use std::collections::HashMap;
use std::time::Duration;

use classroom::protocol::Quality;
use classroom::server::sfu::Sfu;
use client::{run, Client};
use setup::{serial, start_with as start, view};
use str0m::media::MediaKind;

const SETTLE: Duration = Duration::from_millis(4000);

/// The screen's layers `sub` received in the last second, counted (upper-case markers).
fn screen_layers(sub: &Client) -> HashMap<char, usize> {
    sub.recent_video(Duration::from_secs(1))
        .into_iter()
        .filter(|(marker, _)| marker.is_ascii_uppercase())
        .map(|(marker, n)| (marker as char, n))
        .collect()
}

/// Only the screen's `layer` arrived lately, and enough of it to be a stream.
fn only_screen(sub: &Client, layer: char) {
    let got = screen_layers(sub);
    assert!(
        got.len() == 1 && got.get(&layer).is_some_and(|n| *n > 10),
        "peer {} should get only the screen's `{layer}` lately, got {got:?}",
        sub.peer
    );
}

/// Teacher 1 on camera (l, m, h) shares a screen sent as `l` and `h`.
fn teacher(sfu: &Sfu) -> Client {
    setup::may_share(sfu, 1);
    let mut teacher = Client::join_with_layers(sfu, "r", 1, true, &["l", "m", "h"]);
    teacher.screen_layers = vec!["l", "h"];
    teacher
}

#[test]
fn a_shared_screen_reaches_every_subscriber_at_its_full_picture_one_layer_only() {
    let _one = serial();
    let sfu = start(Some(5_000_000));
    let mut teacher = teacher(&sfu);
    let mut thumb = Client::join(&sfu, "r", 2, false);
    let mut elsewhere = Client::join(&sfu, "r", 3, false);
    view(&sfu, 2, &[(1, Quality::Low)]);
    view(&sfu, 3, &[]); // the teacher's camera is not on this page
    run(
        &sfu,
        &mut [&mut teacher, &mut thumb, &mut elsewhere],
        SETTLE,
    );
    teacher.share_screen(&sfu);
    run(
        &sfu,
        &mut [&mut teacher, &mut thumb, &mut elsewhere],
        SETTLE,
    );

    // Before, both layers came down the one m-line, one frame of each size after the other.
    only_screen(&thumb, 'H');
    only_screen(&elsewhere, 'H');
    for sub in [&thumb, &elsewhere] {
        assert!(
            sub.frames("1-screen", MediaKind::Video) > 10,
            "{:?}",
            sub.received
        );
    }
    let camera = thumb.recent_video(Duration::from_secs(1));
    assert!(
        camera.get(&b'l').is_some_and(|n| *n > 10) && !camera.contains_key(&b'h'),
        "the camera stays at its thumbnail's layer: {camera:?}"
    );
    assert_eq!(elsewhere.frames("1", MediaKind::Video), 0);
}

#[test]
fn a_weak_link_gets_the_half_size_picture_of_a_shared_screen() {
    let _one = serial();
    let sfu = start(None);
    let mut teacher = teacher(&sfu);
    let mut sub = Client::join(&sfu, "r", 2, false);
    // What a page asks while a screen is shown: no camera large.
    view(&sfu, 2, &[(1, Quality::Medium)]);
    run(&sfu, &mut [&mut teacher, &mut sub], SETTLE);
    teacher.share_screen(&sfu);
    run(&sfu, &mut [&mut teacher, &mut sub], SETTLE);
    // The screen's `h` is ~620 kbit/s on the wire, its `l` ~50.
    sub.inbound_bps = Some(150_000);
    run(&sfu, &mut [&mut teacher, &mut sub], Duration::from_secs(8));
    only_screen(&sub, 'L');
}
