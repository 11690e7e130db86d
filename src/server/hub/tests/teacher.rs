//! The teacher's actions through the hub: who is removed or ended is sent `ended` and let go of,
//! and a flood from one member never costs another their place.

use super::*;

fn teacher(name: &str) -> ClientMsg {
    ClientMsg::Join {
        room: "r".into(),
        name: name.into(),
        teacher_key: Some("key".into()),
        media: MediaState::default(),
        attendee: None,
    }
}

/// Found in review: a student removed while its queue was full never got `ended` (it was dropped
/// like any message that does not fit), so its connection closed as "left the room" instead of
/// with the reason — and the teacher was told `rate_limited` for the removal.
#[test]
fn a_removed_student_with_a_full_queue_still_gets_ended() {
    let hub = hub();
    let (tx, mut t) = channel(8);
    assert!(matches!(
        hub.join(spec("r1"), request(1, teacher("Kim")), tx),
        Joined::Yes(_)
    ));
    let mut s = member(&hub, "r1", 2, 2);
    drain(&mut s);
    drain(&mut t);
    // Two messages it does not read fill its queue.
    for _ in 0..2 {
        hub.handle("r1", 1, 1, ClientMsg::Chat { text: "hi".into() });
    }
    drain(&mut t);
    hub.handle("r1", 1, 1, ClientMsg::Remove { peer: 2 });
    let read = drain(&mut s);
    assert!(
        matches!(
            read.last(),
            Some(ServerMsg::Ended {
                reason: crate::protocol::EndedReason::Removed,
                ..
            })
        ),
        "{read:?}"
    );
    assert!(matches!(s.try_recv(), Err(TryRecvError::Disconnected)));
    assert_eq!(drain(&mut t), vec![ServerMsg::PeerLeft { peer: 2 }]);
}

/// A removed student is sent `ended` and then let go of: its queue closes after that message, which
/// is what ends its connection.
#[test]
fn a_removed_student_gets_ended_and_then_its_queue_closes() {
    let hub = hub();
    let (tx, mut t) = channel(8);
    assert!(matches!(
        hub.join(spec("r1"), request(1, teacher("Kim")), tx),
        Joined::Yes(_)
    ));
    let mut s = member(&hub, "r1", 2, 8);
    drain(&mut s);
    drain(&mut t);
    hub.handle("r1", 1, 1, ClientMsg::Remove { peer: 2 });
    assert!(matches!(
        s.try_recv(),
        Ok(ServerMsg::Ended {
            reason: crate::protocol::EndedReason::Removed,
            ..
        })
    ));
    assert!(matches!(s.try_recv(), Err(TryRecvError::Disconnected)));
    assert_eq!(drain(&mut t), vec![ServerMsg::PeerLeft { peer: 2 }]);
    assert_eq!(hub.counts(), (1, 1));
}

/// After a teacher ends the class, the room is gone and nobody can bring it back to life, even
/// before the database has been told.
#[test]
fn an_ended_class_cannot_be_joined_again() {
    let hub = hub();
    let (tx, mut t) = channel(8);
    hub.join(spec("r1"), request(1, teacher("Kim")), tx);
    hub.handle("r1", 1, 1, ClientMsg::EndClass);
    assert!(drain(&mut t)
        .iter()
        .any(|m| matches!(m, ServerMsg::Ended { .. })));
    assert_eq!(hub.counts(), (0, 0));
    let (tx, mut rx) = channel(8);
    assert!(matches!(
        hub.join(spec("r1"), request(2, teacher("Kim")), tx),
        Joined::No(_)
    ));
    assert_eq!(
        drain(&mut rx),
        vec![ServerMsg::error(ErrorCode::UnknownRoom)]
    );
}

/// Found by replaying fuzz inputs: a student toggling their hand filled a classmate's queue with
/// `peer_updated`s, which the hub counted as room events and removed the classmate for. Whatever a
/// member's own message causes is that member's problem.
#[test]
fn a_member_flooding_anything_never_costs_another_member_their_place() {
    let hub = hub();
    let mut teacher_q = {
        let (tx, rx) = channel(512);
        hub.join(spec("r1"), request(1, teacher("Kim")), tx);
        rx
    };
    let mut student = member(&hub, "r1", 2, 512);
    let _classmate = member(&hub, "r1", 3, 4); // reads nothing
    drain(&mut teacher_q);
    drain(&mut student);
    for i in 0..600u64 {
        let msg = match i % 3 {
            0 => ClientMsg::RaiseHand,
            1 => ClientMsg::LowerHand { peer: None },
            _ => ClientMsg::Chat { text: "x".into() },
        };
        hub.handle("r1", 2, 2, msg);
        drain(&mut teacher_q);
        drain(&mut student);
    }
    let settings = crate::protocol::SettingsChange {
        mics_locked: Some(true),
        ..Default::default()
    };
    for _ in 0..600 {
        hub.handle("r1", 1, 1, ClientMsg::Settings(settings));
        drain(&mut teacher_q);
    }
    assert_eq!(
        hub.counts(),
        (1, 3),
        "the classmate who reads nothing keeps its place"
    );
}
