//! What we tell the media peer we display (`view`, docs/protocol.md): the cameras on the page we
//! show and how large, so that it forwards only those, each at the simulcast layer that fits. Also
//! which tile is the large one, which decides the sharpest of them.

use super::pagination::paginate;
use crate::protocol::{PeerId, Quality, Tile, MAX_VIEW_TILES};

/// Up to this many tiles on screen (ours included), the small ones are large enough for the
/// half-resolution layer; more, and they are thumbnails.
pub const FEW_TILES: usize = 4;

/// The camera tile shown large: the one the user pinned; otherwise the active speaker — unless a
/// screen is being shared, which then is the large picture and no camera competes with it.
pub fn large_tile(
    pinned: Option<PeerId>,
    screen_shown: bool,
    active_speaker: Option<PeerId>,
) -> Option<PeerId> {
    pinned.or(if screen_shown { None } else { active_speaker })
}

/// The `view` for the others `visible` on our page (our own tile shown too, not listed) with
/// `large` the large tile: that one `high`, the rest `medium` when few tiles are shown, else
/// `low`. Each peer once, by ascending id, at most [`MAX_VIEW_TILES`], so equal views compare
/// equal.
pub fn view_tiles(visible: &[PeerId], large: Option<PeerId>) -> Vec<Tile> {
    let mut peers: Vec<PeerId> = visible.to_vec();
    peers.sort_unstable();
    peers.dedup();
    // `FEW_TILES` counts our own tile too.
    let small = if peers.len() < FEW_TILES {
        Quality::Medium
    } else {
        Quality::Low
    };
    peers
        .into_iter()
        .take(MAX_VIEW_TILES)
        .map(|peer| Tile {
            peer,
            quality: if Some(peer) == large {
                Quality::High
            } else {
                small
            },
        })
        .collect()
}

/// The view the views want and the one the server last got: a `view` goes out only when they
/// differ, and again after the server may have lost it (a resume, a switch of topology).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    wanted: Option<Vec<Tile>>,
    sent: Option<Vec<Tile>>,
}

impl ViewState {
    /// The views show these tiles now.
    pub fn want(&mut self, tiles: Vec<Tile>) {
        self.wanted = Some(tiles);
    }

    /// Our first offer to the media peer goes out before the views draw the call, and the media
    /// peer opens an m-line only for the cameras a view shows (every camera before any view, for
    /// good): until the views say what they show, we want the first page of `others` (in joining
    /// order) as `per_page` tiles fit it, with no large tile.
    pub fn guess(&mut self, others: &[PeerId], per_page: usize) {
        if self.wanted.is_none() {
            let page = paginate(others, None, per_page, 0);
            self.wanted = Some(view_tiles(&page.visible, None));
        }
    }

    /// The view to send now, if any (and it counts as sent): the wanted one, unless the server
    /// has it already. Nothing before the views said what they show or [`guess`](Self::guess)
    /// guessed it.
    pub fn due(&mut self) -> Option<Vec<Tile>> {
        let wanted = self.wanted.as_ref()?;
        if self.sent.as_ref() == Some(wanted) {
            return None;
        }
        self.sent = Some(wanted.clone());
        Some(wanted.clone())
    }

    /// The server may not hold our last view any more: the next [`due`](Self::due) sends it again.
    pub fn resend(&mut self) {
        self.sent = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(peer: PeerId, quality: Quality) -> Tile {
        Tile { peer, quality }
    }

    #[test]
    fn the_large_tile_is_high_and_few_others_medium() {
        assert_eq!(
            view_tiles(&[7, 3, 5], Some(5)),
            vec![
                tile(3, Quality::Medium),
                tile(5, Quality::High),
                tile(7, Quality::Medium)
            ]
        );
    }

    #[test]
    fn many_tiles_are_thumbnails() {
        let view = view_tiles(&[1, 2, 3, 4, 5], Some(2));
        assert_eq!(view.len(), 5);
        assert_eq!(view[1], tile(2, Quality::High));
        assert!(view
            .iter()
            .filter(|t| t.peer != 2)
            .all(|t| t.quality == Quality::Low));
        assert!(view_tiles(&[1, 2, 3, 4], None)
            .iter()
            .all(|t| t.quality == Quality::Low));
    }

    #[test]
    fn each_peer_once_and_never_more_than_the_protocol_allows() {
        assert_eq!(
            view_tiles(&[4, 4, 2], None),
            vec![tile(2, Quality::Medium), tile(4, Quality::Medium)]
        );
        let many: Vec<PeerId> = (1..=100).collect();
        assert_eq!(view_tiles(&many, None).len(), MAX_VIEW_TILES);
        assert_eq!(view_tiles(&[], Some(3)), vec![]);
    }

    #[test]
    fn a_pin_wins_then_a_screen_then_the_speaker() {
        assert_eq!(large_tile(Some(1), true, Some(2)), Some(1));
        assert_eq!(large_tile(None, true, Some(2)), None);
        assert_eq!(large_tile(None, false, Some(2)), Some(2));
        assert_eq!(large_tile(None, false, None), None);
    }

    #[test]
    fn a_view_goes_out_once_until_it_changes() {
        let mut v = ViewState::default();
        assert_eq!(
            v.due(),
            None,
            "nothing before the views said what they show"
        );
        v.want(view_tiles(&[1, 2], Some(1)));
        assert_eq!(v.due(), Some(view_tiles(&[1, 2], Some(1))));
        assert_eq!(v.due(), None);
        v.want(view_tiles(&[2, 1], Some(1)));
        assert_eq!(v.due(), None, "the same view, computed again");
        v.want(view_tiles(&[1, 2], Some(2)));
        assert_eq!(v.due(), Some(view_tiles(&[1, 2], Some(2))));
    }

    #[test]
    fn before_the_views_draw_the_first_page_is_guessed() {
        let mut v = ViewState::default();
        v.guess(&[9, 4, 7, 2], 4);
        assert_eq!(
            v.due(),
            Some(view_tiles(&[9, 4, 7], None)),
            "3 others fit 4 tiles"
        );
        v.want(view_tiles(&[9, 4, 2], Some(2)));
        v.guess(&[9, 4, 7, 2], 4);
        assert_eq!(
            v.due(),
            Some(view_tiles(&[9, 4, 2], Some(2))),
            "the views' own view wins"
        );
    }

    #[test]
    fn after_a_resume_the_last_view_goes_out_again() {
        let mut v = ViewState::default();
        v.want(view_tiles(&[3], None));
        assert!(v.due().is_some());
        v.resend();
        assert_eq!(v.due(), Some(view_tiles(&[3], None)));
        assert_eq!(v.due(), None);
    }
}
