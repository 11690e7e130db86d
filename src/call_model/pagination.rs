//! Pages of camera tiles. A class of 30 does not fit on a phone: the grid shows a page at a time,
//! sized to the viewport, and our own tile and the large one (pinned or the active speaker) are on
//! every page, so flipping pages never hides the person talking or what we send.

use crate::protocol::PeerId;

/// Fewest tiles a page holds: ourselves, the large tile and two more still fit a phone.
pub const MIN_PER_PAGE: usize = 4;
/// Most tiles a page holds: beyond 16 thumbnails nobody can tell faces apart, and each costs a
/// decoder.
pub const MAX_PER_PAGE: usize = 16;
/// What the server renders before the browser knows its viewport (a laptop's page).
pub const DEFAULT_PER_PAGE: usize = 9;

/// How many tiles (ours included) fit a viewport of `width` × `height` CSS pixels: a column per
/// ~300 px and a row per ~200 px, so a phone gets [`MIN_PER_PAGE`] and a desktop 9 to 16.
pub fn tiles_per_page(width: f64, height: f64) -> usize {
    if !(width.is_finite() && height.is_finite()) {
        return DEFAULT_PER_PAGE;
    }
    let cols = (width / 300.0).floor().clamp(1.0, 4.0) as usize;
    let rows = (height / 200.0).floor().clamp(1.0, 4.0) as usize;
    (cols * rows).clamp(MIN_PER_PAGE, MAX_PER_PAGE)
}

/// How many tiles the browser's window holds now (the grid's page, and the engine's guess at it
/// before the grid is drawn). Reads the window: browser only.
#[cfg(feature = "hydrate")]
pub fn tiles_that_fit() -> usize {
    let Some(window) = web_sys::window() else {
        return DEFAULT_PER_PAGE;
    };
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
    let (width, height) = (size(window.inner_width()), size(window.inner_height()));
    tiles_per_page(width.unwrap_or(f64::NAN), height.unwrap_or(f64::NAN))
}

/// One page of the grid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// The others shown on it: the large tile first (on every page), then this page's share of
    /// the rest in joining order. Our own tile is always shown and not listed.
    pub visible: Vec<PeerId>,
    /// The page shown, 0-based: the one asked for, or the last one if there are fewer now.
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
}

/// Page `page` of the others (`others`, in joining order) when `per_page` tiles fit, our own
/// included; `large` (if it is one of `others`) is on every page.
pub fn paginate(others: &[PeerId], large: Option<PeerId>, per_page: usize, page: usize) -> Page {
    let large = large.filter(|l| others.contains(l));
    let rest: Vec<PeerId> = others
        .iter()
        .copied()
        .filter(|&id| Some(id) != large)
        .collect();
    // Our own tile and the large one take their places on every page.
    let pinned = 1 + usize::from(large.is_some());
    let slots = per_page.saturating_sub(pinned).max(1);
    let pages = rest.len().div_ceil(slots).max(1);
    let page = page.min(pages - 1);
    let visible = large
        .into_iter()
        .chain(rest.into_iter().skip(page * slots).take(slots))
        .collect();
    Page {
        visible,
        page,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pages of `others`, by number.
    fn at(
        others: &[PeerId],
        large: Option<PeerId>,
        per_page: usize,
    ) -> impl Fn(usize) -> Page + '_ {
        move |page| paginate(others, large, per_page, page)
    }

    fn ids(n: u64) -> Vec<PeerId> {
        (1..=n).collect()
    }

    #[test]
    fn a_phone_gets_the_fewest_tiles_and_a_desktop_nine_to_sixteen() {
        assert_eq!(tiles_per_page(390.0, 844.0), MIN_PER_PAGE);
        assert_eq!(tiles_per_page(320.0, 480.0), MIN_PER_PAGE);
        assert_eq!(tiles_per_page(1280.0, 720.0), 12);
        assert_eq!(tiles_per_page(1920.0, 1080.0), MAX_PER_PAGE);
        assert_eq!(tiles_per_page(1000.0, 700.0), 9);
        assert_eq!(tiles_per_page(f64::NAN, 700.0), DEFAULT_PER_PAGE);
    }

    #[test]
    fn a_small_room_is_one_page() {
        let others = ids(3);
        let p = at(&others, None, 4)(0);
        assert_eq!(
            p,
            Page {
                visible: vec![1, 2, 3],
                page: 0,
                pages: 1
            }
        );
    }

    #[test]
    fn thirty_on_a_phone_are_ten_pages_of_three() {
        let others = ids(30);
        let at = at(&others, None, 4);
        assert_eq!(at(0).pages, 10);
        assert_eq!(at(0).visible, vec![1, 2, 3]);
        assert_eq!(at(1).visible, vec![4, 5, 6]);
        assert_eq!(at(9).visible, vec![28, 29, 30]);
    }

    #[test]
    fn the_large_tile_is_on_every_page_and_not_twice() {
        let others = ids(7);
        let at = at(&others, Some(5), 4);
        // 6 others in 2 slots a page: 3 pages, each led by 5.
        assert_eq!(
            at(0),
            Page {
                visible: vec![5, 1, 2],
                page: 0,
                pages: 3
            }
        );
        assert_eq!(at(1).visible, vec![5, 3, 4]);
        assert_eq!(at(2).visible, vec![5, 6, 7]);
    }

    #[test]
    fn a_large_tile_that_is_not_another_participant_takes_no_slot() {
        // Ourselves pinned, or someone who just left.
        let others = ids(6);
        assert_eq!(paginate(&others, Some(99), 4, 1).visible, vec![4, 5, 6]);
    }

    #[test]
    fn a_page_past_the_end_shows_the_last_one() {
        let others = ids(5);
        let p = paginate(&others, None, 4, 7);
        assert_eq!(
            p,
            Page {
                visible: vec![4, 5],
                page: 1,
                pages: 2
            }
        );
        assert_eq!(
            paginate(&[], None, 4, 3),
            Page {
                visible: vec![],
                page: 0,
                pages: 1
            }
        );
    }

    #[test]
    fn every_other_participant_is_on_exactly_one_page() {
        for n in 0..40 {
            for per_page in [1, 2, 4, 9, 16] {
                for large in [None, Some(1), Some(n / 2 + 1)] {
                    let others = ids(n);
                    let at = at(&others, large, per_page);
                    let pages = at(0).pages;
                    let mut seen: Vec<PeerId> = (0..pages)
                        .flat_map(|p| at(p).visible)
                        .filter(|&id| Some(id) != large || n == 0)
                        .collect();
                    if let Some(l) = large.filter(|l| others.contains(l)) {
                        seen.push(l);
                    }
                    seen.sort_unstable();
                    assert_eq!(seen, others, "n={n} per_page={per_page} large={large:?}");
                    for p in 0..pages {
                        // Ourselves included, a page never holds more than asked (3 at least: us, the large
                        // tile and one more).
                        assert!(at(p).visible.len() < per_page.max(3));
                    }
                }
            }
        }
    }
}
