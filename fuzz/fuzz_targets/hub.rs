//! Connections joining, knocking, teaching, talking, reading slowly or not at all, and
//! disconnecting across three rooms of one hub, with small queues so the back-pressure paths (drop
//! and throttle, kick a stuck reader) run all the time. Each slot behaves like
//! `ws::session::Session`: it joins only while not in a room, sends only after its join was taken
//! (admitted or waiting), and gets a fresh peer id when it reconnects.
//!
//! Connections are also lost (the member keeps its place) and resumed on a new connection with the
//! last resume token the client read, as the bundled client does.
//!
//! Checked after every step: `Hub::connected` equals the connections whose queue the hub still
//! holds, and every room they are in is live. Checked on everything a connection reads, in order: until it reads
//! `joined` it reads only `waiting`, `error` and `ended`; nothing follows `ended`; and every message
//! concerns only peers that tried the room it entered.

#![no_main]

#[path = "hub/checks.rs"]
mod checks;

use std::collections::{BTreeSet, HashMap};

use arbitrary::Arbitrary;
use checks::{check_counts, check_received};
use classroom::protocol::{ClientMsg, ErrorCode, PeerId, ServerMsg};
use classroom::server::hub::queue;
use classroom::server::hub::{Hub, JoinRequest, Joined, ResumeRequest, Tx};
use classroom::server::records::Recorder;
use classroom_fuzz::{address, join, spec, Action, Key, Media, Name};
use libfuzzer_sys::fuzz_target;

/// Room ids and capacities.
const ROOMS: [(&str, usize); 3] = [("r0", 2), ("r1", 3), ("r2", 6)];
const SLOTS: usize = 6;

#[derive(Arbitrary, Debug)]
enum Op {
    Join {
        slot: u8,
        room: u8,
        address: u8,
        name: Name,
        key: Key,
        media: Media,
        /// The room's stored auto-admit setting (used when the join makes the room live).
        auto_admit: bool,
        history: bool,
    },
    /// A message; peers are named by slot.
    Act { slot: u8, action: Action },
    /// The connection ends; a new one takes the slot.
    Reconnect { slot: u8, depth: u8 },
    /// The client reads up to `n` queued messages.
    Read { slot: u8, n: u8 },
    /// The client is gone: its queue is closed but the connection not yet ended.
    Close { slot: u8 },
    /// Replies to the connection itself (e.g. to a flood before joining) fill its queue.
    Stuff { slot: u8, n: u8 },
    /// The ticker runs (on the real clock: nothing is due within a run, but it must be harmless).
    Tick,
    /// The connection is lost without `leave`; a new one takes the slot, keeping the token.
    Lose { slot: u8, depth: u8 },
    /// A connection not in a room resumes with the slot's last token (or a made-up one).
    Resume { slot: u8, made_up: bool },
}

#[derive(Arbitrary, Debug)]
struct Script {
    depths: [u8; SLOTS],
    ops: Vec<Op>,
}

/// One connection, as its session sees it.
struct Conn {
    /// The connection's own number.
    conn: PeerId,
    /// The member it speaks for: `conn` unless it resumed another's place.
    id: PeerId,
    /// The last resume token read, and its room: a client's memory across its connections.
    token: Option<(usize, String)>,
    /// Held while not in a room; the hub holds it after a join.
    tx: Option<Tx>,
    rx: queue::Rx,
    /// The room the session believes it is in (it may have been sent off since).
    room: Option<usize>,
    /// What it has read so far: `joined` (it is in the class), `ended` (its stay is over).
    read_joined: bool,
    read_ended: bool,
}

impl Conn {
    fn new(hub: &Hub, depth: u8) -> Self {
        let (tx, rx) = queue::channel(usize::from(depth % 4) + 1);
        let id = hub.next_peer_id();
        Conn {
            conn: id,
            id,
            token: None,
            tx: Some(tx),
            rx,
            room: None,
            read_joined: false,
            read_ended: false,
        }
    }
}

/// Which rooms were entered and tried, by peer id (never reused).
#[derive(Default)]
struct Log {
    /// The room each peer entered (`Joined::Yes`: admitted or waiting).
    entered: HashMap<PeerId, usize>,
    /// Every room each peer tried: a join refused because the joiner's own queue is full is
    /// announced and then taken back.
    tried: HashMap<PeerId, BTreeSet<usize>>,
}

fuzz_target!(|script: Script| {
    let hub = Hub::new(Recorder::discard());
    let mut conns: Vec<Conn> = script.depths.iter().map(|&d| Conn::new(&hub, d)).collect();
    let mut log = Log::default();
    for op in script.ops {
        match op {
            Op::Join {
                slot,
                room,
                address: from,
                name,
                key,
                media,
                auto_admit,
                history,
            } => {
                let c = &mut conns[usize::from(slot) % SLOTS];
                let r = usize::from(room) % ROOMS.len();
                let (room_id, capacity) = ROOMS[r];
                if c.room.is_none() {
                    let tx =
                        c.tx.take()
                            .expect("a connection not in a room holds its queue");
                    let request = JoinRequest {
                        peer: c.id,
                        address: address(from),
                        msg: join(room_id, &name, &key, media),
                    };
                    log.tried.entry(c.id).or_default().insert(r);
                    let spec = spec(room_id, capacity, auto_admit, usize::from(history) * 3);
                    match hub.join(spec, request, tx) {
                        Joined::Yes(_) => {
                            assert!(log.entered.insert(c.id, r).is_none(), "entered twice");
                            c.room = Some(r);
                        }
                        Joined::No(tx) => c.tx = Some(tx),
                    }
                }
            }
            Op::Act { slot, action } => {
                let c = &conns[usize::from(slot) % SLOTS];
                let Some(msg) = action.msg(|to| conns[usize::from(to) % SLOTS].id) else {
                    continue;
                };
                // The session answers a second join itself.
                let joins = matches!(msg, ClientMsg::Join { .. } | ClientMsg::Resume { .. });
                if let (Some(r), false) = (c.room, joins) {
                    hub.handle(ROOMS[r].0, c.id, c.conn, msg);
                }
            }
            Op::Reconnect { slot, depth } => {
                let slot = usize::from(slot) % SLOTS;
                if let Some(r) = conns[slot].room {
                    hub.leave(ROOMS[r].0, conns[slot].id, conns[slot].conn);
                }
                conns[slot] = Conn::new(&hub, depth);
            }
            Op::Lose { slot, depth } => {
                let slot = usize::from(slot) % SLOTS;
                if let Some(r) = conns[slot].room {
                    hub.lost(ROOMS[r].0, conns[slot].id, conns[slot].conn);
                }
                let token = conns[slot].token.take();
                conns[slot] = Conn::new(&hub, depth);
                conns[slot].token = token;
            }
            Op::Resume { slot, made_up } => {
                let c = &mut conns[usize::from(slot) % SLOTS];
                let Some((r, token)) = c.token.clone() else {
                    continue;
                };
                if c.room.is_some() {
                    continue;
                }
                let tx =
                    c.tx.take()
                        .expect("a connection not in a room holds its queue");
                let request = ResumeRequest {
                    conn: c.conn,
                    room: ROOMS[r].0.into(),
                    token: if made_up {
                        "resume-token-made-up-0000".into()
                    } else {
                        token
                    },
                    media: Default::default(),
                };
                match hub.resume(request, tx) {
                    Joined::Yes(peer) => {
                        assert_eq!(log.entered.get(&peer), Some(&r), "resumed another room");
                        c.id = peer;
                        c.room = Some(r);
                    }
                    Joined::No(tx) => c.tx = Some(tx),
                }
            }
            Op::Read { slot, n } => {
                let c = &mut conns[usize::from(slot) % SLOTS];
                for _ in 0..n {
                    let Ok(msg) = c.rx.try_recv() else {
                        break;
                    };
                    check_received(c, &msg, &log);
                }
            }
            Op::Close { slot } => conns[usize::from(slot) % SLOTS].rx.close(),
            Op::Stuff { slot, n } => {
                let c = &conns[usize::from(slot) % SLOTS];
                if let Some(tx) = &c.tx {
                    for _ in 0..n % 8 {
                        let _ = tx.try_send(ServerMsg::error(ErrorCode::RateLimited));
                    }
                }
            }
            Op::Tick => hub.tick(),
        }
        check_counts(&hub, &conns);
    }
    // Every connection ends (members away keep their places until their grace ends).
    for c in &conns {
        if let Some(r) = c.room {
            hub.leave(ROOMS[r].0, c.id, c.conn);
        }
    }
    assert_eq!(hub.connected(), 0, "connections left behind");
});
