use super::*;

const ME: PeerId = 1;

fn loud(peer: PeerId) -> Level {
    Level {
        peer,
        level: 0.3,
        allowed: true,
    }
}

fn quiet(peer: PeerId) -> Level {
    Level {
        peer,
        level: 0.001,
        allowed: true,
    }
}

fn muted(peer: PeerId) -> Level {
    Level {
        peer,
        level: 0.3,
        allowed: false,
    }
}

/// Samples every 250 ms from `from` to `to` (ms), `levels` each time; the last answer.
fn run(s: &mut Speakers, from: f64, to: f64, levels: &[Level]) -> Heard {
    let mut heard = Heard::default();
    let mut t = from;
    while t <= to {
        heard = s.hear(t, levels, ME);
        t += 250.0;
    }
    heard
}

#[test]
fn a_loud_sample_marks_a_speaker_at_once_and_the_mark_holds_through_pauses() {
    let mut s = Speakers::default();
    assert_eq!(s.hear(0.0, &[loud(2), quiet(3)], ME).speaking, vec![2]);
    // A pause between words keeps the mark.
    assert_eq!(s.hear(1_000.0, &[quiet(2), quiet(3)], ME).speaking, vec![2]);
    assert_eq!(s.hear(1_100.0, &[loud(2)], ME).speaking, vec![2]);
    // Silence longer than the hold ends it.
    assert_eq!(
        run(&mut s, 1_300.0, 2_600.0, &[quiet(2)]).speaking,
        Vec::<PeerId>::new()
    );
}

#[test]
fn a_periodic_beep_reads_as_continuous_speech() {
    // Chromium's fake microphone beeps once a second; sampled every 250 ms, one sample in four is
    // loud.
    let mut s = Speakers::default();
    for i in 0..20 {
        let t = f64::from(i) * 250.0;
        let level = if i % 4 == 0 { loud(2) } else { quiet(2) };
        assert_eq!(s.hear(t, &[level], ME).speaking, vec![2], "at {t} ms");
    }
}

#[test]
fn someone_muted_or_without_the_word_never_speaks() {
    let mut s = Speakers::default();
    assert_eq!(
        run(&mut s, 0.0, 3_000.0, &[muted(2), loud(3)]).speaking,
        vec![3]
    );
    assert_eq!(
        s.hear(3_250.0, &[muted(2), muted(3)], ME),
        Heard {
            speaking: vec![],
            active: Some(3)
        }
    );
}

#[test]
fn muting_takes_the_mark_away_at_once() {
    let mut s = Speakers::default();
    s.hear(0.0, &[loud(2)], ME);
    assert_eq!(
        s.hear(250.0, &[muted(2)], ME).speaking,
        Vec::<PeerId>::new()
    );
}

#[test]
fn a_new_speaker_takes_the_large_tile_after_a_while_not_at_once() {
    let mut s = Speakers::default();
    assert_eq!(s.hear(0.0, &[loud(2)], ME).active, None);
    assert_eq!(run(&mut s, 250.0, 1_250.0, &[loud(2)]).active, None);
    assert_eq!(s.hear(1_500.0, &[loud(2)], ME).active, Some(2));
}

#[test]
fn a_short_interjection_does_not_move_the_large_tile() {
    let mut s = Speakers::default();
    run(&mut s, 0.0, 2_000.0, &[loud(2)]);
    // 3 says "yes" while 2 pauses.
    let heard = run(&mut s, 2_250.0, 2_750.0, &[quiet(2), loud(3)]);
    assert_eq!(heard.active, Some(2));
    assert_eq!(heard.speaking, vec![2, 3]);
}

#[test]
fn the_floor_passes_when_the_current_speaker_is_quiet_and_the_next_has_spoken_long_enough() {
    let mut s = Speakers::default();
    run(&mut s, 0.0, 2_000.0, &[loud(2)]);
    // Both talk: 2 keeps it.
    assert_eq!(
        run(&mut s, 2_250.0, 5_000.0, &[loud(2), loud(3)]).active,
        Some(2)
    );
    // 2 stops; once 2's hold is over, 3 (speaking for long) takes it.
    let heard = run(&mut s, 5_250.0, 6_500.0, &[quiet(2), loud(3)]);
    assert_eq!(
        heard,
        Heard {
            speaking: vec![3],
            active: Some(3)
        }
    );
}

#[test]
fn silence_keeps_the_last_speaker_large() {
    let mut s = Speakers::default();
    run(&mut s, 0.0, 2_000.0, &[loud(2)]);
    assert_eq!(
        run(&mut s, 2_250.0, 10_000.0, &[quiet(2)]),
        Heard {
            speaking: vec![],
            active: Some(2)
        }
    );
}

#[test]
fn we_speak_but_never_become_our_own_large_tile() {
    let mut s = Speakers::default();
    assert_eq!(
        run(&mut s, 0.0, 5_000.0, &[loud(ME)]),
        Heard {
            speaking: vec![ME],
            active: None
        }
    );
}

#[test]
fn the_longest_speaker_wins_a_tie_of_newcomers() {
    let mut s = Speakers::default();
    s.hear(0.0, &[loud(4)], ME);
    s.hear(250.0, &[loud(4), loud(3)], ME);
    assert_eq!(
        run(&mut s, 500.0, 2_000.0, &[loud(4), loud(3)]).active,
        Some(4)
    );
}

#[test]
fn someone_who_leaves_is_forgotten() {
    let mut s = Speakers::default();
    run(&mut s, 0.0, 2_000.0, &[loud(2), loud(3)]);
    assert_eq!(
        s.forget(2),
        Heard {
            speaking: vec![3],
            active: None
        }
    );
    assert_eq!(s.hear(2_250.0, &[loud(3)], ME).active, Some(3));
}

#[test]
fn the_level_between_two_readings_is_the_rms_over_that_time() {
    assert_eq!(level_between(None, (1.0, 1.0)), None);
    // Energy is the integral of the squared level: 0.25 J over 1 s is a level of 0.5.
    assert_eq!(level_between(Some((1.0, 10.0)), (1.25, 11.0)), Some(0.5));
    assert_eq!(
        level_between(Some((1.0, 10.0)), (1.0, 10.0)),
        None,
        "no audio counted"
    );
    assert_eq!(
        level_between(Some((2.0, 10.0)), (1.0, 11.0)),
        None,
        "counters reset"
    );
}
