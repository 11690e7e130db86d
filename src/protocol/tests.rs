//! The wire shapes, pinned.

use super::*;

#[test]
fn messages_have_the_documented_shape() {
    let join: ClientMsg =
        serde_json::from_str(r#"{"type":"join","room":"r1","name":"Minji"}"#).unwrap();
    assert_eq!(
        join,
        ClientMsg::Join {
            room: "r1".into(),
            name: "Minji".into(),
            teacher_key: None,
            media: MediaState::default()
        }
    );
    let media: ClientMsg =
        serde_json::from_str(r#"{"type":"media","audio":true,"video":false}"#).unwrap();
    assert_eq!(
        media,
        ClientMsg::Media(MediaState {
            audio: true,
            video: false,
            screen: false,
        })
    );
    let out = serde_json::to_string(&ServerMsg::PeerLeft { peer: 7 }).unwrap();
    assert_eq!(out, r#"{"type":"peer_left","peer":7}"#);
    let err = serde_json::to_string(&ServerMsg::error(ErrorCode::RoomFull)).unwrap();
    assert_eq!(
        err,
        r#"{"type":"error","code":"room_full","message":"the room is full"}"#
    );
}

#[test]
fn unknown_fields_are_ignored_for_forward_compatibility() {
    let msg: ClientMsg = serde_json::from_str(r#"{"type":"leave","future_field":1}"#).unwrap();
    assert_eq!(msg, ClientMsg::Leave);
}

#[test]
fn names_are_trimmed_and_bounded() {
    assert_eq!(clean_name("  Minji \n"), Some("Minji".into()));
    assert_eq!(clean_name("\u{200B}"), None);
    assert_eq!(clean_name(&"가".repeat(41)), None);
}

/// A newer server may add message types, roles, topologies, error codes and signal kinds: this
/// build must still read every message it knows and skip the rest, never fail a whole message.
#[test]
fn a_newer_servers_messages_still_parse() {
    let joined: ServerMsg = serde_json::from_str(
        r#"{"type":"joined","you":1,"role":"observer","room":{"id":"r","name":"n","capacity":6},
            "peers":[{"id":2,"name":"T","role":"co_teacher","media":{"audio":true,"video":true},"hand":1}],
            "ice_servers":[],"topology":"sfu","resume_token":"x"}"#,
    )
    .unwrap();
    let ServerMsg::Joined {
        role,
        peers,
        topology,
        ..
    } = joined
    else {
        panic!("not joined: {joined:?}");
    };
    assert_eq!(
        (role, peers[0].role, topology),
        (Role::Other, Role::Other, Topology::Other)
    );
    let future: ServerMsg = serde_json::from_str(r#"{"type":"hand_raised","peer":3}"#).unwrap();
    assert_eq!(future, ServerMsg::Unknown);
    let err: ServerMsg =
        serde_json::from_str(r#"{"type":"error","code":"waiting_room","message":"m"}"#).unwrap();
    assert!(matches!(
        err,
        ServerMsg::Error {
            code: ErrorCode::Unknown,
            ..
        }
    ));
    let sig: ServerMsg =
        serde_json::from_str(r#"{"type":"signal","from":2,"data":{"kind":"layers"}}"#).unwrap();
    assert_eq!(
        sig,
        ServerMsg::Signal {
            from: 2,
            data: Signal::Unknown
        }
    );
}
