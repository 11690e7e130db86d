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

#[path = "room/outputs.rs"]
mod outputs;
#[path = "room/rules.rs"]
mod rules;
#[path = "room/script.rs"]
mod script;
#[path = "room/view.rs"]
mod view;

use std::collections::{BTreeMap, BTreeSet};

use classroom::protocol::{PeerId, Role, UnixMillis};
use classroom::server::room::{chat, Input, Output, Room};
use classroom_fuzz::{address, spec};
use libfuzzer_sys::fuzz_target;
use script::{id, Clock, Op, Script, Start, CONNS, IDS};
use view::View;

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

/// One step's outcome, as the checks see it.
struct Outcome<'a> {
    input: &'a Input,
    /// Who gave the input.
    from: Option<PeerId>,
    /// The room before the step (`World::room` is the room after it).
    before: &'a Room,
    out: &'a [Output],
    /// Who the step closed.
    closed: Vec<PeerId>,
    was_admitted: BTreeSet<PeerId>,
    now_admitted: BTreeSet<PeerId>,
    now: UnixMillis,
}

/// Runs `input` at the world's time and checks every rule on the outcome.
fn step(world: &mut World, input: Input) {
    let before = world.room.clone();
    let out = world.room.step(world.now, input.clone());
    let closed = out
        .iter()
        .filter_map(|o| match o {
            Output::Close(p, _) => Some(*p),
            _ => None,
        })
        .collect();
    let s = Outcome {
        input: &input,
        from: sender(&input),
        before: &before,
        out: &out,
        closed,
        was_admitted: admitted(&before),
        now_admitted: admitted(&world.room),
        now: world.now,
    };
    rules::counts(&world.room, world.capacity, &s);
    outputs::check(&world.room, &mut world.media, &s);
    view::check(&world.room, &mut world.views, &mut world.tokens, &s);
    rules::rights(&world.room, &s);
    rules::attendance(&s);
    rules::lasting(&world.room, &mut world.students, &s);
}
