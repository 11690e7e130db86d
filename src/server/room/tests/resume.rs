//! Resuming: a resume takes the kept place back (same id, role, hand, right to speak) with nobody
//! seeing a leave and a join, and tokens work once. Losing the place is in `let_go.rs`, a
//! restarted server's rooms in `restart.rs`.

use super::*;
use crate::protocol::Role;

pub(super) const GRACE: UnixMillis = 15_000;

pub(super) fn resume(sim: &mut Sim, conn: PeerId, token: &str, fresh: &str) -> Vec<Output> {
    sim.step(Input::Resume {
        conn,
        token: token.into(),
        fresh: fresh.into(),
        media: av(),
    })
}

/// The token handed out in `out` to `peer`, if any.
pub(super) fn token_in(out: &[Output], peer: PeerId) -> Option<String> {
    to(out, peer).into_iter().find_map(|m| match m {
        ServerMsg::Joined { resume, .. } | ServerMsg::Waiting { resume, .. } => resume,
        _ => None,
    })
}

/// A teacher (1) and an admitted student (2).
pub(super) fn class() -> Sim {
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
