//! Sequences of joins, client messages (every classroom action, teachers' and students'),
//! disconnects and ticks into one room's state machine on a clock that moves by any amount, also
//! backwards and to the ends of its range. Checked after every step:
//! - everything sent goes to the sender, to someone in the room after the step, or to someone
//!   closed in this step; errors go to the sender only;
//! - whoever is not an admitted member after the step (waiting, turned away, removed, the class
//!   ended) is sent only `waiting`, `joined`, `error` or `ended`: nothing of the class;
//! - a signal goes only from an admitted member to exactly its admitted addressee, stamped with
//!   the sender;
//! - a refusal (exactly one error, to the sender) leaves the room exactly as it was;
//! - the admitted never outnumber the capacity;
//! - nobody's role changes, a student never becomes a teacher, and only a teacher's `settings`
//!   changes the settings;
//! - a connection that disconnects or leaves is out; one that is closed was sent `ended` first and
//!   is out; attendance records start and end exactly with admission;
//! - once the class has ended the room is empty and stays so;
//! - what every admitted member was told adds up to the truth: the others as the room holds them
//!   (media, right to speak, hand), the settings, and (teachers) who is waiting;
//! - a student's microphone is on only while they may speak, their screen only while students may
//!   share, and nobody may be kept from speaking while microphones are not locked;
//! - connections are lost and resumed (with the last token the room handed out, or a made-up one)
//!   from new connection ids: nothing is sent to a member who is away, a lost member stays, a
//!   resume rebinds only the resuming connection to a member, and two admitted members who are
//!   both connected always know each other.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Arbitrary;
use classroom::protocol::{ClientMsg, PeerId, PeerInfo, Role, ServerMsg, Settings, UnixMillis};
use classroom::server::room::{chat, Input, Media as ToMedia, Output, Record, Room};
use classroom_fuzz::{address, fit_for_the_waiting, spec, Action, Key, Media, Name};
use libfuzzer_sys::fuzz_target;

/// Peer ids in play: a few small ones and the extremes.
const IDS: [PeerId; 8] = [0, 1, 2, 3, 4, 5, 6, PeerId::MAX];

fn id(n: u8) -> PeerId {
    IDS[usize::from(n) % IDS.len()]
}

/// Where the clock starts.
#[derive(Arbitrary, Debug)]
enum Start {
    Today,
    Zero,
    /// Near the far end: a denial's "may knock again at" is past the end of time.
    NearMax,
    Min,
    Any(i64),
}

/// How the clock moves.
#[derive(Arbitrary, Debug)]
enum Clock {
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
enum Op {
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
struct Script {
    capacity: u8,
    auto_admit: bool,
    history: u8,
    start: Start,
    ops: Vec<Op>,
}

/// The room and what the checks remember across steps.
struct World {
    room: Room,
    now: UnixMillis,
    capacity: usize,
    /// Peers in the room that joined without the teacher key.
    students: BTreeSet<PeerId>,
    /// What each admitted member was told, by member.
    views: BTreeMap<PeerId, View>,
    /// The last resume token the room handed each member.
    tokens: BTreeMap<PeerId, String>,
    /// Tokens made so far (each input that needs one gets a new one).
    made: u64,
    /// The media server's view: who is in the call, with their audio right.
    media: BTreeMap<PeerId, bool>,
}

impl World {
    fn token(&mut self) -> String {
        self.made += 1;
        format!("resume-token-{:08}", self.made)
    }
}

/// Resuming connections get ids outside [`IDS`], as new connections do.
const CONNS: [PeerId; 3] = [100, 101, 102];

/// The room as one admitted member's client knows it from what it was sent.
#[derive(Debug)]
struct View {
    /// Everyone else admitted.
    peers: BTreeMap<PeerId, PeerInfo>,
    settings: Settings,
    /// Who is waiting (teachers are told).
    waiting: BTreeSet<PeerId>,
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

fuzz_target!(|script: Script| {
    let capacity = usize::from(script.capacity % 8);
    // A full history (to reach the limit) makes every step's snapshot slow: only now and then.
    let history = match script.history {
        u8::MAX => chat::HISTORY,
        n => usize::from(n % 3),
    };
    let now = match script.start {
        Start::Today => 1_700_000_000_000,
        Start::Zero => 0,
        Start::NearMax => UnixMillis::MAX - 30_000,
        Start::Min => UnixMillis::MIN,
        Start::Any(t) => t,
    };
    let mut world = World {
        room: Room::new(spec("r1", capacity, script.auto_admit, history)),
        now,
        capacity,
        students: BTreeSet::new(),
        views: BTreeMap::new(),
        tokens: BTreeMap::new(),
        made: 0,
        media: BTreeMap::new(),
    };
    for op in script.ops {
        let input = match op {
            Op::Join {
                peer,
                address: from,
                name,
                key,
                media,
            } => {
                if !key.is_teacher() && !world.room.contains(id(peer)) {
                    world.students.insert(id(peer));
                }
                Input::Join {
                    peer: id(peer),
                    address: address(from),
                    name: name.text(),
                    teacher_key: key.key(),
                    media: media.state(),
                    // No token, a shared one, a malformed one, or the peer's own.
                    attendee: match from % 4 {
                        0 => None,
                        1 => Some("attendee-token-shared".into()),
                        2 => Some("bad token".into()),
                        _ => Some(format!("attendee-token-{peer:04}")),
                    },
                    resume: world.token(),
                }
            }
            Op::Lost { peer } => Input::Lost(id(peer)),
            Op::Resume {
                conn,
                whose,
                made_up,
                media,
            } => {
                let token = match world.tokens.get(&id(whose)) {
                    Some(token) if !made_up => token.clone(),
                    _ => "resume-token-made-up-0000".into(),
                };
                Input::Resume {
                    conn: CONNS[usize::from(conn) % CONNS.len()],
                    token,
                    fresh: world.token(),
                    media: media.state(),
                }
            }
            Op::Act { peer, action } => match action.msg(id) {
                Some(msg) => Input::Message(id(peer), msg),
                None => continue,
            },
            Op::Disconnect { peer } => Input::Disconnect(id(peer)),
            Op::Tick => Input::Tick,
            Op::Clock(clock) => {
                world.now = match clock {
                    Clock::Millis(ms) => world.now.saturating_add(ms.into()),
                    Clock::Seconds(s) => world.now.saturating_add(i64::from(s) * 1_000),
                    Clock::TurnedAway => world.now.saturating_add(60_000),
                    Clock::AlmostTurnedAway => world.now.saturating_add(59_999),
                    Clock::Back(ms) => world.now.saturating_sub(ms.into()),
                    Clock::To(t) => t,
                };
                continue;
            }
        };
        step(&mut world, input);
    }
});

/// Who gave this input.
fn sender(input: &Input) -> Option<PeerId> {
    match input {
        Input::Join { peer, .. }
        | Input::Message(peer, _)
        | Input::Disconnect(peer)
        | Input::Resume { conn: peer, .. } => Some(*peer),
        Input::Lost(_) | Input::Tick | Input::Admin(_) => None,
    }
}

/// The admitted members among the ids in play.
fn admitted(room: &Room) -> BTreeSet<PeerId> {
    IDS.into_iter()
        .filter(|&p| room.member(p).is_some())
        .collect()
}

fn is_teacher(room: &Room, peer: Option<PeerId>) -> bool {
    peer.and_then(|p| room.member(p))
        .is_some_and(|m| m.role == Role::Teacher)
}

/// Runs `input` at the world's time and checks every rule on the outcome.
fn step(world: &mut World, input: Input) {
    let before = world.room.clone();
    let from = sender(&input);
    let out = world.room.step(world.now, input.clone());
    let room = &world.room;
    let closed: Vec<PeerId> = out
        .iter()
        .filter_map(|o| match o {
            Output::Close(p, _) => Some(*p),
            _ => None,
        })
        .collect();

    // Nobody outside the ids in play; the room's own counts agree.
    let inside = IDS.into_iter().filter(|&p| room.contains(p)).count();
    assert_eq!(room.len(), inside, "members outside the ids in play");
    assert_eq!(room.is_empty(), inside == 0);
    let now_admitted = admitted(room);
    let was_admitted = admitted(&before);
    assert!(
        now_admitted.len() <= world.capacity,
        "{} admitted, capacity {}",
        now_admitted.len(),
        world.capacity
    );

    // A class session opens when the empty room gets someone and closes when it empties again.
    let count = |want: fn(&Record) -> bool| {
        out.iter()
            .filter(|o| matches!(o, Output::Persist(r) if want(r)))
            .count()
    };
    let started = count(|r| matches!(r, Record::SessionStarted { .. }));
    let ended = count(|r| matches!(r, Record::SessionEnded { .. }));
    assert_eq!(
        started,
        usize::from(before.is_empty() && !room.is_empty()),
        "{out:?}"
    );
    assert_eq!(
        ended,
        usize::from(!before.is_empty() && room.is_empty()),
        "{out:?}"
    );

    for (i, o) in out.iter().enumerate() {
        match o {
            Output::Send(to, msg) => {
                assert!(
                    Some(*to) == from || room.contains(*to) || closed.contains(to),
                    "{msg:?} to {to}, who is not in the room, after {input:?}"
                );
                assert!(!room.is_away(*to), "{msg:?} to {to}, who is away");
                if room.member(*to).is_none() {
                    assert!(
                        fit_for_the_waiting(msg),
                        "{msg:?} to {to}, not admitted, after {input:?}"
                    );
                }
                match msg {
                    ServerMsg::Error { .. } => {
                        assert_eq!(Some(*to), from, "{msg:?} to another than the sender")
                    }
                    ServerMsg::Joined { you, role, .. } => {
                        assert_eq!(you, to);
                        assert_eq!(room.member(*to).map(|m| m.role), Some(*role));
                    }
                    ServerMsg::Waiting { you, .. } => {
                        assert_eq!(you, to);
                        assert!(room.contains(*to) && room.member(*to).is_none());
                    }
                    ServerMsg::Signal { from: stamped, .. } => {
                        let Input::Message(_, ClientMsg::Signal { to: addressee, .. }) = &input
                        else {
                            panic!("a signal out of {input:?}");
                        };
                        assert_eq!(to, addressee, "a signal to another than its addressee");
                        assert_eq!(Some(*stamped), from, "a signal stamped with another sender");
                        assert!(room.member(*to).is_some(), "a signal to a non-member");
                        assert!(
                            before.member(*stamped).is_some(),
                            "a signal from a non-member"
                        );
                        assert_eq!(out.len(), 1, "a relay does more: {out:?}");
                    }
                    _ => {}
                }
            }
            Output::Close(peer, reason) => {
                assert!(!room.contains(*peer), "closed {peer} is still in the room");
                let told = out[..i].iter().any(|o| {
                    matches!(o, Output::Send(p, ServerMsg::Ended { reason: r, .. })
                        if p == peer && r == reason)
                });
                assert!(told, "{peer} closed without `ended`: {out:?}");
            }
            Output::Persist(record) => match record {
                Record::Admitted { peer, role, at, .. } => {
                    assert!(!was_admitted.contains(peer) && now_admitted.contains(peer));
                    assert_eq!(room.member(*peer).map(|m| m.role), Some(*role));
                    assert_eq!(*at, world.now);
                }
                Record::Left { peer, at, .. } => {
                    assert!(was_admitted.contains(peer) && !now_admitted.contains(peer));
                    assert!(*at <= world.now, "a stay ends in the future");
                }
                _ => {}
            },
            Output::WakeAt(_) => {}
            Output::Media(ToMedia::Signal { peer, .. }) => {
                assert_eq!(
                    Some(*peer),
                    from,
                    "a media signal from another than its sender"
                );
                assert!(
                    room.member(*peer).is_some(),
                    "a media signal from a non-member"
                );
                assert_eq!(out.len(), 1, "a media signal does more: {out:?}");
            }
            Output::Media(ToMedia::Audio { peer, allowed }) => {
                let info = room.member(*peer).expect("audio rights of a non-member");
                assert_eq!(*allowed, info.media.audio && info.may_speak, "{info:?}");
                world.media.insert(*peer, *allowed);
            }
            Output::Media(ToMedia::View { peer, tiles }) => {
                assert_eq!(Some(*peer), from, "a view from another than its sender");
                assert!(
                    world.media.contains_key(peer),
                    "a view from outside the call"
                );
                assert!(tiles.len() <= classroom::protocol::MAX_VIEW_TILES);
                assert!(tiles.windows(2).all(|w| w[0].peer < w[1].peer), "{tiles:?}");
                for t in tiles {
                    assert_ne!(t.peer, *peer, "a view of oneself");
                    assert!(
                        world.media.contains_key(&t.peer),
                        "{} is not in the call",
                        t.peer
                    );
                }
                assert_eq!(out.len(), 1, "a view does more: {out:?}");
            }
            Output::Media(ToMedia::Leave { peer }) => {
                assert!(
                    room.member(*peer).is_none(),
                    "{peer} left the call, still admitted"
                );
                assert!(
                    world.media.remove(peer).is_some(),
                    "{peer} left a call it was not in"
                );
            }
            Output::Rebind { conn, peer } => {
                assert_eq!(Some(*conn), from, "rebound another connection");
                assert!(CONNS.contains(conn) && room.contains(*peer) && !room.is_away(*peer));
                assert_eq!(i, 0, "a rebind comes first: {out:?}");
            }
        }
    }

    // The media server knows exactly the admitted members, with their rights, once it knows any.
    if !world.media.is_empty() {
        let truth: BTreeMap<PeerId, bool> = now_admitted
            .iter()
            .filter_map(|&p| room.member(p).map(|i| (p, i.media.audio && i.may_speak)))
            .collect();
        assert_eq!(
            world.media, truth,
            "the media server's view after {input:?}"
        );
    }

    // What each member's client now knows.
    for o in &out {
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
                let again = world.views.insert(*to, view).is_some();
                assert!(!again || *resumed, "{to} joined twice");
                if let Some(token) = resume {
                    world.tokens.insert(*to, token.clone());
                }
            }
            ServerMsg::Waiting {
                resume: Some(token),
                ..
            } => {
                world.tokens.insert(*to, token.clone());
            }
            ServerMsg::Ended { .. } => {
                world.views.remove(to);
            }
            msg => {
                if let Some(view) = world.views.get_mut(to) {
                    view.learn(*to, msg);
                }
            }
        }
    }
    world.views.retain(|p, _| now_admitted.contains(p));
    for p in &now_admitted {
        // Admitted while away, it gets the room when it resumes.
        assert!(
            world.views.contains_key(p) || room.is_away(*p),
            "{p} admitted without `joined`"
        );
    }
    // Strangers only while one of the two is away.
    for &a in &now_admitted {
        let known = room.known_by(a);
        for &b in &now_admitted {
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
    for (&me, view) in &world.views {
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

    // Rights as the room holds them.
    let settings = room.settings();
    for p in &now_admitted {
        let m = room.member(*p).expect("admitted");
        if m.role == Role::Teacher {
            assert!(m.may_speak && m.hand.is_none(), "teacher {m:?}");
            continue;
        }
        assert!(
            !m.media.audio || m.may_speak,
            "unmuted without the word: {m:?}"
        );
        assert!(
            !m.media.screen || settings.students_may_share,
            "sharing while not allowed: {m:?}"
        );
        assert!(
            settings.mics_locked || m.may_speak,
            "kept from speaking with microphones unlocked: {m:?}"
        );
    }

    // Attendance starts and ends exactly once with admission.
    let records = |want: fn(&Record) -> Option<PeerId>| -> Vec<PeerId> {
        out.iter()
            .filter_map(|o| match o {
                Output::Persist(r) => want(r),
                _ => None,
            })
            .collect()
    };
    let mut entered = records(|r| match r {
        Record::Admitted { peer, .. } => Some(*peer),
        _ => None,
    });
    let mut left = records(|r| match r {
        Record::Left { peer, .. } => Some(*peer),
        _ => None,
    });
    entered.sort();
    left.sort();
    let expect_entered: Vec<PeerId> = now_admitted.difference(&was_admitted).copied().collect();
    let expect_left: Vec<PeerId> = was_admitted.difference(&now_admitted).copied().collect();
    assert_eq!(entered, expect_entered, "admission records after {input:?}");
    assert_eq!(left, expect_left, "attendance ends after {input:?}");

    // A refusal changes nothing.
    if let [Output::Send(to, ServerMsg::Error { code, .. })] = out.as_slice() {
        if Some(*to) == from {
            assert!(
                *room == before,
                "refused {input:?} with {code:?} but the room changed:\n{before:?}\n{room:?}"
            );
        }
    }

    // Roles are for good; students stay students.
    for p in IDS {
        if let (Some(was), Some(is)) = (before.member(p), room.member(p)) {
            assert_eq!(was.role, is.role, "peer {p} changed role");
        }
    }
    world.students.retain(|&p| room.contains(p));
    for &p in &world.students {
        assert_ne!(
            room.member(p).map(|m| m.role),
            Some(Role::Teacher),
            "{p} joined without the key and is a teacher"
        );
    }

    // Only a teacher changes the settings, and only with `settings`.
    if room.settings() != before.settings() {
        assert!(
            matches!(input, Input::Message(_, ClientMsg::Settings(_))) && is_teacher(&before, from),
            "{input:?} changed the settings"
        );
    }

    // Who goes is gone; who is lost stays.
    if let Input::Disconnect(p) | Input::Message(p, ClientMsg::Leave) = input {
        assert!(!room.contains(p), "{p} still in the room after leaving");
    }
    if let Input::Lost(p) = input {
        assert_eq!(
            room.contains(p),
            before.contains(p),
            "{p} lost changed who is in"
        );
        assert!(!room.contains(p) || room.is_away(p));
    }

    // An ended class is empty, and stays ended and empty.
    if before.has_ended() {
        assert!(room.has_ended(), "a class ended and began again");
    }
    if room.has_ended() {
        assert!(room.is_empty(), "an ended class still has members");
    }
}
