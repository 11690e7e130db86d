//! Random rooms and inputs for the property tests.

use proptest::prelude::*;

use crate::protocol::{ClientMsg, MediaState, PeerId, SdpType, SettingsChange, Signal, UnixMillis};
use crate::server::room::Input;

// The same room as the unit tests'.
pub use crate::server::room::tests::{spec, KEY};

pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Minji".to_string()),
        Just("   ".to_string()),
        Just("\u{200B}\u{3164}".to_string()),
        Just("가".repeat(40)),
        Just("가".repeat(41)),
        "[ a-z가\u{200B}\u{202E}]{0,42}",
    ]
}

/// No token, one of two people's, or a malformed one.
fn attendee() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("attendee-token-one".to_string())),
        Just(Some("attendee-token-two".to_string())),
        Just(Some("short".to_string())),
    ]
}

fn teacher_key() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(KEY.to_string())),
        1 => Just(Some("guess".to_string())),
    ]
}

fn media() -> impl Strategy<Value = MediaState> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(audio, video, screen)| MediaState {
        audio,
        video,
        screen,
    })
}

fn signal() -> impl Strategy<Value = Signal> {
    let description = (
        prop_oneof![
            Just(SdpType::Offer),
            Just(SdpType::Answer),
            Just(SdpType::Pranswer),
            Just(SdpType::Rollback)
        ],
        prop_oneof![
            Just(String::new()),
            Just(" ".to_string()),
            Just("v=0\r\n".to_string())
        ],
    )
        .prop_map(|(sdp_type, sdp)| Signal::Description { sdp_type, sdp });
    let candidate = (
        prop_oneof![
            Just(String::new()),
            Just("candidate:1 1 udp 2122 127.0.0.1 5000 typ host".to_string()),
            Just("a=candidate:1".to_string()),
            Just("candidate:1\r\na=x".to_string()),
        ],
        proptest::option::of(Just("0".to_string())),
        proptest::option::of(0u16..2),
    )
        .prop_map(|(candidate, sdp_mid, sdp_m_line_index)| Signal::Candidate {
            candidate,
            sdp_mid,
            sdp_m_line_index,
        });
    prop_oneof![description, candidate, Just(Signal::Unknown)]
}

/// Any message a client can send but `join`, aimed at any of `targets`.
fn message(
    targets: impl Strategy<Value = PeerId> + Clone + 'static,
) -> impl Strategy<Value = ClientMsg> {
    let change = (
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        proptest::option::weighted(0.1, any::<bool>()),
    )
        .prop_map(|(a, m, r, c, s, k)| SettingsChange {
            auto_admit: a,
            mics_locked: m,
            room_locked: r,
            chat_locked: c,
            students_may_share: s,
            class_mode: k,
        });
    let t = targets.clone();
    prop_oneof![
        4 => (t.clone(), proptest::option::weighted(0.2, t.clone()), signal())
            .prop_map(|(to, from, data)| ClientMsg::Signal { to, from, data }),
        2 => media().prop_map(ClientMsg::Media),
        1 => Just(ClientMsg::Leave),
        1 => Just(ClientMsg::RaiseHand),
        1 => proptest::option::of(t.clone()).prop_map(|peer| ClientMsg::LowerHand { peer }),
        1 => "[a-z \n\u{200B}]{0,8}".prop_map(|text| ClientMsg::Chat { text }),
        2 => t.clone().prop_map(|peer| ClientMsg::Admit { peer }),
        1 => t.clone().prop_map(|peer| ClientMsg::Deny { peer }),
        1 => Just(ClientMsg::AdmitAll),
        1 => t.clone().prop_map(|peer| ClientMsg::Mute { peer }),
        1 => Just(ClientMsg::MuteAll),
        1 => t.clone().prop_map(|peer| ClientMsg::AllowSpeak { peer }),
        1 => t.clone().prop_map(|peer| ClientMsg::RevokeSpeak { peer }),
        1 => t.prop_map(|peer| ClientMsg::Remove { peer }),
        1 => change.prop_map(ClientMsg::Settings),
        1 => Just(ClientMsg::EndClass),
    ]
}

/// One input: a join, a message, a disconnect, or time passing, from one of `peers`.
pub fn input(
    peers: impl Strategy<Value = PeerId> + Clone + 'static,
    targets: impl Strategy<Value = PeerId> + Clone + 'static,
) -> impl Strategy<Value = (UnixMillis, Input)> {
    let p = peers.clone();
    let join = (
        p.clone(),
        0u8..3,
        name(),
        teacher_key(),
        media(),
        attendee(),
    )
        .prop_map(
            |(peer, address, name, teacher_key, media, attendee)| Input::Join {
                peer,
                address: format!("10.0.0.{address}"),
                name,
                teacher_key,
                media,
                attendee,
                resume: format!("resume-token-of-peer-{peer:04}"),
            },
        );
    // A new connection (ids from 100 up, never a member's) with the token of one of the peers in
    // play, which works once.
    let resume = (100u64..104, p.clone(), media()).prop_map(|(conn, whose, media)| Input::Resume {
        conn,
        token: format!("resume-token-of-peer-{whose:04}"),
        fresh: format!("resume-token-again-{whose:04}"),
        media,
    });
    let input = prop_oneof![
        3 => join,
        8 => (p.clone(), message(targets)).prop_map(|(peer, msg)| Input::Message(peer, msg)),
        1 => p.clone().prop_map(Input::Disconnect),
        1 => p.prop_map(Input::Lost),
        1 => resume,
        1 => Just(Input::Tick),
    ];
    (0i64..40_000, input)
}
