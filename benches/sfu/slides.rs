//! The `slides` scenario: a lecture with slides. The teacher shares a screen (simulcast `l`/`h`)
//! beside its camera (simulcast `l`/`m`/`h`) and microphone; the students only watch and listen.
//! Each student's page shows the screen large and the teacher's camera as a thumbnail, so it
//! sends a `view` naming the teacher at `low`; the screen is wanted whatever the view says.
//! Also the check that every student got both, and at which layers.

use std::sync::Arc;
use std::time::Duration;

use classroom::protocol::{Quality, Tile};
use classroom::server::sfu::Command;

use crate::load::{Load, Window};
use crate::media;
use crate::stats::Stats;
use crate::views::TEACHER;

/// Joins one room: the teacher (camera as `layers`, and its screen), then `students` receive-only
/// members. Returns the students' receivers.
pub fn add_lecture(load: &mut Load, students: u64, layers: &[(&str, usize)]) -> Vec<Arc<Stats>> {
    let room = load.new_room();
    load.spawn(&room, TEACHER, true, layers, &media::SCREEN);
    std::thread::sleep(Duration::from_secs(1));
    let mut receivers = Vec::new();
    for student in TEACHER + 1..=TEACHER + students {
        load.sfu().send(Command::View {
            room: room.clone(),
            peer: student,
            tiles: vec![Tile {
                peer: TEACHER,
                quality: Quality::Low,
            }],
        });
        receivers.push(load.spawn(&room, student, false, &[], &[]));
        std::thread::sleep(load.settings().join_gap);
    }
    // The camera and the screen, to every student.
    load.expect_streams(2 * students as usize);
    receivers
}

/// Prints, for the screen and for the camera, the worst student's share of 30 frames/s and the
/// layers they came as. Returns whether every student got both at ≥ 99 % of 30 frames/s.
pub fn check(window: &Window) -> bool {
    let teacher = TEACHER as u16;
    let (mut worst_screen, mut worst_camera) = (f64::INFINITY, f64::INFINITY);
    let mut layers = std::collections::BTreeMap::<char, u64>::new();
    for got in &window.sources {
        let frames = |screen: bool| -> u64 {
            got.iter()
                .filter(|((peer, layer), _)| {
                    *peer == teacher && layer.is_ascii_uppercase() == screen
                })
                .map(|(_, n)| n)
                .sum()
        };
        let expected = 30.0 * window.secs;
        worst_screen = worst_screen.min(frames(true) as f64 / expected);
        worst_camera = worst_camera.min(frames(false) as f64 / expected);
        for (&(_, layer), &n) in got {
            *layers.entry(layer as char).or_default() += n;
        }
    }
    let ok = !window.sources.is_empty() && worst_screen >= 0.99 && worst_camera >= 0.99;
    let mix: Vec<String> = layers.iter().map(|(l, n)| format!("{l} {n}")).collect();
    println!(
        "check slides: {} students; worst screen {:.1} %, worst camera {:.1} % of 30 frames/s; \
frames by layer (screen upper case) {}: {}",
        window.sources.len(),
        worst_screen * 100.0,
        worst_camera * 100.0,
        mix.join(", "),
        if ok { "ok" } else { "NOT OK" },
    );
    ok
}
