//! Layer selection, case by case.

use str0m::media::Mid;

use super::*;
use crate::protocol::PeerId;

mod screens;

fn cam(peer: PeerId, layers: &[(&str, u64)]) -> Camera {
    Camera {
        track: TrackId {
            peer,
            mid: Mid::from("1"),
        },
        layers: layers
            .iter()
            .map(|(rid, bps)| LayerRate {
                rid: (!rid.is_empty()).then(|| Rid::from(*rid)),
                bps: *bps,
            })
            .collect(),
        screen: false,
    }
}

/// A screen share of `peer`: its own m-line, sent as `l` and `h`.
fn screen(peer: PeerId, l: u64, h: u64) -> Camera {
    Camera {
        track: TrackId {
            peer,
            mid: Mid::from("2"),
        },
        screen: true,
        ..cam(peer, &[("l", l), ("h", h)])
    }
}

fn full(peer: PeerId) -> Camera {
    cam(peer, &[("h", 1_500_000), ("l", 100_000), ("m", 400_000)])
}

fn tile(peer: PeerId, quality: Quality) -> Tile {
    Tile { peer, quality }
}

/// The chosen rid per peer, `"-"` for paused, `""` for a camera without simulcast.
fn chosen(choice: &Choice, cameras: &[Camera]) -> Vec<String> {
    cameras
        .iter()
        .map(|c| match choice.get(&c.track) {
            None => "-".into(),
            Some(None) => String::new(),
            Some(Some(rid)) => rid.to_string(),
        })
        .collect()
}

const PLENTY: u64 = 100_000_000;

#[test]
fn each_tile_gets_the_layer_of_its_quality() {
    let cams = [full(1), full(2), full(3)];
    let view = [
        tile(1, Quality::High),
        tile(2, Quality::Medium),
        tile(3, Quality::Low),
    ];
    let choice = select(Some(&view), &cams, PLENTY, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["h", "m", "l"]);
}

#[test]
fn cameras_left_out_of_the_view_are_not_forwarded() {
    let cams = [full(1), full(2)];
    let choice = select(
        Some(&[tile(2, Quality::Low)]),
        &cams,
        PLENTY,
        &Choice::new(),
    );
    assert_eq!(chosen(&choice, &cams), ["-", "l"]);
    let choice = select(Some(&[]), &cams, PLENTY, &Choice::new());
    assert!(choice.is_empty(), "an empty view shows no camera");
}

#[test]
fn before_the_first_view_every_camera_is_high() {
    let cams = [full(1), full(2)];
    let choice = select(None, &cams, PLENTY, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["h", "h"]);
}

#[test]
fn a_missing_layer_falls_back_to_the_largest_lower_else_the_lowest() {
    // Chromium with a small camera sends two layers only.
    let two = [cam(1, &[("l", 100_000), ("m", 400_000)])];
    let choice = select(
        Some(&[tile(1, Quality::High)]),
        &two,
        PLENTY,
        &Choice::new(),
    );
    assert_eq!(chosen(&choice, &two), ["m"]);
    let upper = [cam(1, &[("m", 400_000), ("h", 1_500_000)])];
    let choice = select(
        Some(&[tile(1, Quality::Low)]),
        &upper,
        PLENTY,
        &Choice::new(),
    );
    assert_eq!(
        chosen(&choice, &upper),
        ["m"],
        "nothing at or below l: the lowest"
    );
    let unknown = [cam(1, &[("x", 1)])];
    let choice = select(None, &unknown, PLENTY, &Choice::new());
    assert!(
        choice.is_empty(),
        "a rid the contract does not name is not forwarded"
    );
}

#[test]
fn the_cameras_a_browser_plans_by_size_are_chosen_like_the_others() {
    // A 640x480 camera sends `l` (half size) and `h`; a 320x240 one `l` alone (call_model::simulcast).
    let vga = |peer| cam(peer, &[("l", 150_000), ("h", 1_000_000)]);
    let small = |peer| cam(peer, &[("l", 150_000)]);
    let cams = [vga(1), vga(2), small(3)];
    let view = [
        tile(1, Quality::High),
        tile(2, Quality::Medium),
        tile(3, Quality::Low),
    ];
    let choice = select(Some(&view), &cams, PLENTY, &Choice::new());
    assert_eq!(
        chosen(&choice, &cams),
        ["h", "l", "l"],
        "no m: a medium tile gets l"
    );
    // A weak link: the large tile keeps its l, and the small camera can be paused like any l.
    let choice = select(Some(&view), &cams, 160_000, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["l", "-", "-"]);
}

#[test]
fn a_tight_budget_keeps_the_large_tile_and_drops_thumbnails_first() {
    let cams = [full(1), full(2), full(3)];
    let view = [
        tile(3, Quality::High),
        tile(1, Quality::Low),
        tile(2, Quality::Low),
    ];
    // Room for the three lows and an m on top, with headroom, but not for h.
    let budget = (300_000 + 300_000) * 115 / 100;
    let choice = select(Some(&view), &cams, budget, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["l", "l", "m"]);
    // Room for one l only: the large tile's, then thumbnails by peer id.
    let choice = select(Some(&view), &cams, 230_000, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["l", "-", "l"]);
    let choice = select(Some(&view), &cams, 115_000, &Choice::new());
    assert_eq!(chosen(&choice, &cams), ["-", "-", "l"]);
    let choice = select(Some(&view), &cams, 50_000, &Choice::new());
    assert_eq!(
        chosen(&choice, &cams),
        ["-", "-", "l"],
        "nothing fits: the large tile still gets its lowest layer"
    );
    let choice = select(Some(&view), &cams, 0, &Choice::new());
    assert_eq!(
        chosen(&choice, &cams),
        ["-", "-", "l"],
        "even with no budget"
    );
}

#[test]
fn a_camera_without_simulcast_is_forwarded_as_it_comes() {
    let cams = [cam(1, &[("", 900_000)]), full(2)];
    let view = [tile(1, Quality::Low), tile(2, Quality::High)];
    let choice = select(Some(&view), &cams, 1_000_000, &Choice::new());
    assert_eq!(
        chosen(&choice, &cams),
        ["", "l"],
        "forwarded whatever it costs; the large tile still gets its lowest layer"
    );
}

#[test]
fn an_upgrade_needs_headroom_a_held_layer_does_not() {
    let cams = [full(1)];
    let view = [tile(1, Quality::High)];
    let just = 1_500_000;
    let fresh = select(Some(&view), &cams, just, &Choice::new());
    assert_eq!(chosen(&fresh, &cams), ["m"], "h fits but without headroom");
    let holding: Choice = [(cams[0].track, Some(Rid::from("h")))].into();
    let held = select(Some(&view), &cams, just, &holding);
    assert_eq!(chosen(&held, &cams), ["h"], "already on h: it stays");
    let held = select(Some(&view), &cams, just - 1, &holding);
    assert_eq!(chosen(&held, &cams), ["m"], "below its rate: down at once");
    // Resuming a thumbnail needs headroom too (the large tile is never paused).
    let cams = [full(1), full(2)];
    let view = [tile(1, Quality::High), tile(2, Quality::Low)];
    let paused = select(Some(&view), &cams, 200_000, &Choice::new());
    assert_eq!(chosen(&paused, &cams), ["l", "-"]);
    let holding: Choice = [(cams[1].track, Some(Rid::from("l")))].into();
    let held = select(Some(&view), &cams, 200_000, &holding);
    assert_eq!(
        chosen(&held, &cams),
        ["l", "l"],
        "a thumbnail already on l stays"
    );
}
