//! The waiting room: nobody gets anything of the class before a teacher lets them in.

use super::*;
use crate::protocol::{Knock, Settings, SettingsChange, Signal};

#[test]
fn arriving_before_the_teacher_is_no_way_in() {
    let mut sim = Sim::new(6);
    let out = sim.student(2, "Minji");
    assert!(
        matches!(
            &out[..],
            [
                Output::Persist(Record::SessionStarted { .. }),
                Output::Send(2, ServerMsg::Waiting { you: 2, .. })
            ]
        ),
        "{out:?}"
    );
    let out = sim.student(3, "Joon");
    assert_eq!(
        recipients(&out),
        vec![3],
        "a waiting student hears of nobody"
    );
    // The teacher arrives and sees who waits, first come first.
    let since = sim.now;
    sim.advance(30_000);
    let out = sim.teacher(1, "Kim");
    let [ServerMsg::Joined { waiting, peers, .. }] = &to(&out, 1)[..] else {
        panic!("{out:?}")
    };
    assert!(peers.is_empty(), "waiting students are not in the class");
    let knock = |id, name: &str| Knock {
        id,
        name: name.into(),
        since,
    };
    assert_eq!(waiting, &vec![knock(2, "Minji"), knock(3, "Joon")]);
    assert_eq!(
        recipients(&out),
        vec![1],
        "nobody waiting is told the teacher came"
    );
}

#[test]
fn a_waiting_student_can_do_nothing_and_is_shown_nothing() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.admitted(2, "Minji", 1);
    sim.student(3, "Joon");
    let tries = [
        ClientMsg::Signal {
            to: 1,
            from: None,
            data: Signal::Unknown,
        },
        ClientMsg::Media(av()),
        ClientMsg::Chat { text: "hi".into() },
        ClientMsg::RaiseHand,
        ClientMsg::Admit { peer: 3 },
        ClientMsg::EndClass,
    ];
    for msg in tries {
        assert_eq!(
            refusal(&sim.send(3, msg.clone())),
            Some(ErrorCode::NotAdmitted),
            "{msg:?}"
        );
    }
    // What the class does reaches the admitted only.
    let out = sim.send(
        2,
        ClientMsg::Chat {
            text: "hello".into(),
        },
    );
    assert_eq!(recipients(&out), vec![1, 2]);
    let out = sim.send(2, ClientMsg::Media(MediaState::default()));
    assert_eq!(recipients(&out), vec![1]);
    let out = sim.teacher(4, "Lee");
    assert_eq!(recipients(&out), vec![1, 2, 4]);
    let signal = ClientMsg::Signal {
        to: 3,
        from: None,
        data: Signal::Unknown,
    };
    assert_eq!(refusal(&sim.send(2, signal)), Some(ErrorCode::UnknownPeer));
}

#[test]
fn teachers_see_knocks_come_and_go() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    let out = sim.student(2, "Minji");
    assert!(matches!(&to(&out, 1)[..], [ServerMsg::Knock { knock }] if knock.id == 2));
    let out = sim.disconnect(2);
    assert_eq!(to(&out, 1), vec![ServerMsg::KnockEnded { peer: 2 }]);
    assert!(
        records(&out).is_empty(),
        "no attendance for who never came in"
    );
}

#[test]
fn admitting_brings_the_student_into_the_class() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    sim.advance(1_000);
    let out = sim.send(1, ClientMsg::Admit { peer: 2 });
    assert!(to(&out, 1).contains(&ServerMsg::KnockEnded { peer: 2 }));
    assert!(to(&out, 1)
        .iter()
        .any(|m| matches!(m, ServerMsg::PeerJoined { peer } if peer.id == 2)));
    assert!(
        matches!(&to(&out, 2)[..], [ServerMsg::Joined { peers, waiting, .. }]
        if peers.len() == 1 && waiting.is_empty())
    );
    assert!(matches!(&records(&out)[..], [Record::Admitted { peer: 2, at, .. }] if *at == sim.now));
    assert_eq!(
        refusal(&sim.send(1, ClientMsg::Admit { peer: 2 })),
        Some(ErrorCode::UnknownPeer)
    );
}

#[test]
fn admit_all_takes_the_longest_waiting_first_as_far_as_places_go() {
    let mut sim = Sim::new(3);
    sim.teacher(1, "Kim");
    for peer in [7, 5, 6] {
        sim.student(peer, "S");
        sim.advance(10);
    }
    let out = sim.send(1, ClientMsg::AdmitAll);
    let joined: Vec<PeerId> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send(p, ServerMsg::Joined { .. }) => Some(*p),
            _ => None,
        })
        .collect();
    assert_eq!(joined, vec![7, 5]);
    assert!(to(&out, 1).contains(&ServerMsg::error(ErrorCode::RoomFull)));
    assert!(
        sim.room.contains(6) && sim.room.member(6).is_none(),
        "6 still waits"
    );
}

#[test]
fn auto_admit_skips_the_waiting_room_but_not_for_someone_removed() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    sim.student(2, "Minji");
    let on = ClientMsg::Settings(SettingsChange {
        auto_admit: Some(true),
        ..Default::default()
    });
    let out = sim.send(1, on);
    assert!(records(&out).contains(&Record::AutoAdmit(true)));
    assert!(
        matches!(&to(&out, 2)[..], [ServerMsg::Joined { .. }]),
        "turning it on lets the waiting in"
    );
    assert!(matches!(
        &to(&sim.student(3, "Joon"), 3)[..],
        [ServerMsg::Joined { .. }]
    ));
    sim.send(1, ClientMsg::Remove { peer: 3 });
    assert!(matches!(
        &to(&sim.student(3, "Joon"), 3)[..],
        [ServerMsg::Waiting { .. }]
    ));
}

#[test]
fn a_locked_room_takes_no_knocks_but_teachers() {
    let mut sim = Sim::new(6);
    sim.teacher(1, "Kim");
    let lock = ClientMsg::Settings(SettingsChange {
        room_locked: Some(true),
        ..Default::default()
    });
    let out = sim.send(1, lock);
    let settings = Settings {
        room_locked: true,
        ..Default::default()
    };
    assert_eq!(
        to(&out, 1),
        vec![ServerMsg::Settings {
            settings,
            by: Some("Kim".into())
        }]
    );
    assert_eq!(
        refusal(&sim.student(2, "Minji")),
        Some(ErrorCode::RoomLocked)
    );
    assert!(matches!(
        &to(&sim.teacher(3, "Lee"), 3)[..],
        [ServerMsg::Joined { .. }]
    ));
}
