//! Which simulcast layers a camera of a given size goes to the media peer as (docs/protocol.md,
//! "Simulcast"). Pure, so that the browser engine (`client/peer/simulcast.rs`) only applies it.
//!
//! Chromium's libwebrtc encodes at most three layers from 960×540 pixels, two from 480×270 and
//! one below (it counts pixels, so a phone held upright counts the same), and drops the *top*
//! encodings it is given beyond that count. Asking every camera for a quarter, a half and the
//! full picture therefore sent a 640×480 camera (Chromium's capture size when a page asks for no
//! size) as 160×120 and 320×240, never its full picture, and a 320×240 camera as 80×60 alone:
//! every large tile in a class was blurred. So the layers are planned from the camera's size,
//! from the top: `h` is always the full picture, each layer below half of the one above, and as
//! many as the browser will send. A camera too small for two layers still gets the pair `l`, `h`,
//! both at full size: the browser sends `l` alone, capped like any `l` and ranked as one, so the
//! media peer can pause it for a weak link (a camera without simulcast is always forwarded).

mod screen;
pub use screen::screen_layers;

/// One encoding of a camera or a screen share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layer {
    /// `l`, `m` or `h`: the media peer ranks layers by these names.
    pub rid: &'static str,
    /// How much smaller than the camera (`scaleResolutionDownBy`).
    pub scale: f32,
    /// Most bits per second: what the layer's picture needs to look sharp (150 k for 320×180,
    /// 500–600 k for 640×360, 1.5 M for 1280×720).
    pub max_bitrate: u32,
}

const L: &str = "l";
const M: &str = "m";
const H: &str = "h";

const THREE: [Layer; 3] = [
    Layer {
        rid: L,
        scale: 4.0,
        max_bitrate: 150_000,
    },
    Layer {
        rid: M,
        scale: 2.0,
        max_bitrate: 500_000,
    },
    Layer {
        rid: H,
        scale: 1.0,
        max_bitrate: 1_500_000,
    },
];
/// The full picture of a two-layer camera is 480×270 up to below 960×540 (Chromium's default
/// 640×480 capture is one): the size of a three-layer camera's `m`, so about what `m` takes. A
/// 720p budget here made such a large tile cost every subscriber 1.5 Mbit/s where 0.6 look as
/// sharp, and sent students on ordinary links to the blurred `l`.
const TWO: [Layer; 2] = [
    Layer {
        rid: L,
        scale: 2.0,
        max_bitrate: 150_000,
    },
    Layer {
        rid: H,
        scale: 1.0,
        max_bitrate: 600_000,
    },
];

const ONE: [Layer; 2] = [
    Layer {
        rid: L,
        scale: 1.0,
        max_bitrate: 150_000,
    },
    Layer {
        rid: H,
        scale: 1.0,
        max_bitrate: 1_500_000,
    },
];

/// What a camera sends when the browser does not say its size: Chromium's default capture.
pub const DEFAULT_SIZE: (u32, u32) = (640, 480);

/// How many layers libwebrtc encodes for frames of `width` × `height`.
pub fn layer_count(width: u32, height: u32) -> usize {
    let pixels = u64::from(width) * u64::from(height);
    if pixels >= 960 * 540 {
        3
    } else if pixels >= 480 * 270 {
        2
    } else {
        1
    }
}

/// The encodings for a camera of `width` × `height`, smallest first; the browser sends the
/// first [`layer_count`] of them. A size of 0 (a browser that does not say) counts as
/// [`DEFAULT_SIZE`].
pub fn layers(width: u32, height: u32) -> &'static [Layer] {
    let (width, height) = known(width, height);
    plan(layer_count(width, height))
}

/// What the first encodings of a sender planned with `planned` encodings become when its camera
/// is swapped for one of `width` × `height` (`replaceTrack`): the browser keeps the encodings it
/// was given (their number is fixed once negotiated) and sends the first as many as the new size
/// allows, so those are planned like a camera of that size would have been. A 1280×720 camera
/// replaced by a 640×480 one would otherwise go out as ¼ and ½ (the full picture being the
/// dropped third), a 640×480 one replaced by 320×240 as 160×120 alone. The encodings after the
/// returned ones are not sent and are left as they are (`rid`s stay: the media peer knows them).
pub fn refit(planned: usize, width: u32, height: u32) -> &'static [Layer] {
    let (width, height) = known(width, height);
    let sent = layer_count(width, height).min(planned);
    &plan(sent)[..sent]
}

fn known(width: u32, height: u32) -> (u32, u32) {
    match (width, height) {
        (0, _) | (_, 0) => DEFAULT_SIZE,
        size => size,
    }
}

/// The encodings of a camera the browser sends `count` layers of.
fn plan(count: usize) -> &'static [Layer] {
    match count {
        3.. => &THREE,
        2 => &TWO,
        _ => &ONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rids(width: u32, height: u32) -> Vec<(&'static str, f32)> {
        layers(width, height)
            .iter()
            .map(|l| (l.rid, l.scale))
            .collect()
    }

    #[test]
    fn an_hd_camera_sends_three_layers() {
        assert_eq!(rids(1280, 720), [("l", 4.0), ("m", 2.0), ("h", 1.0)]);
        assert_eq!(rids(960, 540), [("l", 4.0), ("m", 2.0), ("h", 1.0)]);
        // A phone held upright: the same pixels.
        assert_eq!(rids(720, 1280), [("l", 4.0), ("m", 2.0), ("h", 1.0)]);
    }

    #[test]
    fn a_vga_camera_keeps_its_full_picture() {
        // The defect: scale 4/2/1 made Chromium send 160×120 and 320×240 only.
        assert_eq!(rids(640, 480), [("l", 2.0), ("h", 1.0)]);
        assert_eq!(rids(959, 540), [("l", 2.0), ("h", 1.0)]);
        assert_eq!(rids(480, 270), [("l", 2.0), ("h", 1.0)]);
        let (w, h) = DEFAULT_SIZE;
        assert_eq!(layer_count(w, h), 2);
    }

    #[test]
    fn a_small_camera_sends_its_full_picture_as_l() {
        // The browser sends the first encoding only: `l`, whole, which the media peer may pause.
        assert_eq!(layer_count(320, 240), 1);
        assert_eq!(rids(320, 240), [("l", 1.0), ("h", 1.0)]);
        assert_eq!(rids(480, 269), [("l", 1.0), ("h", 1.0)]);
        assert_eq!(layer_count(u32::MAX, u32::MAX), 3);
    }

    #[test]
    fn an_unknown_size_is_taken_for_the_default_capture() {
        assert_eq!(rids(0, 0), rids(640, 480));
        assert_eq!(rids(1280, 0), rids(640, 480));
    }

    fn refitted(planned: usize, width: u32, height: u32) -> Vec<(f32, u32)> {
        refit(planned, width, height)
            .iter()
            .map(|l| (l.scale, l.max_bitrate))
            .collect()
    }

    #[test]
    fn a_swapped_camera_keeps_its_full_picture_on_top() {
        // Planned for 1280×720 (l, m, h); now 640×480: the browser sends l and m, so m is whole.
        assert_eq!(refitted(3, 640, 480), [(2.0, 150_000), (1.0, 600_000)]);
        // Planned for 640×480 (l, h); now 320×240: l alone, whole (it was 160×120).
        assert_eq!(refitted(2, 320, 240), [(1.0, 150_000)]);
        assert_eq!(refitted(3, 320, 240), [(1.0, 150_000)]);
        // Planned for 320×240 (l, h, l alone sent); now 1280×720: both sent, h whole.
        assert_eq!(refitted(2, 1280, 720), [(2.0, 150_000), (1.0, 600_000)]);
        // The same size again, or more encodings than any size uses: the first plan.
        assert_eq!(refit(3, 1280, 720), &THREE[..]);
        assert_eq!(refit(2, 640, 480), &TWO[..]);
        assert_eq!(refit(5, 1920, 1080), &THREE[..]);
        // An unknown size is the default capture; no encoding at all refits nothing.
        assert_eq!(refit(3, 0, 0), &TWO[..]);
        assert!(refit(0, 1280, 720).is_empty());
    }

    #[test]
    fn a_layer_is_capped_by_its_picture_size() {
        // 640×480 and 640×360 cameras send their full picture at what a 640×360 picture needs,
        // not at a 1280×720 budget; only a full picture from 960×540 up gets 1.5 Mbit/s.
        for (w, h) in [(640, 480), (640, 360), (958, 539)] {
            let top = layers(w, h).last().map(|l| l.max_bitrate);
            assert_eq!(top, Some(600_000), "{w}x{h}");
        }
        assert_eq!(
            layers(1280, 720).last().map(|l| l.max_bitrate),
            Some(1_500_000)
        );
    }

    #[test]
    fn the_layers_grow_and_end_at_the_full_picture() {
        for set in [&THREE[..], &TWO[..], &ONE[..]] {
            assert_eq!(set[0].rid, "l");
            assert_eq!(set.last().map(|l| l.rid), Some("h"));
            assert_eq!(set.last().map(|l| l.scale), Some(1.0));
            assert!(set.windows(2).all(|w| w[0].scale >= w[1].scale));
            assert!(set.windows(2).all(|w| w[0].max_bitrate < w[1].max_bitrate));
        }
    }
}
