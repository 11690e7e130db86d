//! Which voices are forwarded, on a simulated clock of 20 ms frames.

use std::time::{Duration, Instant};

use str0m::media::Mid;

use super::*;

const FRAME: Duration = Duration::from_millis(20);

fn voice(peer: u64) -> TrackId {
    TrackId {
        peer,
        mid: Mid::from("0"),
    }
}

/// One frame from each of `levels` (peer, dBov) at `now`; the peers whose frame was forwarded.
fn round(voices: &mut Voices, levels: &[(u64, Option<i8>)], now: Instant) -> Vec<u64> {
    levels
        .iter()
        .filter(|(peer, level)| voices.frame(voice(*peer), *level, now))
        .map(|(peer, _)| *peer)
        .collect()
}

/// Frames from `levels` for `time`; the forwarded peers of the last round.
fn talk(
    voices: &mut Voices,
    levels: &[(u64, Option<i8>)],
    at: &mut Instant,
    time: Duration,
) -> Vec<u64> {
    let mut last = Vec::new();
    let end = *at + time;
    while *at < end {
        last = round(voices, levels, *at);
        *at += FRAME;
    }
    last
}

#[test]
fn three_open_microphones_are_all_forwarded() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let levels = [(1, Some(-30)), (2, Some(-110)), (3, Some(-90))];
    assert_eq!(
        talk(&mut voices, &levels, &mut at, Duration::from_secs(2)),
        vec![1, 2, 3]
    );
}

#[test]
fn a_muted_microphone_is_not_forwarded_even_with_places_free() {
    // The teacher talks; two students' microphones are muted in the browser, which still sends
    // frames of digital silence. They used to fill the free places.
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let levels = [(1, Some(-30)), (2, Some(-127)), (3, Some(-127))];
    assert_eq!(
        talk(&mut voices, &levels, &mut at, Duration::from_secs(2)),
        vec![1]
    );
    assert!(!voices.forwarded(voice(2), at));
    // A student who talked and then muted is dropped once the hold is over.
    talk(
        &mut voices,
        &[(1, Some(-30)), (2, Some(-40))],
        &mut at,
        Duration::from_secs(1),
    );
    let muted = [(1, Some(-30)), (2, Some(-127))];
    assert_eq!(talk(&mut voices, &muted, &mut at, HOLD / 2), vec![1, 2]);
    assert_eq!(talk(&mut voices, &muted, &mut at, HOLD), vec![1]);
    // Unmuted, the first word is forwarded at once.
    assert_eq!(round(&mut voices, &[(2, Some(-35))], at), vec![2]);
}

#[test]
fn a_room_of_open_microphones_forwards_the_three_loudest() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let mut levels: Vec<(u64, Option<i8>)> = (1..=30).map(|p| (p, Some(-100))).collect();
    levels[4].1 = Some(-20); // peer 5 talks
    levels[11].1 = Some(-40); // peer 12 answers
    levels[20].1 = Some(-60); // peer 21 coughs
    let forwarded = talk(&mut voices, &levels, &mut at, Duration::from_secs(3));
    assert_eq!(forwarded, vec![5, 12, 21]);
    assert!(voices.forwarded(voice(5), at) && !voices.forwarded(voice(1), at));
}

#[test]
fn a_voice_that_starts_is_forwarded_from_its_first_loud_frame() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let mut levels: Vec<(u64, Option<i8>)> = (1..=6).map(|p| (p, Some(-50 - p as i8))).collect();
    let before = talk(&mut voices, &levels, &mut at, Duration::from_secs(3));
    assert_eq!(before, vec![1, 2, 3]);
    levels[5].1 = Some(-10); // the quietest starts speaking
    assert!(
        round(&mut voices, &levels, at).contains(&6),
        "not cut at its first word"
    );
}

#[test]
fn a_voice_that_stops_is_held_then_dropped() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let mut levels: Vec<(u64, Option<i8>)> = (1..=5).map(|p| (p, Some(-90))).collect();
    levels[0].1 = Some(-10);
    levels[1].1 = Some(-12);
    levels[2].1 = Some(-14);
    talk(&mut voices, &levels, &mut at, Duration::from_secs(2));
    // Peer 1 falls silent and two others speak up: it keeps its place for the hold, then goes.
    levels[0].1 = Some(-127);
    levels[3].1 = Some(-5);
    levels[4].1 = Some(-6);
    let held = talk(&mut voices, &levels, &mut at, Duration::from_millis(600));
    assert!(
        held.contains(&1),
        "held while words may still come: {held:?}"
    );
    let later = talk(
        &mut voices,
        &levels,
        &mut at,
        HOLD + Duration::from_millis(400),
    );
    assert!(!later.contains(&1), "dropped after the hold: {later:?}");
    assert!(later.contains(&4) && later.contains(&5));
}

#[test]
fn a_sender_without_levels_is_always_forwarded() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let mut levels: Vec<(u64, Option<i8>)> = (1..=5).map(|p| (p, Some(-10))).collect();
    levels.push((6, None));
    let forwarded = talk(&mut voices, &levels, &mut at, Duration::from_secs(3));
    assert!(
        forwarded.contains(&6) && forwarded.len() <= FORWARDED + 1,
        "{forwarded:?}"
    );
    assert!(voices.forwarded(voice(6), at));
}

#[test]
fn voices_that_left_do_not_compete() {
    let (mut voices, mut at) = (Voices::default(), Instant::now());
    let loud: Vec<(u64, Option<i8>)> = (1..=4).map(|p| (p, Some(-5))).collect();
    talk(&mut voices, &loud, &mut at, Duration::from_secs(1));
    voices.forget(1);
    // Peers 2 to 4 stop sending (their frames stop coming): a quiet newcomer is forwarded.
    at += QUIET;
    assert_eq!(round(&mut voices, &[(5, Some(-100))], at), vec![5]);
}

#[test]
fn out_of_range_levels_do_not_panic() {
    let (mut voices, at) = (Voices::default(), Instant::now());
    for level in [i8::MIN, -128, 0, 1, i8::MAX] {
        voices.frame(voice(1), Some(level), at);
    }
}
