//! Teacher powers: the permission table, and what each power does.

use super::*;
use crate::protocol::{Role, SettingsChange};

/// Teacher 1, teacher 5, admitted students 2 and 3 (3 with a raised hand), student 4 waiting.
fn class() -> Sim {
    let mut sim = Sim::new(10);
    sim.teacher(1, "Kim");
    sim.teacher(5, "Lee");
    sim.admitted(2, "Minji", 1);
    sim.admitted(3, "Joon", 1);
    sim.send(3, ClientMsg::RaiseHand);
    sim.student(4, "Hana");
    sim
}

/// Every teacher action, aimed at the students where it has a target.
fn teacher_actions() -> Vec<ClientMsg> {
    vec![
        ClientMsg::Admit { peer: 4 },
        ClientMsg::Deny { peer: 4 },
        ClientMsg::AdmitAll,
        ClientMsg::Mute { peer: 3 },
        ClientMsg::MuteAll,
        ClientMsg::AllowSpeak { peer: 3 },
        ClientMsg::RevokeSpeak { peer: 3 },
        ClientMsg::Remove { peer: 3 },
        ClientMsg::Settings(SettingsChange {
            mics_locked: Some(true),
            ..Default::default()
        }),
        ClientMsg::Settings(SettingsChange {
            auto_admit: Some(true),
            ..Default::default()
        }),
        ClientMsg::EndClass,
        ClientMsg::LowerHand { peer: Some(3) },
    ]
}

#[test]
fn every_teacher_action_from_a_student_is_forbidden_and_changes_nothing() {
    for action in teacher_actions() {
        let mut sim = class();
        let before = sim.room.clone();
        let out = sim.send(2, action.clone());
        assert_eq!(
            refusal(&out),
            Some(ErrorCode::Forbidden),
            "{action:?}: {out:?}"
        );
        assert_eq!(sim.room, before, "{action:?} changed the room");
        // …and the same action from a teacher is carried out.
        let out = sim.send(1, action.clone());
        assert!(
            !out.is_empty() && refusal(&out).is_none(),
            "{action:?} from a teacher: {out:?}"
        );
    }
}

#[test]
fn teachers_cannot_be_muted_removed_or_given_the_word() {
    for action in [
        ClientMsg::Mute { peer: 5 },
        ClientMsg::Remove { peer: 5 },
        ClientMsg::AllowSpeak { peer: 5 },
        ClientMsg::RevokeSpeak { peer: 5 },
    ] {
        let mut sim = class();
        assert_eq!(
            refusal(&sim.send(1, action.clone())),
            Some(ErrorCode::Forbidden),
            "{action:?}"
        );
        let target = ClientMsg::Mute { peer: 99 };
        assert_eq!(refusal(&sim.send(1, target)), Some(ErrorCode::UnknownPeer));
    }
}

#[test]
fn mute_turns_the_microphone_off_and_says_by_whom() {
    let mut sim = class();
    let out = sim.send(1, ClientMsg::Mute { peer: 2 });
    let [ServerMsg::PeerUpdated { peer, by }] = &to(&out, 2)[..] else {
        panic!("{out:?}")
    };
    assert_eq!(
        (peer.id, peer.media.audio, by.as_deref()),
        (2, false, Some("Kim"))
    );
    assert_eq!(
        recipients(&out),
        vec![1, 2, 3, 5],
        "everyone admitted sees it; 4 waits"
    );
    // Not locked: the student may unmute again.
    let out = sim.send(2, ClientMsg::Media(av()));
    assert!(refusal(&out).is_none(), "{out:?}");
}

#[test]
fn mute_all_students_leaves_the_teachers_alone() {
    let mut sim = class();
    let out = sim.send(1, ClientMsg::MuteAll);
    for student in [2, 3] {
        assert_eq!(updated(&out, student).map(|p| p.media.audio), Some(false));
    }
    assert!(updated(&out, 5).is_none());
    assert!(sim.room.member(5).is_some_and(|t| t.media.audio));
}

#[test]
fn locked_microphones_refuse_unmuting_until_the_word_is_given() {
    let mut sim = class();
    let lock = ClientMsg::Settings(SettingsChange {
        mics_locked: Some(true),
        ..Default::default()
    });
    let out = sim.send(1, lock);
    let minji = updated(&out, 2).expect("told");
    assert!(!minji.may_speak && !minji.media.audio);
    assert_eq!(
        refusal(&sim.send(2, ClientMsg::Media(av()))),
        Some(ErrorCode::Forbidden)
    );
    // Camera changes without unmuting are still fine.
    let camera_off = MediaState {
        audio: false,
        video: false,
        screen: false,
    };
    assert!(refusal(&sim.send(2, ClientMsg::Media(camera_off))).is_none());
    // Let speak: the hand goes down and unmuting is allowed, while the lock stays.
    let out = sim.send(1, ClientMsg::AllowSpeak { peer: 3 });
    let joon = updated(&out, 3).expect("told");
    assert!(joon.may_speak && joon.hand.is_none());
    assert!(refusal(&sim.send(3, ClientMsg::Media(av()))).is_none());
    assert!(sim.room.member(3).is_some_and(|p| p.media.audio));
    // Take the word back: muted and locked again.
    let out = sim.send(1, ClientMsg::RevokeSpeak { peer: 3 });
    let joon = updated(&out, 3).expect("told");
    assert!(!joon.may_speak && !joon.media.audio);
    assert_eq!(
        refusal(&sim.send(3, ClientMsg::Media(av()))),
        Some(ErrorCode::Forbidden)
    );
    // Unlocking gives everyone their microphone back (still muted until they unmute).
    let unlock = ClientMsg::Settings(SettingsChange {
        mics_locked: Some(false),
        ..Default::default()
    });
    let out = sim.send(1, unlock);
    assert!(updated(&out, 2).is_some_and(|p| p.may_speak && !p.media.audio));
}

#[test]
fn a_student_joining_a_locked_class_comes_in_muted() {
    let mut sim = class();
    let lock = ClientMsg::Settings(SettingsChange {
        mics_locked: Some(true),
        ..Default::default()
    });
    sim.send(1, lock);
    let out = sim.send(1, ClientMsg::Admit { peer: 4 });
    let hana = sim.room.member(4).expect("in");
    assert!(!hana.may_speak && !hana.media.audio, "{out:?}");
}

#[test]
fn students_share_their_screen_only_while_allowed() {
    let mut sim = class();
    let screen = MediaState {
        audio: true,
        video: true,
        screen: true,
    };
    assert_eq!(
        refusal(&sim.send(2, ClientMsg::Media(screen))),
        Some(ErrorCode::Forbidden)
    );
    assert!(
        refusal(&sim.send(1, ClientMsg::Media(screen))).is_none(),
        "teachers always may"
    );
    let allow = |on| {
        ClientMsg::Settings(SettingsChange {
            students_may_share: Some(on),
            ..Default::default()
        })
    };
    sim.send(1, allow(true));
    assert!(refusal(&sim.send(2, ClientMsg::Media(screen))).is_none());
    let out = sim.send(1, allow(false));
    assert_eq!(
        updated(&out, 2).map(|p| p.media.screen),
        Some(false),
        "stopped for them"
    );
    assert!(sim.room.member(1).is_some_and(|t| t.media.screen));
}

#[test]
fn remove_sends_the_student_off_and_tells_the_class() {
    let mut sim = class();
    sim.advance(60_000);
    let out = sim.send(5, ClientMsg::Remove { peer: 2 });
    let ended = ServerMsg::Ended {
        reason: EndedReason::Removed,
        by: Some("Lee".into()),
    };
    assert_eq!(to(&out, 2), vec![ended]);
    assert_eq!(closes(&out), vec![(2, EndedReason::Removed)]);
    assert!(to(&out, 3).contains(&ServerMsg::PeerLeft { peer: 2 }));
    assert_eq!(
        records(&out),
        vec![Record::Left {
            peer: 2,
            at: sim.now,
            restart: false
        }]
    );
    assert!(!sim.room.contains(2));
    assert!(matches!(sim.room.member(1), Some(p) if p.role == Role::Teacher));
}
