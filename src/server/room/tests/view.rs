//! `view`: which cameras a member displays, handed to the media server cleaned — and nothing a
//! client lists can name a waiting, removed or absent member, or grow without bound.

use super::*;
use crate::protocol::{Quality, Tile, MAX_VIEW_TILES};

/// A room of up to 5 that moves to the media server past 2 admitted members; 1 teaches, 2–3 are
/// admitted (so it is `sfu`), 4 waits.
fn class() -> Sim {
    let mut spec = spec("r1", 5);
    spec.mesh_size = 2;
    let mut s = Sim {
        room: Room::new(spec),
        now: 1_700_000_000_000,
    };
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    s.admitted(3, "Park", 1);
    s.student(4, "Choi");
    s
}

fn tile(peer: PeerId, quality: Quality) -> Tile {
    Tile { peer, quality }
}

fn views(out: &[Output]) -> Vec<Media> {
    out.iter()
        .filter_map(|o| match o {
            Output::Media(m @ Media::View { .. }) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_view_reaches_the_media_server_cleaned() {
    let mut s = class();
    let out = s.send(
        2,
        ClientMsg::View {
            tiles: vec![
                tile(3, Quality::Low),
                tile(1, Quality::High),
                tile(2, Quality::High),   // yourself
                tile(4, Quality::High),   // waiting
                tile(99, Quality::High),  // nobody
                tile(3, Quality::Medium), // twice: the last counts
            ],
        },
    );
    assert_eq!(refusal(&out), None);
    assert_eq!(
        views(&out),
        vec![Media::View {
            peer: 2,
            tiles: vec![tile(1, Quality::High), tile(3, Quality::Medium)],
        }]
    );
    assert!(recipients(&out).is_empty(), "nobody else hears of a view");
}

#[test]
fn an_empty_view_is_passed_on_it_means_no_cameras() {
    let mut s = class();
    let out = s.send(3, ClientMsg::View { tiles: vec![] });
    assert_eq!(
        views(&out),
        vec![Media::View {
            peer: 3,
            tiles: vec![]
        }]
    );
}

#[test]
fn an_oversized_view_is_refused_and_changes_nothing() {
    let mut s = class();
    let tiles = vec![tile(1, Quality::Low); MAX_VIEW_TILES + 1];
    let out = s.send(2, ClientMsg::View { tiles });
    assert_eq!(refusal(&out), Some(ErrorCode::BadMessage));
    assert!(views(&out).is_empty());
}

#[test]
fn a_waiting_student_cannot_send_a_view() {
    let mut s = class();
    let out = s.send(
        4,
        ClientMsg::View {
            tiles: vec![tile(1, Quality::High)],
        },
    );
    assert_eq!(refusal(&out), Some(ErrorCode::NotAdmitted));
    assert!(views(&out).is_empty());
}

#[test]
fn a_mesh_accepts_a_view_and_ignores_it() {
    let mut s = Sim::new(5);
    s.teacher(1, "Kim");
    s.admitted(2, "Lee", 1);
    let out = s.send(
        2,
        ClientMsg::View {
            tiles: vec![tile(1, Quality::High)],
        },
    );
    assert!(out.is_empty(), "{out:?}");
}
