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
            media: MediaState::default(),
            attendee: None,
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
            "peers":[{"id":2,"name":"T","role":"co_teacher","media":{"audio":true,"video":true},"pinned":1}],
            "ice_servers":[],"topology":"relay_tree","resume_token":"x"}"#,
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

/// The classroom messages on the wire, as docs/protocol.md shows them; a peer described by an older
/// server (no hand, no right to speak) may speak.
#[test]
fn classroom_messages_have_the_documented_shape() {
    let admit: ClientMsg = serde_json::from_str(r#"{"type":"admit","peer":4}"#).unwrap();
    assert_eq!(admit, ClientMsg::Admit { peer: 4 });
    let change: ClientMsg =
        serde_json::from_str(r#"{"type":"settings","mics_locked":true}"#).unwrap();
    assert_eq!(
        change,
        ClientMsg::Settings(SettingsChange {
            mics_locked: Some(true),
            ..Default::default()
        })
    );
    let lower: ClientMsg = serde_json::from_str(r#"{"type":"lower_hand"}"#).unwrap();
    assert_eq!(lower, ClientMsg::LowerHand { peer: None });
    let ended = ServerMsg::Ended {
        reason: EndedReason::Removed,
        by: Some("Kim".into()),
    };
    assert_eq!(
        serde_json::to_string(&ended).unwrap(),
        r#"{"type":"ended","reason":"removed","by":"Kim"}"#
    );
    let old: PeerInfo = serde_json::from_str(
        r#"{"id":2,"name":"T","role":"student","media":{"audio":true,"video":false}}"#,
    )
    .unwrap();
    assert!(old.may_speak && old.hand.is_none() && !old.media.screen);
}

#[test]
fn attendee_tokens_are_16_to_64_url_safe_characters() {
    use super::valid_attendee;
    assert!(valid_attendee("abcdefghijklmnop"));
    assert!(valid_attendee(&"A-_9".repeat(16)));
    assert!(!valid_attendee("abcdefghijklmno"), "15 characters");
    assert!(!valid_attendee(&"a".repeat(65)));
    assert!(
        !valid_attendee("abcdefghijklmno="),
        "padding is not in the alphabet"
    );
    assert!(!valid_attendee("abcdefghijklmnoé"));
    let join: ClientMsg = serde_json::from_str(
        r#"{"type":"join","room":"r","name":"n","attendee":"0123456789abcdef"}"#,
    )
    .unwrap();
    assert!(matches!(join, ClientMsg::Join { attendee: Some(t), .. } if t == "0123456789abcdef"));
}

#[test]
fn a_view_has_the_documented_shape_and_rejects_unknown_qualities() {
    let view: ClientMsg = serde_json::from_str(
        r#"{"type":"view","tiles":[{"peer":3,"quality":"high"},{"peer":5,"quality":"low"}]}"#,
    )
    .unwrap();
    assert_eq!(
        view,
        ClientMsg::View {
            tiles: vec![
                Tile {
                    peer: 3,
                    quality: Quality::High
                },
                Tile {
                    peer: 5,
                    quality: Quality::Low
                },
            ]
        }
    );
    let bad = r#"{"type":"view","tiles":[{"peer":3,"quality":"ultra"}]}"#;
    assert!(serde_json::from_str::<ClientMsg>(bad).is_err());
    assert!(serde_json::from_str::<ClientMsg>(r#"{"type":"view"}"#).is_err());
}
