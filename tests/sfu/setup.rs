//! Set-up shared by the simulcast tests (`tests/sfu_simulcast.rs`, `tests/sfu_screen.rs`): one
//! test at a time, an SFU on loopback, and a member's `view` sent as the hub hands it on.

use std::sync::{Mutex, MutexGuard};

use classroom::protocol::{PeerId, Quality, Tile};
use classroom::server::sfu::{Command, Sfu, SfuConfig};

/// These tests read bandwidth estimates, which a starved CPU bends (a client that is late to read
/// its socket looks like a queue on the link): they run one at a time.
pub fn serial() -> MutexGuard<'static, ()> {
    static ONE: Mutex<()> = Mutex::new(());
    ONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// An SFU on 127.0.0.1 that chooses layers from each subscriber's bandwidth estimate (`None`), as
/// the server does, or as if every subscriber had `fixed_budget` bit/s.
pub fn start_with(fixed_budget: Option<u64>) -> Sfu {
    let config = SfuConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        advertised: "127.0.0.1".parse().unwrap(),
        fixed_budget,
    };
    Sfu::start(config).unwrap()
}

/// Member `peer` of room `r` shares its screen and may (the hub's `media.screen`).
pub fn may_share(sfu: &Sfu, peer: PeerId) {
    sfu.send(Command::Screen {
        room: "r".into(),
        peer,
        allowed: true,
    });
}

/// Member `peer` of room `r` shows `tiles`.
pub fn view(sfu: &Sfu, peer: PeerId, tiles: &[(PeerId, Quality)]) {
    sfu.send(Command::View {
        room: "r".into(),
        peer,
        tiles: tiles
            .iter()
            .map(|&(peer, quality)| Tile { peer, quality })
            .collect(),
    });
}
