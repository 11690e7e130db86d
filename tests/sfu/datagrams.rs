//! Hostile datagrams: garbage and oversized packets, from strangers and from members, do not stop
//! the worker.

use std::net::UdpSocket;
use std::time::Duration;

use str0m::media::MediaKind;

use super::client::{run, Client};
use super::{allow_audio, start, SETTLE};

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
