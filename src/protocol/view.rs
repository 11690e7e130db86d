//! What a client displays, so the media peer forwards only that (topology `sfu`).
//!
//! A class of 30 cannot send every camera at full size to every phone: each client says which
//! cameras it shows and how large, and the media peer forwards one simulcast layer of exactly those
//! (docs/protocol.md `view`). Audio and screen shares are not part of it: they are always forwarded.

use serde::{Deserialize, Serialize};

use super::PeerId;

/// Most tiles one `view` may list; a longer list is refused with `bad_message`. Generous: no page
/// shows more, and a room holds at most `--room-capacity` people.
pub const MAX_VIEW_TILES: usize = 64;

/// How sharp a camera a client wants: which simulcast layer (`l`, `m`, `h`) it asks for at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    /// A thumbnail: the smallest layer `l`.
    Low,
    /// A mid-size tile: at most the half-resolution layer `m` (`l` when the camera sends no `m`).
    Medium,
    /// The large tile: the full-resolution layer `h`.
    High,
}

/// One camera a client displays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tile {
    pub peer: PeerId,
    pub quality: Quality,
}
