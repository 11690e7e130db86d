//! Connections joining, talking, reading slowly or not at all, and disconnecting across three
//! rooms of one hub, with small queues so the back-pressure paths (drop and throttle, kick a stuck
//! reader) run all the time. Each slot behaves like `ws::session::Session`: it joins only while not
//! in a room, sends only after its join succeeded, and gets a fresh peer id when it reconnects.
//!
//! Checked after every step: `Hub::counts` equals the connections whose queue the hub still holds,
//! over the rooms they are in; and every message a connection reads concerns only peers of the one
//! room it was admitted to (a connection never admitted reads only errors).

#![no_main]

use std::collections::{BTreeSet, HashMap};

use arbitrary::Arbitrary;
use classroom::protocol::{ClientMsg, MediaState, PeerId, ServerMsg};
use classroom::server::hub::{Hub, Joined, Tx};
use classroom_fuzz::{join, signal, spec, Key, Name, Sig};
use libfuzzer_sys::fuzz_target;
use tokio::sync::mpsc;

/// Room ids and capacities.
const ROOMS: [(&str, usize); 3] = [("r0", 2), ("r1", 3), ("r2", 6)];
const SLOTS: usize = 6;

#[derive(Arbitrary, Debug)]
enum Op {
    Join {
        slot: u8,
        room: u8,
        name: Name,
        key: Key,
    },
    /// A signal to the peer in another slot.
    Signal {
        slot: u8,
        to: u8,
        sig: Sig,
    },
    SignalFar {
        slot: u8,
        to: PeerId,
        sig: Sig,
    },
    Media {
        slot: u8,
        audio: bool,
        video: bool,
    },
    /// The `leave` message.
    Leave {
        slot: u8,
    },
    /// The connection ends; a new one takes the slot.
    Reconnect {
        slot: u8,
        depth: u8,
    },
    /// The client reads up to `n` queued messages.
    Read {
        slot: u8,
        n: u8,
    },
    /// The client is gone: its queue is closed but the connection not yet ended.
    Close {
        slot: u8,
    },
    /// Replies to the connection itself (e.g. to a flood before joining) fill its queue.
    Stuff {
        slot: u8,
        n: u8,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    depths: [u8; SLOTS],
    ops: Vec<Op>,
}

/// One connection, as its session sees it.
struct Conn {
    id: PeerId,
    /// Held while not in a room; the hub holds it after a join.
    tx: Option<Tx>,
    rx: mpsc::Receiver<ServerMsg>,
    /// The room the session believes it is in (it may have been removed since).
    room: Option<usize>,
}

impl Conn {
    fn new(hub: &Hub, depth: u8) -> Self {
        let (tx, rx) = mpsc::channel(usize::from(depth % 4) + 1);
        Conn {
            id: hub.next_peer_id(),
            tx: Some(tx),
            rx,
            room: None,
        }
    }
}

fuzz_target!(|input: Input| {
    let hub = Hub::default();
    let mut conns: Vec<Conn> = input.depths.iter().map(|&d| Conn::new(&hub, d)).collect();
    // The room each peer id was admitted to (`Joined::Yes`), and every room it tried to join: a
    // join refused because the joiner's own queue is full is announced and then taken back.
    // Peer ids are never reused.
    let mut admitted: HashMap<PeerId, usize> = HashMap::new();
    let mut tried: HashMap<PeerId, BTreeSet<usize>> = HashMap::new();
    for op in input.ops {
        match op {
            Op::Join {
                slot,
                room,
                name,
                key,
            } => {
                let c = &mut conns[usize::from(slot) % SLOTS];
                let r = usize::from(room) % ROOMS.len();
                let (room_id, capacity) = ROOMS[r];
                if c.room.is_none() {
                    let tx =
                        c.tx.take()
                            .expect("a connection not in a room holds its queue");
                    let msg = join(room_id, &name, &key, true, false);
                    tried.entry(c.id).or_default().insert(r);
                    match hub.join(spec(room_id, capacity), c.id, msg, tx) {
                        Joined::Yes(info) => {
                            assert_eq!(info.id, c.id);
                            assert!(admitted.insert(c.id, r).is_none(), "admitted twice");
                            c.room = Some(r);
                        }
                        Joined::No(tx) => c.tx = Some(tx),
                    }
                }
            }
            Op::Signal { slot, to, sig } => {
                let to = conns[usize::from(to) % SLOTS].id;
                send(&hub, &conns, slot, signal(to, None, &sig));
            }
            Op::SignalFar { slot, to, sig } => {
                send(&hub, &conns, slot, signal(to, None, &sig));
            }
            Op::Media { slot, audio, video } => {
                send(
                    &hub,
                    &conns,
                    slot,
                    ClientMsg::Media(MediaState { audio, video }),
                );
            }
            Op::Leave { slot } => send(&hub, &conns, slot, ClientMsg::Leave),
            Op::Reconnect { slot, depth } => {
                let slot = usize::from(slot) % SLOTS;
                if let Some(r) = conns[slot].room {
                    hub.leave(ROOMS[r].0, conns[slot].id);
                }
                conns[slot] = Conn::new(&hub, depth);
            }
            Op::Read { slot, n } => {
                let c = &mut conns[usize::from(slot) % SLOTS];
                for _ in 0..n {
                    let Ok(msg) = c.rx.try_recv() else {
                        break;
                    };
                    check_received(c.id, &msg, &admitted, &tried);
                }
            }
            Op::Close { slot } => conns[usize::from(slot) % SLOTS].rx.close(),
            Op::Stuff { slot, n } => {
                let c = &conns[usize::from(slot) % SLOTS];
                if let Some(tx) = &c.tx {
                    for _ in 0..n % 8 {
                        let _ = tx.try_send(ServerMsg::error(
                            classroom::protocol::ErrorCode::RateLimited,
                        ));
                    }
                }
            }
        }
        check_counts(&hub, &conns);
    }
    // Every connection ends.
    for c in &conns {
        if let Some(r) = c.room {
            hub.leave(ROOMS[r].0, c.id);
        }
    }
    assert_eq!(hub.counts(), (0, 0), "rooms left behind");
});

/// A message from a member to the hub, as a joined session sends it.
fn send(hub: &Hub, conns: &[Conn], slot: u8, msg: ClientMsg) {
    let c = &conns[usize::from(slot) % SLOTS];
    if let Some(r) = c.room {
        hub.handle(ROOMS[r].0, c.id, msg);
    }
}

/// The hub holds a connection's queue exactly while that connection is a member.
fn check_counts(hub: &Hub, conns: &[Conn]) {
    let live: Vec<usize> = conns
        .iter()
        .filter(|c| c.tx.is_none() && c.rx.sender_strong_count() > 0)
        .map(|c| c.room.expect("only a joined connection gives up its queue"))
        .collect();
    let rooms: BTreeSet<usize> = live.iter().copied().collect();
    assert_eq!(hub.counts(), (rooms.len(), live.len()));
}

/// What `me` reads concerns only peers that entered the room `me` was admitted to.
fn check_received(
    me: PeerId,
    msg: &ServerMsg,
    admitted: &HashMap<PeerId, usize>,
    tried: &HashMap<PeerId, BTreeSet<usize>>,
) {
    let same_room = |other: PeerId| {
        let Some(mine) = admitted.get(&me) else {
            panic!("{msg:?} to {me}, never admitted");
        };
        assert_ne!(other, me, "{msg:?} about its own receiver");
        let theirs = tried.get(&other);
        assert!(
            theirs.is_some_and(|t| t.contains(mine)),
            "{msg:?} to {me} in room {mine}, across rooms"
        );
    };
    match msg {
        ServerMsg::Error { .. } => {}
        ServerMsg::Joined {
            you, room, peers, ..
        } => {
            assert_eq!(*you, me);
            let r = admitted.get(&me).expect("joined but not admitted");
            assert_eq!(room.id, ROOMS[*r].0);
            peers.iter().for_each(|p| same_room(p.id));
        }
        ServerMsg::PeerJoined { peer } => same_room(peer.id),
        ServerMsg::PeerLeft { peer } | ServerMsg::Media { peer, .. } => same_room(*peer),
        ServerMsg::Signal { from, .. } => same_room(*from),
        ServerMsg::Unknown => panic!("the hub sent an unknown message"),
    }
}
