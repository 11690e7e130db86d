//! The loudest voices: only the three loudest allowed microphones are forwarded, and silenced
//! ones do not take their places.

use std::time::Duration;

use str0m::media::MediaKind;

use super::client::{run, Client};
use super::{allow_audio, start, SETTLE};

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
