//! The room state machine, driven message by message with no sockets.

use super::*;
use crate::protocol::{ClientMsg, ErrorCode, MediaState, Role, SdpType, ServerMsg, Signal};

const KEY: &str = "the-teacher-key";

fn room(capacity: usize) -> Room {
    Room::new(RoomSpec {
        id: "r1".into(),
        name: "Math 3-1".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        ice_servers: vec![],
    })
}

fn join(name: &str) -> ClientMsg {
    ClientMsg::Join {
        room: "r1".into(),
        name: name.into(),
        teacher_key: None,
        media: av(),
    }
}

fn av() -> MediaState {
    MediaState {
        audio: true,
        video: true,
        screen: false,
    }
}

fn offer() -> Signal {
    Signal::Description {
        sdp_type: SdpType::Offer,
        sdp: "v=0".into(),
    }
}

fn error_code(out: &Outbox) -> Option<ErrorCode> {
    match out.as_slice() {
        [(_, ServerMsg::Error { code, .. })] => Some(*code),
        _ => None,
    }
}

#[test]
fn first_joiner_gets_an_empty_room_and_the_next_is_announced() {
    let mut r = room(6);
    let out = r.handle(1, join("Minji"));
    assert!(
        matches!(&out[..], [(1, ServerMsg::Joined { you: 1, role: Role::Student, peers, .. })] if peers.is_empty())
    );

    let out = r.handle(2, join("Joon"));
    assert_eq!(out.len(), 2);
    assert!(
        matches!(&out[0], (1, ServerMsg::PeerJoined { peer }) if peer.id == 2 && peer.name == "Joon")
    );
    assert!(
        matches!(&out[1], (2, ServerMsg::Joined { peers, .. }) if peers.len() == 1 && peers[0].id == 1)
    );
    assert_eq!(r.len(), 2);
}

#[test]
fn the_teacher_key_makes_a_teacher_and_a_wrong_one_is_refused() {
    let mut r = room(6);
    let with_key = |key: &str| ClientMsg::Join {
        room: "r1".into(),
        name: "Kim".into(),
        teacher_key: Some(key.into()),
        media: av(),
    };
    assert_eq!(
        error_code(&r.handle(1, with_key("guess"))),
        Some(ErrorCode::BadTeacherKey)
    );
    assert!(r.is_empty());
    let out = r.handle(1, with_key(KEY));
    assert!(matches!(
        &out[..],
        [(
            1,
            ServerMsg::Joined {
                role: Role::Teacher,
                ..
            }
        )]
    ));
    assert_eq!(r.member(1).unwrap().role, Role::Teacher);
}

#[test]
fn names_are_checked() {
    let mut r = room(6);
    assert_eq!(
        error_code(&r.handle(1, join("   "))),
        Some(ErrorCode::InvalidName)
    );
    assert_eq!(
        error_code(&r.handle(1, join(&"x".repeat(41)))),
        Some(ErrorCode::InvalidName)
    );
    assert!(r.is_empty());
    r.handle(1, join("  Minji  "));
    assert_eq!(r.member(1).unwrap().name, "Minji");
}

#[test]
fn the_cap_refuses_the_next_joiner_and_frees_up_on_leave() {
    let mut r = room(2);
    r.handle(1, join("a"));
    r.handle(2, join("b"));
    assert_eq!(
        error_code(&r.handle(3, join("c"))),
        Some(ErrorCode::RoomFull)
    );
    assert_eq!(r.len(), 2);
    r.leave(1);
    assert!(matches!(
        &r.handle(3, join("c"))[..],
        [_, (3, ServerMsg::Joined { .. })]
    ));
}

#[test]
fn joining_twice_is_refused() {
    let mut r = room(6);
    r.handle(1, join("a"));
    assert_eq!(
        error_code(&r.handle(1, join("a"))),
        Some(ErrorCode::AlreadyJoined)
    );
}

#[test]
fn a_signal_reaches_only_the_addressed_peer_stamped_with_the_sender() {
    let mut r = room(6);
    for (id, name) in [(1, "a"), (2, "b"), (3, "c")] {
        r.handle(id, join(name));
    }
    let out = r.handle(
        1,
        ClientMsg::Signal {
            to: 3,
            from: None,
            data: offer(),
        },
    );
    assert_eq!(
        out,
        vec![(
            3,
            ServerMsg::Signal {
                from: 1,
                data: offer()
            }
        )]
    );
    let out = r.handle(
        1,
        ClientMsg::Signal {
            to: 3,
            from: Some(1),
            data: offer(),
        },
    );
    assert_eq!(
        out,
        vec![(
            3,
            ServerMsg::Signal {
                from: 1,
                data: offer()
            }
        )]
    );
}

#[test]
fn spoofed_senders_unknown_targets_and_outsiders_are_refused() {
    let mut r = room(6);
    r.handle(1, join("a"));
    r.handle(2, join("b"));
    let spoof = ClientMsg::Signal {
        to: 2,
        from: Some(7),
        data: offer(),
    };
    assert_eq!(
        error_code(&r.handle(1, spoof)),
        Some(ErrorCode::SpoofedSender)
    );
    let foreign = ClientMsg::Signal {
        to: 99,
        from: None,
        data: offer(),
    };
    assert_eq!(
        error_code(&r.handle(1, foreign)),
        Some(ErrorCode::UnknownPeer)
    );
    let to_self = ClientMsg::Signal {
        to: 1,
        from: None,
        data: offer(),
    };
    assert_eq!(
        error_code(&r.handle(1, to_self)),
        Some(ErrorCode::UnknownPeer)
    );
    let outsider = ClientMsg::Signal {
        to: 2,
        from: None,
        data: offer(),
    };
    assert_eq!(
        error_code(&r.handle(5, outsider)),
        Some(ErrorCode::NotJoined)
    );
    assert_eq!(
        error_code(&r.handle(5, ClientMsg::Leave)),
        Some(ErrorCode::NotJoined)
    );
}

#[test]
fn media_changes_are_told_to_the_others_and_kept_for_newcomers() {
    let mut r = room(6);
    r.handle(1, join("a"));
    r.handle(2, join("b"));
    let muted = MediaState {
        audio: false,
        video: true,
        screen: false,
    };
    assert_eq!(
        r.handle(1, ClientMsg::Media(muted)),
        vec![(
            2,
            ServerMsg::Media {
                peer: 1,
                media: muted
            }
        )]
    );
    let out = r.handle(3, join("c"));
    let Some((3, ServerMsg::Joined { peers, .. })) = out.last() else {
        panic!("{out:?}")
    };
    assert_eq!(peers.iter().find(|p| p.id == 1).unwrap().media, muted);
}

#[test]
fn leaving_tells_everyone_else_once() {
    let mut r = room(6);
    for (id, name) in [(1, "a"), (2, "b"), (3, "c")] {
        r.handle(id, join(name));
    }
    let out = r.handle(2, ClientMsg::Leave);
    assert_eq!(
        out,
        vec![
            (1, ServerMsg::PeerLeft { peer: 2 }),
            (3, ServerMsg::PeerLeft { peer: 2 })
        ]
    );
    assert!(
        r.leave(2).is_empty(),
        "a disconnect after leave must not announce twice"
    );
    r.leave(1);
    r.leave(3);
    assert!(r.is_empty());
}

#[test]
fn a_signal_no_browser_could_apply_is_refused_and_not_relayed() {
    let mut r = room(6);
    r.handle(1, join("Minji"));
    r.handle(2, join("Joon"));
    let no_mid = Signal::Candidate {
        candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host".into(),
        sdp_mid: None,
        sdp_m_line_index: None,
    };
    for data in [no_mid, Signal::Unknown] {
        let out = r.handle(
            1,
            ClientMsg::Signal {
                to: 2,
                from: None,
                data,
            },
        );
        assert_eq!(error_code(&out), Some(ErrorCode::BadSignal));
        assert_eq!(out[0].0, 1, "only the sender hears of it");
    }
}
