//! Lost connections and resuming: the place is kept for the grace period, a resume takes it back
//! (same id, role, hand, right to speak) with nobody seeing a leave and a join, tokens work once,
//! and a restarted server's rooms come back from their saved state.

use super::*;
use crate::protocol::Role;

const GRACE: UnixMillis = 15_000;

fn resume(sim: &mut Sim, conn: PeerId, token: &str, fresh: &str) -> Vec<Output> {
    sim.step(Input::Resume {
        conn,
        token: token.into(),
        fresh: fresh.into(),
        media: av(),
    })
}

/// The token handed out in `out` to `peer`, if any.
fn token_in(out: &[Output], peer: PeerId) -> Option<String> {
    to(out, peer).into_iter().find_map(|m| match m {
        ServerMsg::Joined { resume, .. } | ServerMsg::Waiting { resume, .. } => resume,
        _ => None,
    })
}

/// A teacher (1) and an admitted student (2).
fn class() -> Sim {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim
}

#[test]
fn join_hands_out_a_token_and_the_room_keeps_only_its_hash() {
    let mut sim = Sim::new(6);
    let out = sim.teacher(1, "Kim");
    assert_eq!(token_in(&out, 1), Some(token(1)));
    let out = sim.student(2, "Minji");
    assert_eq!(token_in(&out, 2), Some(token(2)), "waiting brings one too");
    let out = sim.send(1, ClientMsg::Admit { peer: 2 });
    assert_eq!(token_in(&out, 2), None, "admission keeps the waiting token");
    let saved = format!("{:?}", sim.room);
    assert!(!saved.contains(&token(1)), "the token itself is not kept");
    assert!(saved.contains(&secret::hash(&token(1))));
}

#[test]
fn a_lost_member_keeps_its_place_silently_until_the_grace_period_ends() {
    let mut sim = class();
    let lost_at = sim.now;
    let out = sim.step(Input::Lost(2));
    assert_eq!(recipients(&out), Vec::<PeerId>::new(), "nobody is told");
    assert!(out.contains(&Output::WakeAt(lost_at + GRACE)));
    assert!(records(&out).is_empty(), "attendance goes on");
    assert!(sim.room.is_away(2) && sim.room.member(2).is_some());

    // Nothing is sent to it while away, relayed signals and chat included; the others still
    // reach the room.
    let out = sim.send(1, ClientMsg::Mute { peer: 2 });
    assert!(to(&out, 2).is_empty() && !to(&out, 1).is_empty());
    let signal = ClientMsg::Signal {
        to: 2,
        from: None,
        data: crate::protocol::Signal::Description {
            sdp_type: crate::protocol::SdpType::Offer,
            sdp: "v=0".into(),
        },
    };
    assert!(to(&sim.send(1, signal), 2).is_empty());
    let chat = ClientMsg::Chat { text: "hi".into() };
    assert!(to(&sim.send(1, chat), 2).is_empty());

    sim.advance(GRACE - 1);
    assert!(records(&sim.step(Input::Tick)).is_empty(), "not yet");
    sim.advance(1);
    let out = sim.step(Input::Tick);
    assert!(matches!(
        &to(&out, 1)[..],
        [ServerMsg::PeerLeft { peer: 2 }]
    ));
    assert_eq!(
        records(&out),
        vec![Record::Left {
            peer: 2,
            at: lost_at,
            restart: false
        }],
        "the stay ends when the connection was lost"
    );
    assert!(!sim.room.contains(2));
}

#[test]
fn a_resume_gives_back_the_same_member_and_nobody_sees_it_leave_or_join() {
    let mut sim = class();
    sim.send(2, ClientMsg::RaiseHand);
    sim.step(Input::Lost(2));
    sim.advance(3_000);
    let out = resume(&mut sim, 7, &token(2), "resume-token-second-0002");
    assert_eq!(
        out[0],
        Output::Rebind { conn: 7, peer: 2 },
        "rebind comes first"
    );
    let [ServerMsg::Joined {
        you,
        role,
        peers,
        me,
        resume: Some(next),
        resumed: true,
        ..
    }] = &to(&out, 2)[..]
    else {
        panic!("expected joined {{resumed}}: {out:?}");
    };
    assert_eq!((*you, *role), (2, Role::Student));
    assert_eq!(peers.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1]);
    let me = me.as_ref().expect("me");
    assert!(me.hand.is_some(), "the raised hand is kept");
    assert_eq!(next, "resume-token-second-0002");
    assert!(
        to(&out, 1).is_empty(),
        "the teacher is told nothing: {out:?}"
    );
    assert!(records(&out).is_empty(), "one continuous stay");
    assert!(!sim.room.is_away(2));

    // The used token is dead; the new one works.
    sim.step(Input::Lost(2));
    let out = resume(&mut sim, 8, &token(2), "resume-token-third-00002");
    assert_eq!(refusal(&out), Some(ErrorCode::ResumeFailed));
    let out = resume(
        &mut sim,
        8,
        "resume-token-second-0002",
        "resume-token-third-00002",
    );
    assert_eq!(out[0], Output::Rebind { conn: 8, peer: 2 });
}

#[test]
fn unknown_malformed_late_or_ended_tokens_are_refused_and_change_nothing() {
    let mut sim = class();
    sim.step(Input::Lost(2));
    let before = sim.room.clone();
    for bad in [
        "resume-token-of-peer-0009",
        "short",
        "has spaces in it, many spaces",
        "",
    ] {
        let out = resume(&mut sim, 9, bad, "resume-token-unused-0009");
        assert_eq!(refusal(&out), Some(ErrorCode::ResumeFailed), "{bad}");
        assert_eq!(sim.room, before);
    }
    sim.advance(GRACE);
    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert_eq!(
        refusal(&out),
        Some(ErrorCode::ResumeFailed),
        "the grace is over"
    );
    assert_eq!(sim.room, before, "the tick lets it go, not the refusal");

    let mut sim = class();
    sim.send(1, ClientMsg::EndClass);
    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert_eq!(refusal(&out), Some(ErrorCode::ResumeFailed));
}

#[test]
fn a_resume_while_the_old_connection_is_still_open_moves_the_member() {
    let mut sim = class();
    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert_eq!(out[0], Output::Rebind { conn: 9, peer: 2 });
    assert!(to(&out, 1).is_empty());
}

#[test]
fn who_came_in_while_a_member_was_away_meets_it_when_it_is_back() {
    let mut sim = class();
    sim.step(Input::Lost(2));
    let out = sim.admitted(3, "Jisoo", 1);
    let [ServerMsg::Joined { peers, .. }] = &to(&out, 3)[..] else {
        panic!("{out:?}");
    };
    assert_eq!(
        peers.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![1],
        "not the away one"
    );
    assert!(to(&out, 2).is_empty());

    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert!(matches!(&to(&out, 3)[..], [ServerMsg::PeerJoined { peer }] if peer.id == 2));
    assert!(to(&out, 1).is_empty(), "the teacher knew it all along");
    let [ServerMsg::Joined { peers, .. }] = &to(&out, 2)[..] else {
        panic!("{out:?}");
    };
    assert_eq!(peers.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1, 3]);

    // Updates about a member go to those who know it only.
    sim.step(Input::Lost(2));
    sim.admitted(4, "Hana", 1);
    let out = sim.send(1, ClientMsg::Mute { peer: 4 });
    assert!(to(&out, 2).is_empty(), "away: hushed");
    let out = sim.step(Input::Lost(2)); // idempotent
    assert!(out.iter().all(|o| !matches!(o, Output::Send(..))));
}

#[test]
fn a_waiting_student_resumes_into_the_waiting_room_still_first_in_line() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    sim.student(3, "Jisoo");
    sim.step(Input::Lost(2));
    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert!(matches!(
        &to(&out, 2)[..],
        [ServerMsg::Waiting {
            you: 2,
            resume: Some(_),
            ..
        }]
    ));
    assert!(to(&out, 1).is_empty(), "no new knock");
    let out = sim.send(1, ClientMsg::AdmitAll);
    let admitted: Vec<PeerId> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send(p, ServerMsg::Joined { .. }) => Some(*p),
            _ => None,
        })
        .collect();
    assert_eq!(admitted, vec![2, 3], "first come first, as before");
}

#[test]
fn a_student_admitted_while_away_gets_the_room_on_resume() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    sim.step(Input::Lost(2));
    let out = sim.send(1, ClientMsg::Admit { peer: 2 });
    assert!(to(&out, 2).is_empty(), "it would not hear it");
    assert!(matches!(
        &to(&out, 1)[..],
        [ServerMsg::KnockEnded { .. }, ServerMsg::PeerJoined { .. }]
    ));
    let out = resume(&mut sim, 9, &token(2), "resume-token-unused-0009");
    assert!(matches!(
        &to(&out, 2)[..],
        [ServerMsg::Joined { resumed: true, .. }]
    ));
}

#[test]
fn a_session_goes_on_through_a_gap_and_ends_when_the_last_one_is_let_go() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    let lost_at = sim.now;
    let out = sim.step(Input::Lost(1));
    assert!(records(&out).is_empty());
    sim.advance(GRACE);
    let out = sim.step(Input::Tick);
    assert_eq!(
        records(&out),
        vec![
            Record::Left {
                peer: 1,
                at: lost_at,
                restart: false
            },
            Record::SessionEnded {
                at: lost_at,
                reason: SessionEnd::Empty
            }
        ]
    );
}

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

/// Found by the room fuzz target: a member who went away and then left was announced to someone
/// who had come in meanwhile and never heard of it.
#[test]
fn strangers_are_not_told_that_one_of_them_left() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.step(Input::Lost(1));
    sim.teacher(2, "Lee");
    let out = sim.disconnect(1);
    assert!(to(&out, 2).is_empty(), "{out:?}");
}

/// Found by the room proptests: two members let go in the same tick — a waiting student and the
/// teacher who would be told that student stopped waiting. The teacher, away too, is told nothing.
#[test]
fn members_let_go_together_are_not_told_about_each_other() {
    let mut sim = Sim::new(6);
    // The student goes first (the smaller id), while the teacher is still a member.
    sim.student(1, "Minji");
    sim.step(Input::Lost(1));
    sim.teacher(4, "Kim");
    sim.step(Input::Lost(4));
    sim.advance(GRACE);
    let out = sim.step(Input::Tick);
    assert_eq!(recipients(&out), Vec::<PeerId>::new(), "{out:?}");
    assert!(sim.room.is_empty());
}
