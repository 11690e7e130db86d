//! Which simulcast layers a screen share goes to the media peer as (docs/protocol.md,
//! "Simulcast"). Every member shows a shared screen as the large picture, so the media peer
//! forwards its full picture to everyone whose link has room, and its half-size layer to a weak
//! link: slides at 960×540 are still legible on a phone, and that student keeps the lesson where
//! the whole picture would have stalled it. A quarter-size layer, as cameras have, would not be
//! legible, so a screen has two layers at most.

use super::{known, layer_count, Layer, H, L};

/// From 480×270 pixels up: the full picture, and half of it for weak links. Slides change
/// little, so they need fewer bits than a camera of their size; moving content is what the caps
/// bound.
const TWO: [Layer; 2] = [
    Layer {
        rid: L,
        scale: 2.0,
        max_bitrate: 300_000,
    },
    Layer {
        rid: H,
        scale: 1.0,
        max_bitrate: 1_500_000,
    },
];

/// A window smaller than that: the browser sends the first encoding alone, `l`, whole.
const ONE: [Layer; 2] = [
    Layer {
        rid: L,
        scale: 1.0,
        max_bitrate: 300_000,
    },
    Layer {
        rid: H,
        scale: 1.0,
        max_bitrate: 1_500_000,
    },
];

/// The encodings for a shared screen (or window) of `width` × `height`, smallest first; the
/// browser sends the first [`layer_count`] of them. 0 counts as the default camera size.
pub fn screen_layers(width: u32, height: u32) -> &'static [Layer] {
    let (width, height) = known(width, height);
    match layer_count(width, height) {
        1 => &ONE,
        _ => &TWO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(width: u32, height: u32) -> Vec<(&'static str, f32)> {
        screen_layers(width, height)
            .iter()
            .map(|l| (l.rid, l.scale))
            .collect()
    }

    #[test]
    fn a_screen_sends_its_full_picture_and_half_of_it() {
        // No quarter-size layer, even where a camera of that size would have one.
        assert_eq!(plan(1920, 1080), [("l", 2.0), ("h", 1.0)]);
        assert_eq!(plan(2560, 1600), [("l", 2.0), ("h", 1.0)]);
        assert_eq!(plan(800, 600), [("l", 2.0), ("h", 1.0)]);
    }

    #[test]
    fn a_small_window_is_sent_whole() {
        assert_eq!(plan(400, 200), [("l", 1.0), ("h", 1.0)]);
        assert_eq!(plan(0, 0), plan(640, 480));
    }

    #[test]
    fn the_full_picture_is_on_top_and_costs_more() {
        for set in [&TWO[..], &ONE[..]] {
            assert_eq!(set.last().map(|l| (l.rid, l.scale)), Some(("h", 1.0)));
            assert!(set[0].max_bitrate < set[1].max_bitrate);
        }
    }
}
