//! The room fuzz target's script: which peers, how the clock moves, and the operations.

use arbitrary::Arbitrary;
use classroom::protocol::PeerId;
use classroom_fuzz::{Action, Key, Media, Name};

/// Peer ids in play: a few small ones and the extremes.
pub const IDS: [PeerId; 8] = [0, 1, 2, 3, 4, 5, 6, PeerId::MAX];

pub fn id(n: u8) -> PeerId {
    IDS[usize::from(n) % IDS.len()]
}

/// Where the clock starts.
#[derive(Arbitrary, Debug)]
pub enum Start {
    Today,
    Zero,
    /// Near the far end: a denial's "may knock again at" is past the end of time.
    NearMax,
    Min,
    Any(i64),
}

/// How the clock moves.
#[derive(Arbitrary, Debug)]
pub enum Clock {
    Millis(u16),
    Seconds(u16),
    /// Exactly the time a denied student waits (`admission::TURNED_AWAY_MS`, private), and one
    /// millisecond less.
    TurnedAway,
    AlmostTurnedAway,
    Back(u32),
    To(i64),
}

#[derive(Arbitrary, Debug)]
pub enum Op {
    Join {
        peer: u8,
        address: u8,
        name: Name,
        key: Key,
        media: Media,
    },
    Act {
        peer: u8,
        action: Action,
    },
    /// The connection ended (the member goes at once).
    Disconnect {
        peer: u8,
    },
    /// The connection was lost (the member keeps its place).
    Lost {
        peer: u8,
    },
    /// A new connection resumes `whose` place with its last token, or with a made-up one.
    Resume {
        conn: u8,
        whose: u8,
        made_up: bool,
        media: Media,
    },
    Tick,
    Clock(Clock),
}

#[derive(Arbitrary, Debug)]
pub struct Script {
    pub capacity: u8,
    pub auto_admit: bool,
    pub history: u8,
    pub start: Start,
    pub ops: Vec<Op>,
}

/// Resuming connections get ids outside [`IDS`], as new connections do.
pub const CONNS: [PeerId; 3] = [100, 101, 102];
