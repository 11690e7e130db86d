//! A restarted server: its rooms come back from their saved state, their members away and
//! resumable, or end at the last heartbeat.

use super::resume::{class, resume, GRACE};
use super::*;

/// The saved state of the room after `out`, if it changed.
fn saved_in(out: &[Output]) -> Option<Option<Box<Saved>>> {
    out.iter().rev().find_map(|o| match o {
        Output::Persist(Record::Saved(s)) => Some(s.clone()),
        _ => None,
    })
}

#[test]
fn a_restarted_room_comes_back_away_and_resumable_or_ends_at_the_last_heartbeat() {
    let mut sim = class();
    sim.send(
        1,
        ClientMsg::Settings(crate::protocol::SettingsChange {
            mics_locked: Some(true),
            ..Default::default()
        }),
    );
    let out = sim.step_all(Input::Message(1, ClientMsg::AllowSpeak { peer: 2 }));
    let saved = saved_in(&out).flatten().expect("a change is saved");
    let chat = ClientMsg::Chat { text: "hi".into() };
    assert_eq!(
        saved_in(&sim.step_all(Input::Message(2, chat))),
        None,
        "chat is not state"
    );
    // Through JSON, as the database keeps it.
    let saved: Saved = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();

    let last_alive = sim.now + 4_000;
    let now = sim.now + 30_000;
    let (room, wake) = Room::restore(spec("r1", 6), *Box::new(saved.clone()), last_alive, now);
    assert_eq!(wake, now + GRACE);
    let mut back = Sim { room, now };
    assert!(back.room.is_away(1) && back.room.is_away(2));
    let out = resume(&mut back, 50, &token(2), "resume-token-after-0002");
    let [ServerMsg::Joined {
        me: Some(me),
        settings,
        peers,
        ..
    }] = &to(&out, 2)[..]
    else {
        panic!("{out:?}");
    };
    assert!(
        me.may_speak && settings.mics_locked,
        "rights and switches come back"
    );
    assert_eq!(peers.len(), 1);

    // Nobody else comes back: the teacher's stay ends when the old server was last alive.
    back.advance(GRACE);
    let out = back.step(Input::Tick);
    assert!(records(&out).contains(&Record::Left {
        peer: 1,
        at: last_alive,
        restart: true
    }));
    back.disconnect(2);
    let (room, _) = Room::restore(spec("r1", 6), saved, last_alive, now);
    let mut alone = Sim {
        room,
        now: now + GRACE,
    };
    let out = alone.step_all(Input::Tick);
    assert!(records(&out).contains(&Record::SessionEnded {
        at: last_alive,
        reason: SessionEnd::Restart
    }));
    assert_eq!(saved_in(&out), Some(None), "an empty room keeps nothing");
}
