//! Class mode and restarts: a teacher (only a teacher) moves a small room to the media server, a
//! server without one changes nothing, and a restart keeps the room where it was.

use super::media::{audio, media, sim, topology_of};
use super::*;
use crate::protocol::{Settings, SettingsChange, Topology};

#[test]
fn class_mode_moves_a_small_room_and_only_a_teacher_may_set_it() {
    let mut s = sim(4);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    let on = ClientMsg::Settings(SettingsChange {
        class_mode: Some(true),
        ..Default::default()
    });
    assert_eq!(refusal(&s.send(2, on.clone())), Some(ErrorCode::Forbidden));
    let out = s.send(1, on);
    for p in [1, 2] {
        assert!(to(&out, p).contains(&ServerMsg::Topology {
            topology: Topology::Sfu
        }));
    }
    assert_eq!(media(&out), vec![audio(1, true), audio(2, true)]);
    // Turning it off does not move the class back mid-session.
    let off = ClientMsg::Settings(SettingsChange {
        class_mode: Some(false),
        ..Default::default()
    });
    let out = s.send(1, off);
    assert!(!to(&out, 2)
        .iter()
        .any(|m| matches!(m, ServerMsg::Topology { .. })));
    assert!(media(&out).is_empty());
    // The next session starts as a mesh.
    s.send(2, ClientMsg::Leave);
    s.send(1, ClientMsg::Leave);
    let out = s.teacher(5, "Kim");
    assert_eq!(topology_of(&to(&out, 5)), Some(Topology::Mesh));
}

#[test]
fn without_a_media_server_class_mode_changes_nothing() {
    // mesh_size == capacity: the server runs no media server.
    let mut s = Sim::new(3);
    s.teacher(1, "Kim");
    let on = ClientMsg::Settings(SettingsChange {
        class_mode: Some(true),
        ..Default::default()
    });
    let out = s.send(1, on);
    assert!(to(&out, 1).iter().any(|m| matches!(
        m,
        ServerMsg::Settings {
            settings: Settings {
                class_mode: true,
                ..
            },
            ..
        }
    )));
    assert!(!to(&out, 1)
        .iter()
        .any(|m| matches!(m, ServerMsg::Topology { .. })));
    assert!(media(&out).is_empty());
}

#[test]
fn a_restart_keeps_the_room_on_the_media_server_and_tells_it_again() {
    let mut s = sim(1);
    s.teacher(1, "Kim");
    let out = s.step_all(Input::Message(
        1,
        ClientMsg::Settings(SettingsChange {
            class_mode: Some(true),
            ..Default::default()
        }),
    ));
    let saved = out
        .iter()
        .find_map(|o| match o {
            Output::Persist(Record::Saved(Some(saved))) => Some(saved.clone()),
            _ => None,
        })
        .expect("saved");
    let json = serde_json::to_string(&saved).unwrap();
    let saved: Saved = serde_json::from_str(&json).unwrap();
    let mut spec = spec("r1", 5);
    spec.mesh_size = 1;
    let (room, _) = Room::restore(spec, saved, s.now, s.now + 1000);
    let mut s = Sim {
        room,
        now: s.now + 1000,
    };
    let token = token(1);
    let out = s.step(Input::Resume {
        conn: 9,
        token,
        fresh: "fresh-token-of-peer-1".into(),
        media: av(),
    });
    assert_eq!(topology_of(&to(&out, 1)), Some(Topology::Sfu));
    // The new media server knows nobody: everyone admitted is told again.
    assert_eq!(media(&out), vec![audio(1, true)]);
}
