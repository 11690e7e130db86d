//! Moving a room to the media server, and what the media server is told: signals to the media
//! peer, audio rights, who leaves the call.

use super::*;
use crate::protocol::{SettingsChange, Signal, Topology, MEDIA_PEER};

/// A room of up to 5 that is a mesh up to `mesh` admitted members.
pub(super) fn sim(mesh: usize) -> Sim {
    let mut spec = spec("r1", 5);
    spec.mesh_size = mesh;
    Sim {
        room: Room::new(spec),
        now: 1_700_000_000_000,
    }
}

pub(super) fn offer() -> Signal {
    Signal::Description {
        sdp_type: crate::protocol::SdpType::Offer,
        sdp: "v=0\r\n".into(),
    }
}

/// What `out` asks of the media server.
pub(super) fn media(out: &[Output]) -> Vec<Media> {
    out.iter()
        .filter_map(|o| match o {
            Output::Media(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn topology_of(msgs: &[ServerMsg]) -> Option<Topology> {
    msgs.iter().find_map(|m| match m {
        ServerMsg::Joined { topology, .. } | ServerMsg::Topology { topology } => Some(*topology),
        _ => None,
    })
}

pub(super) fn audio(peer: PeerId, allowed: bool) -> Media {
    Media::Audio { peer, allowed }
}

#[test]
fn the_member_past_the_mesh_size_moves_everyone_to_the_media_server() {
    let mut s = sim(2);
    let out = s.teacher(1, "Kim");
    assert_eq!(topology_of(&to(&out, 1)), Some(Topology::Mesh));
    let out = s.admitted(2, "Lee", 1);
    assert_eq!(topology_of(&to(&out, 2)), Some(Topology::Mesh));
    assert!(
        media(&out).is_empty(),
        "a mesh tells the media server nothing"
    );

    let out = s.admitted(3, "Park", 1);
    // The newcomer's joined already says sfu, and nothing more about it; the others are told.
    assert_eq!(topology_of(&to(&out, 3)), Some(Topology::Sfu));
    assert!(!to(&out, 3)
        .iter()
        .any(|m| matches!(m, ServerMsg::Topology { .. })));
    for p in [1, 2] {
        assert!(to(&out, p).contains(&ServerMsg::Topology {
            topology: Topology::Sfu
        }));
        assert!(!to(&out, p)
            .iter()
            .any(|m| matches!(m, ServerMsg::PeerLeft { .. })));
    }
    assert_eq!(
        media(&out),
        vec![audio(1, true), audio(2, true), audio(3, true)]
    );
    // A fourth and fifth come straight into sfu; only what changed is told.
    let out = s.admitted(4, "Choi", 1);
    assert_eq!(topology_of(&to(&out, 4)), Some(Topology::Sfu));
    assert_eq!(media(&out), vec![audio(4, true)]);
}

#[test]
fn signals_to_the_media_peer_go_to_the_media_server_only_in_an_sfu_room() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    s.student(2, "Lee");
    // Waiting: nothing of the call, not even the media peer.
    let sig = |data| ClientMsg::Signal {
        to: MEDIA_PEER,
        from: None,
        data,
    };
    let out = s.send(2, sig(offer()));
    assert_eq!(refusal(&out), Some(ErrorCode::NotAdmitted));
    // A mesh room has no media peer.
    let mut mesh = sim(5);
    mesh.teacher(1, "Kim");
    assert_eq!(
        refusal(&mesh.send(1, sig(offer()))),
        Some(ErrorCode::UnknownPeer)
    );

    s.send(1, ClientMsg::Admit { peer: 2 });
    let out = s.send(2, sig(offer()));
    assert_eq!(
        out,
        vec![Output::Media(Media::Signal {
            peer: 2,
            data: offer()
        })]
    );
    // Spoofed and malformed signals are refused before the media server sees them.
    let spoofed = ClientMsg::Signal {
        to: MEDIA_PEER,
        from: Some(1),
        data: offer(),
    };
    assert_eq!(refusal(&s.send(2, spoofed)), Some(ErrorCode::SpoofedSender));
    let empty = Signal::Description {
        sdp_type: crate::protocol::SdpType::Offer,
        sdp: " ".into(),
    };
    assert_eq!(refusal(&s.send(2, sig(empty))), Some(ErrorCode::BadSignal));
    assert_eq!(
        refusal(&s.send(2, sig(Signal::Unknown))),
        Some(ErrorCode::BadSignal)
    );
}

#[test]
fn audio_rights_follow_mutes_locks_and_the_word() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    let out = s.send(1, ClientMsg::Mute { peer: 2 });
    assert_eq!(media(&out), vec![audio(2, false)]);
    // Unmuting oneself is allowed again, and told.
    let on = ClientMsg::Media(av());
    assert_eq!(media(&s.send(2, on.clone())), vec![audio(2, true)]);
    let lock = ClientMsg::Settings(SettingsChange {
        mics_locked: Some(true),
        ..Default::default()
    });
    assert_eq!(media(&s.send(1, lock)), vec![audio(2, false)]);
    assert_eq!(refusal(&s.send(2, on.clone())), Some(ErrorCode::Forbidden));
    // The word lets the student speak once they unmute; taking it back mutes them.
    assert!(media(&s.send(1, ClientMsg::AllowSpeak { peer: 2 })).is_empty());
    assert_eq!(media(&s.send(2, on)), vec![audio(2, true)]);
    let out = s.send(1, ClientMsg::RevokeSpeak { peer: 2 });
    assert_eq!(media(&out), vec![audio(2, false)]);
}

#[test]
fn leaving_ends_the_media_session_but_a_lost_connection_keeps_it_through_the_grace() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    s.admitted(3, "Park", 1);
    assert!(media(&s.step(Input::Lost(3))).is_empty());
    s.advance(15_001);
    assert_eq!(media(&s.step(Input::Tick)), vec![Media::Leave { peer: 3 }]);
    assert_eq!(
        media(&s.send(2, ClientMsg::Leave)),
        vec![Media::Leave { peer: 2 }]
    );
    let out = s.send(1, ClientMsg::EndClass);
    assert_eq!(media(&out), vec![Media::Leave { peer: 1 }]);
}

#[test]
fn removed_and_waiting_students_are_never_in_the_media_session() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    let out = s.student(3, "Park");
    assert!(
        media(&out).is_empty(),
        "a knock tells the media server nothing"
    );
    let out = s.send(1, ClientMsg::Remove { peer: 2 });
    assert_eq!(media(&out), vec![Media::Leave { peer: 2 }]);
}

/// Found in review: the media server forwarded any second video of a member as a screen share,
/// whatever the room allowed. It now forwards a member's screen only while their `media.screen`
/// holds, which a student can set only while students may share.
#[test]
fn screen_rights_follow_the_share_and_the_room_s_setting() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    let screen = |peer, allowed| Media::Screen { peer, allowed };
    let screens = |out: &[Output]| -> Vec<Media> {
        let told = media(out).into_iter();
        told.filter(|m| matches!(m, Media::Screen { .. })).collect()
    };
    let sharing = ClientMsg::Media(MediaState {
        screen: true,
        ..av()
    });
    assert_eq!(screens(&s.send(1, sharing.clone())), vec![screen(1, true)]);
    assert_eq!(
        refusal(&s.send(2, sharing.clone())),
        Some(ErrorCode::Forbidden)
    );
    let may_share = |on| {
        ClientMsg::Settings(SettingsChange {
            students_may_share: Some(on),
            ..Default::default()
        })
    };
    assert!(
        screens(&s.send(1, may_share(true))).is_empty(),
        "nobody shares yet"
    );
    assert_eq!(screens(&s.send(2, sharing)), vec![screen(2, true)]);
    assert_eq!(media(&s.send(1, may_share(false))), vec![screen(2, false)]);
    let stop = ClientMsg::Media(av());
    assert_eq!(media(&s.send(1, stop)), vec![screen(1, false)]);
}
