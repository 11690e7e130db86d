//! The hub target's checks: which queues the hub holds, and what each connection reads.

use std::collections::BTreeSet;

use classroom::protocol::{PeerId, ServerMsg};
use classroom::server::hub::Hub;
use classroom_fuzz::fit_for_the_waiting;

use super::{Conn, Log, ROOMS};

/// The hub holds a connection's queue exactly while that connection is in a room.
pub(super) fn check_counts(hub: &Hub, conns: &[Conn]) {
    let live: Vec<usize> = conns
        .iter()
        .filter(|c| c.tx.is_none() && c.rx.sender_strong_count() > 0)
        .map(|c| c.room.expect("only a joined connection gives up its queue"))
        .collect();
    let rooms: BTreeSet<usize> = live.iter().copied().collect();
    assert_eq!(hub.connected(), live.len());
    assert!(hub.counts().0 >= rooms.len() && hub.counts().1 >= live.len());
}

/// Checks what `c` reads, in order: nothing of the class before `joined`, nothing after `ended`,
/// and nothing about peers that never tried the room it entered.
pub(super) fn check_received(c: &mut Conn, msg: &ServerMsg, log: &Log) {
    let me = c.id;
    assert!(!c.read_ended, "{msg:?} to {me} after `ended`");
    if !c.read_joined {
        assert!(fit_for_the_waiting(msg), "{msg:?} to {me} before `joined`");
    }
    let mine = || {
        *log.entered
            .get(&me)
            .unwrap_or_else(|| panic!("{msg:?} to {me}, which entered no room"))
    };
    let same_room = |other: PeerId| {
        let mine = mine();
        let theirs = log.tried.get(&other);
        assert!(
            theirs.is_some_and(|t| t.contains(&mine)),
            "{msg:?} to {me} in room {mine}, about {other} from elsewhere"
        );
    };
    let about_another = |other: PeerId| {
        assert_ne!(other, me, "{msg:?} about its own receiver");
        same_room(other);
    };
    match msg {
        ServerMsg::Error { .. } => {}
        ServerMsg::Waiting { you, room, resume } => {
            assert_eq!(*you, me);
            assert_eq!(room.id, ROOMS[mine()].0);
            if let Some(token) = resume {
                c.token = Some((mine(), token.clone()));
            }
        }
        ServerMsg::Joined {
            you,
            room,
            peers,
            waiting,
            chat,
            resume,
            ..
        } => {
            assert!(!c.read_joined, "joined twice");
            if let Some(token) = resume {
                c.token = Some((mine(), token.clone()));
            }
            c.read_joined = true;
            assert_eq!(*you, me);
            assert_eq!(room.id, ROOMS[mine()].0);
            peers.iter().for_each(|p| about_another(p.id));
            waiting.iter().for_each(|k| about_another(k.id));
            chat.iter().filter_map(|l| l.from).for_each(same_room);
        }
        ServerMsg::Ended { .. } => c.read_ended = true,
        ServerMsg::Knock { knock } => about_another(knock.id),
        ServerMsg::PeerJoined { peer } => about_another(peer.id),
        ServerMsg::KnockEnded { peer }
        | ServerMsg::PeerLeft { peer }
        | ServerMsg::Media { peer, .. } => about_another(*peer),
        ServerMsg::Signal { from, .. } => about_another(*from),
        // About itself too: a teacher muted it, it raised its hand.
        ServerMsg::PeerUpdated { peer, .. } => same_room(peer.id),
        ServerMsg::Chat { line } => line.from.into_iter().for_each(same_room),
        ServerMsg::Settings { .. } | ServerMsg::Topology { .. } => {}
        ServerMsg::Unknown => panic!("the hub sent an unknown message"),
    }
}
