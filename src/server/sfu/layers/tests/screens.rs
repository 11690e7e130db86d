//! Screen shares among the cameras: always wanted, placed first, kept at their lowest layer on the
//! weakest link, and paused only when they really stop.

use super::*;

#[test]
fn a_screen_share_is_wanted_whatever_the_view_and_placed_before_the_cameras() {
    let (slides, teacher, student) = (screen(1, 200_000, 1_200_000), full(1), full(2));
    let videos = [teacher.clone(), student.clone(), slides.clone()];
    // The view names only the cameras; the teacher's screen share is still forwarded, whole.
    let view = [tile(1, Quality::High), tile(2, Quality::Low)];
    let choice = select(Some(&view), &videos, PLENTY, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["h", "l", "h"]);
    // Even by a view that shows no camera at all.
    let choice = select(Some(&[]), &videos, PLENTY, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["-", "-", "h"]);

    // 1.7 Mbit/s: the slides climb to their full picture before the cameras climb at all.
    let choice = select(Some(&view), &videos, 1_700_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["l", "l", "h"]);
    // With three layers as well: all the way up first.
    let slides = Camera {
        layers: full(1).layers,
        ..slides
    };
    let videos = [teacher, student, slides];
    let choice = select(Some(&view), &videos, 2_100_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["l", "l", "h"]);
}

#[test]
fn on_the_weakest_link_the_slides_keep_their_lowest_layer() {
    let videos = [full(1), full(2), screen(1, 200_000, 1_200_000)];
    // As the page asks while a screen is shown: no camera large.
    let view = [tile(1, Quality::Medium), tile(2, Quality::Medium)];
    let choice = select(Some(&view), &videos, 50_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["-", "-", "l"]);
    // Two shared screens: both kept.
    let other = Camera {
        track: TrackId {
            peer: 2,
            mid: Mid::from("3"),
        },
        ..screen(2, 200_000, 1_200_000)
    };
    let videos = [full(1), screen(1, 200_000, 1_200_000), other];
    let choice = select(Some(&view), &videos, 50_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["-", "l", "l"]);
}

#[test]
fn a_screen_share_without_simulcast_is_forwarded_as_it_comes() {
    let plain = Camera {
        screen: true,
        ..cam(3, &[("", 900_000)])
    };
    let videos = [full(1), plain];
    let view = [tile(1, Quality::High)];
    let choice = select(Some(&view), &videos, 1_200_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["l", ""]);
    // It has no smaller layer: what it takes comes first, even before the large tile.
    let choice = select(Some(&view), &videos, 1_000_000, &Choice::new());
    assert_eq!(chosen(&choice, &videos), ["-", ""]);
}

#[test]
fn a_quiet_screen_share_keeps_its_layer_a_camera_that_stops_is_paused() {
    let (slides, teacher) = (screen(1, 200_000, 1_200_000), full(1));
    let before: Choice = [
        (slides.track, Some(Rid::from("h"))),
        (teacher.track, Some(Rid::from("l"))),
    ]
    .into();
    // Nothing arrived from either for a while: the meter lists no layer.
    let quiet = [
        Camera {
            layers: vec![],
            ..slides
        },
        Camera {
            layers: vec![],
            ..teacher
        },
    ];
    let choice = select(Some(&[tile(1, Quality::Low)]), &quiet, PLENTY, &before);
    assert_eq!(chosen(&choice, &quiet), ["h", "-"]);
    // Never forwarded before: nothing to keep.
    let choice = select(None, &quiet, PLENTY, &Choice::new());
    assert_eq!(chosen(&choice, &quiet), ["-", "-"]);
}
