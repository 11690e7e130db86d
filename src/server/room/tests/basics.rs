//! Joining, relaying, media and leaving among admitted members.

use super::*;
use crate::protocol::{Role, SdpType, Signal};

fn offer() -> Signal {
    Signal::Description {
        sdp_type: SdpType::Offer,
        sdp: "v=0".into(),
    }
}

#[test]
fn a_teacher_comes_straight_in_and_meets_the_others() {
    let mut sim = Sim::new(6);
    let out = sim.teacher(1, "Kim");
    assert!(matches!(
        &to(&out, 1)[..],
        [ServerMsg::Joined { you: 1, role: Role::Teacher, peers, .. }] if peers.is_empty()
    ));
    assert_eq!(
        records(&out),
        vec![
            Record::SessionStarted { at: sim.now },
            Record::Admitted {
                peer: 1,
                name: "Kim".into(),
                role: Role::Teacher,
                attendee: None,
                at: sim.now
            }
        ]
    );
    let out = sim.teacher(2, "Lee");
    assert!(matches!(&to(&out, 1)[..], [ServerMsg::PeerJoined { peer }] if peer.id == 2));
    assert!(matches!(&to(&out, 2)[..], [ServerMsg::Joined { peers, .. }] if peers.len() == 1));
}

#[test]
fn names_keys_and_double_joins_are_checked() {
    let mut sim = Sim::new(6);
    assert_eq!(
        refusal(&sim.student(1, " \u{200B} ")),
        Some(ErrorCode::InvalidName)
    );
    assert_eq!(
        refusal(&sim.student(1, &"가".repeat(41))),
        Some(ErrorCode::InvalidName)
    );
    assert_eq!(
        refusal(&sim.join_as(1, "Kim", Some("guess"))),
        Some(ErrorCode::BadTeacherKey)
    );
    assert!(sim.room.is_empty());
    sim.teacher(1, "Kim");
    assert_eq!(
        refusal(&sim.teacher(1, "Kim")),
        Some(ErrorCode::AlreadyJoined)
    );
    let join = ClientMsg::Join {
        room: "r1".into(),
        name: "Kim".into(),
        teacher_key: None,
        media: av(),
        attendee: None,
    };
    assert_eq!(refusal(&sim.send(1, join)), Some(ErrorCode::AlreadyJoined));
}

#[test]
fn capacity_counts_the_admitted_and_frees_up_on_leave() {
    let mut sim = Sim::new(2);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    assert_eq!(refusal(&sim.teacher(3, "Lee")), Some(ErrorCode::RoomFull));
    // A student may still wait; admitting them is what needs a place.
    sim.student(4, "Joon");
    assert_eq!(
        refusal(&sim.send(1, ClientMsg::Admit { peer: 4 })),
        Some(ErrorCode::RoomFull)
    );
    sim.disconnect(2);
    assert!(matches!(
        &to(&sim.send(1, ClientMsg::Admit { peer: 4 }), 4)[..],
        [ServerMsg::Joined { .. }]
    ));
}

#[test]
fn a_signal_reaches_only_its_addressee_stamped_with_the_sender() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.admitted(3, "Joon", 1);
    let out = sim.send(
        2,
        ClientMsg::Signal {
            to: 3,
            from: None,
            data: offer(),
        },
    );
    assert_eq!(
        out,
        vec![Output::Send(
            3,
            ServerMsg::Signal {
                from: 2,
                data: offer()
            }
        )]
    );
    let spoofed = ClientMsg::Signal {
        to: 3,
        from: Some(1),
        data: offer(),
    };
    assert_eq!(
        refusal(&sim.send(2, spoofed)),
        Some(ErrorCode::SpoofedSender)
    );
    for target in [2, 99] {
        let msg = ClientMsg::Signal {
            to: target,
            from: None,
            data: offer(),
        };
        assert_eq!(refusal(&sim.send(2, msg)), Some(ErrorCode::UnknownPeer));
    }
    let outsider = ClientMsg::Signal {
        to: 1,
        from: None,
        data: offer(),
    };
    assert_eq!(refusal(&sim.send(9, outsider)), Some(ErrorCode::NotJoined));
    let bad = Signal::Description {
        sdp_type: crate::protocol::SdpType::Answer,
        sdp: String::new(),
    };
    let out = sim.send(
        2,
        ClientMsg::Signal {
            to: 3,
            from: None,
            data: bad,
        },
    );
    assert_eq!(refusal(&out), Some(ErrorCode::BadSignal));
}

#[test]
fn media_changes_are_told_to_the_others_and_kept_for_newcomers() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    let media = MediaState {
        audio: false,
        video: true,
        screen: false,
    };
    let out = sim.send(2, ClientMsg::Media(media));
    assert_eq!(
        out,
        vec![Output::Send(1, ServerMsg::Media { peer: 2, media })]
    );
    let out = sim.teacher(3, "Lee");
    let [ServerMsg::Joined { peers, .. }] = &to(&out, 3)[..] else {
        panic!("{out:?}")
    };
    assert_eq!(
        peers.iter().find(|p| p.id == 2).map(|p| p.media),
        Some(media)
    );
}

#[test]
fn leaving_tells_every_admitted_member_once_and_ends_attendance() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.admitted(3, "Joon", 1);
    sim.advance(5_000);
    let out = sim.send(2, ClientMsg::Leave);
    assert_eq!(recipients(&out), vec![1, 3]);
    assert!(to(&out, 1)
        .iter()
        .all(|m| *m == ServerMsg::PeerLeft { peer: 2 }));
    assert_eq!(
        records(&out),
        vec![Record::Left {
            peer: 2,
            at: sim.now,
            restart: false
        }]
    );
    assert!(sim.disconnect(2).is_empty(), "a second leave does nothing");
    sim.disconnect(1);
    sim.disconnect(3);
    assert!(sim.room.is_empty());
}

#[test]
fn each_participant_gets_turn_credentials_from_the_moment_they_are_let_in() {
    use crate::server::turn::{TurnRest, TurnSecret};
    let mut sim = Sim::new(6);
    let mut spec = spec("r1", 6);
    spec.turn = Some(TurnRest::new(
        vec!["turn:127.0.0.1:3478".into()],
        TurnSecret::new("north-wind-secret"),
        3600,
    ));
    sim.room = Room::new(spec);
    let ice = |out: &[Output], peer| match &to(out, peer)[..] {
        [ServerMsg::Joined { ice_servers, .. }] => ice_servers.clone(),
        other => panic!("expected joined, got {other:?}"),
    };
    let teacher = ice(&sim.teacher(1, "Kim"), 1);
    assert_eq!(teacher.len(), 1);
    assert_eq!(teacher[0].username.as_deref(), Some("1700003600:1"));
    sim.student(2, "Minji");
    sim.advance(600_000);
    let student = ice(&sim.send(1, ClientMsg::Admit { peer: 2 }), 2);
    // Counted from the admission, not the knock: waiting does not eat into the validity.
    assert_eq!(student[0].username.as_deref(), Some("1700004200:2"));
    assert_ne!(student[0].credential, teacher[0].credential);
}
