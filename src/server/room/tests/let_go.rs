//! A lost connection's place: kept in silence for the grace period, then let go — the stay ends
//! when the connection was lost, the session when the last member is let go, and nobody is told
//! about someone they never met.

use super::resume::{class, GRACE};
use super::*;

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
