//! What each admitted member's client knows from what it was sent, checked against the room.

use std::collections::{BTreeMap, BTreeSet};

use classroom::protocol::{PeerId, PeerInfo, ServerMsg, Settings};
use classroom::server::room::{Output, Room};

use crate::{is_teacher, Outcome, IDS};

/// The room as one admitted member's client knows it from what it was sent.
#[derive(Debug)]
pub struct View {
    /// Everyone else admitted.
    pub peers: BTreeMap<PeerId, PeerInfo>,
    pub settings: Settings,
    /// Who is waiting (teachers are told).
    pub waiting: BTreeSet<PeerId>,
}

impl View {
    /// Takes in one message sent to `me`.
    fn learn(&mut self, me: PeerId, msg: &ServerMsg) {
        let known = |peers: &BTreeMap<PeerId, PeerInfo>, p: &PeerId| {
            assert!(
                peers.contains_key(p),
                "{msg:?} to {me}, who does not know {p}"
            );
        };
        match msg {
            ServerMsg::PeerJoined { peer } => {
                let old = self.peers.insert(peer.id, peer.clone());
                assert!(old.is_none(), "{me} told again that {} joined", peer.id);
            }
            ServerMsg::PeerLeft { peer } => {
                known(&self.peers, peer);
                self.peers.remove(peer);
            }
            ServerMsg::Media { peer, media } => {
                known(&self.peers, peer);
                self.peers.entry(*peer).and_modify(|p| p.media = *media);
            }
            ServerMsg::PeerUpdated { peer, .. } if peer.id != me => {
                known(&self.peers, &peer.id);
                self.peers.insert(peer.id, peer.clone());
            }
            ServerMsg::Settings { settings, .. } => self.settings = *settings,
            ServerMsg::Knock { knock } => {
                self.waiting.insert(knock.id);
            }
            ServerMsg::KnockEnded { peer } => {
                self.waiting.remove(peer);
            }
            _ => {}
        }
    }
}

/// Takes in what the step sent (`views`, `tokens`: each member's knowledge and last resume token)
/// and checks that every connected member's view is the truth.
pub fn check(
    room: &Room,
    views: &mut BTreeMap<PeerId, View>,
    tokens: &mut BTreeMap<PeerId, String>,
    s: &Outcome,
) {
    let (input, out, now_admitted) = (s.input, s.out, &s.now_admitted);
    // What each member's client now knows.
    for o in out {
        let Output::Send(to, msg) = o else { continue };
        match msg {
            ServerMsg::Joined {
                peers,
                settings,
                waiting,
                resume,
                resumed,
                ..
            } => {
                let view = View {
                    peers: peers.iter().map(|p| (p.id, p.clone())).collect(),
                    settings: *settings,
                    waiting: waiting.iter().map(|k| k.id).collect(),
                };
                let again = views.insert(*to, view).is_some();
                assert!(!again || *resumed, "{to} joined twice");
                if let Some(token) = resume {
                    tokens.insert(*to, token.clone());
                }
            }
            ServerMsg::Waiting {
                resume: Some(token),
                ..
            } => {
                tokens.insert(*to, token.clone());
            }
            ServerMsg::Ended { .. } => {
                views.remove(to);
            }
            msg => {
                if let Some(view) = views.get_mut(to) {
                    view.learn(*to, msg);
                }
            }
        }
    }
    views.retain(|p, _| now_admitted.contains(p));
    for p in now_admitted {
        // Admitted while away, it gets the room when it resumes.
        assert!(
            views.contains_key(p) || room.is_away(*p),
            "{p} admitted without `joined`"
        );
    }
    // Strangers only while one of the two is away.
    for &a in now_admitted {
        let known = room.known_by(a);
        for &b in now_admitted {
            if a != b && !room.is_away(a) && !room.is_away(b) {
                assert!(
                    known.contains(&b),
                    "{a} and {b} are both here and strangers"
                );
            }
        }
    }
    let waiting: BTreeSet<PeerId> = IDS
        .into_iter()
        .filter(|&p| room.contains(p) && room.member(p).is_none())
        .collect();
    for (&me, view) in views.iter() {
        if room.is_away(me) {
            continue; // hushed: its view is brought up to date by `joined` when it resumes
        }
        let truth: BTreeMap<PeerId, PeerInfo> = room
            .known_by(me)
            .into_iter()
            .filter_map(|p| room.member(p).map(|m| (p, m.clone())))
            .collect();
        assert_eq!(
            view.peers, truth,
            "{me} sees the others wrong after {input:?}"
        );
        assert_eq!(view.settings, room.settings(), "{me} has stale settings");
        if is_teacher(room, Some(me)) {
            assert_eq!(view.waiting, waiting, "teacher {me} sees the waiting wrong");
        } else {
            assert!(view.waiting.is_empty(), "student {me} was told of knocks");
        }
    }
}
