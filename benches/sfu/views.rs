//! The `class-view` scenario: a class all on camera and microphone where each member shows a
//! page of tiles, as a browser does (one large tile, the rest thumbnails), and sends it as its
//! `view`; the SFU forwards each member only those cameras. Also the check that it did.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use classroom::protocol::{PeerId, Quality, Tile};
use classroom::server::sfu::Command;

use crate::load::{Load, Window};
use crate::stats::Stats;

/// The teacher: the large tile on every student's page.
pub const TEACHER: PeerId = 1;

/// What `member` of a class of `members` shows on a page of `page` tiles, its own among them
/// (drawn locally, not received): the teacher large, then the next students after it by id
/// (wrapping), so every camera is on about as many pages. The teacher shows the first students.
pub fn page(member: PeerId, members: u64, page: usize) -> Vec<Tile> {
    let others = (page.saturating_sub(1) as u64).min(members - 1);
    let mut peers: Vec<PeerId> = Vec::new();
    if member != TEACHER && others > 0 {
        peers.push(TEACHER);
    }
    let students = members - 1;
    // The teacher starts from the last student, so that its page begins at student 2.
    let mut next = if member == TEACHER { members } else { member };
    while (peers.len() as u64) < others {
        // Students are 2..=members; step to the next one after `next`, wrapping.
        next = 2 + (next.saturating_sub(2) + 1) % students;
        if next != member && !peers.contains(&next) {
            peers.push(next);
        }
    }
    let quality = |p: PeerId| match p {
        TEACHER => Quality::High,
        _ => Quality::Low,
    };
    // As the room hands it on: sorted by peer, once each, never the sender.
    let mut tiles: Vec<Tile> = peers
        .into_iter()
        .map(|peer| Tile {
            peer,
            quality: quality(peer),
        })
        .collect();
    tiles.sort_by_key(|t| t.peer);
    tiles
}

/// Joins one room of `members` publishers (camera as simulcast `layers`), each sending its page
/// of `page` tiles as a `view`; the audio of the first `mics` is forwarded (the hub tells the SFU
/// who may be heard: a muted student's microphone is dropped there). As through the hub: a member's view names only members already in
/// the room when it is sent (the room drops the others), and a member whose page shows a
/// newcomer sends its view again when that one joins. Returns the receivers, member 1 first.
pub fn add_class(
    load: &mut Load,
    members: u64,
    page_size: usize,
    layers: &[(&str, usize)],
    mics: u64,
) -> Vec<Arc<Stats>> {
    let room = load.new_room();
    let pages: Vec<Vec<Tile>> = (1..=members).map(|m| page(m, members, page_size)).collect();
    let send = |load: &Load, member: PeerId, joined: PeerId| {
        let tiles = pages[member as usize - 1]
            .iter()
            .filter(|t| t.peer <= joined)
            .copied()
            .collect();
        send_view(load, &room, member, tiles);
    };
    let mut receivers = Vec::new();
    for member in 1..=members {
        for earlier in 1..member {
            if pages[earlier as usize - 1].iter().any(|t| t.peer == member) {
                send(&*load, earlier, member);
            }
        }
        // A browser sends its view once it knows who is there, before its media connects.
        send(&*load, member, member);
        // The hub's speaking rule of this scenario: only the first `mics` members are heard.
        load.allow_audio(&room, member, member <= mics);
        receivers.push(load.spawn_client(&room, member, true, layers, &[]));
        std::thread::sleep(load.settings().join_gap);
    }
    load.expect_streams(pages.iter().map(Vec::len).sum());
    receivers
}

/// Every student of the class `add_class` made renews its media connection once, one after the
/// other (the school's network blipped): the others' sessions stop the old tracks and get the new ones.
/// Returns the new receivers.
pub fn renew_class(
    load: &mut Load,
    members: u64,
    page_size: usize,
    layers: &[(&str, usize)],
) -> Vec<Arc<Stats>> {
    let room = load.last_room();
    let mut receivers = Vec::new();
    for member in 2..=members {
        receivers.push(load.renew(&room, member, layers));
        // As the browser does (`renew_media_link`): its view again (the SFU kept it anyway).
        send_view(load, &room, member, page(member, members, page_size));
        std::thread::sleep(load.settings().join_gap);
    }
    receivers
}

/// Every member of the class `add_class` made pages once through the whole class (the teacher
/// large, the students a page at a time), then shows its own page again: what a class's sessions
/// hold after a while of looking around, since the SFU keeps (paused) every camera m-line it
/// opened. Adds no receiver.
pub fn turn_pages(load: &mut Load, members: u64, page_size: usize) -> Vec<Arc<Stats>> {
    let room = load.last_room();
    let per_page = page_size.saturating_sub(2).max(1);
    let students: Vec<PeerId> = (TEACHER + 1..=members).collect();
    for chunk in students.chunks(per_page) {
        for member in 1..=members {
            let mut tiles: Vec<Tile> = chunk
                .iter()
                .chain(std::iter::once(&TEACHER))
                .filter(|&&p| p != member)
                .map(|&peer| Tile {
                    peer,
                    quality: Quality::Low,
                })
                .collect();
            tiles.sort_by_key(|t| t.peer);
            send_view(load, &room, member, tiles);
        }
        // A page stays up long enough to be negotiated and seen.
        std::thread::sleep(Duration::from_millis(500));
    }
    for member in 1..=members {
        send_view(load, &room, member, page(member, members, page_size));
    }
    Vec::new()
}

/// `peer`'s view, handed to the SFU as the hub does.
fn send_view(load: &Load, room: &str, peer: PeerId, tiles: Vec<Tile>) {
    let room = room.to_owned();
    load.sfu().send(Command::View { room, peer, tiles });
}

/// Prints whether each member got only the cameras of its page, each at ≥ 99 % of 30 frames/s,
/// and the layers they came as. Returns whether all of that held.
pub fn check(window: &Window, members: u64, page_size: usize) -> bool {
    let mut worst_share = f64::INFINITY;
    let (mut most, mut outside, mut missing) = (0, 0, 0);
    let mut layers = [0u64; 4]; // l, m, h, other
    let mut teacher_high = 0;
    for (i, got) in window.sources.iter().enumerate() {
        let member = i as PeerId + 1;
        let shown: BTreeSet<u16> = page(member, members, page_size)
            .iter()
            .map(|t| t.peer as u16)
            .collect();
        let cameras: BTreeSet<u16> = got.keys().map(|(peer, _)| *peer).collect();
        most = most.max(cameras.len());
        outside += cameras.difference(&shown).count();
        let absent: Vec<_> = shown.difference(&cameras).collect();
        if !absent.is_empty() {
            eprintln!("member {member} got no frame of {absent:?}");
        }
        missing += absent.len();
        for peer in &shown {
            let frames: u64 = got.iter().filter(|(k, _)| k.0 == *peer).map(|e| e.1).sum();
            let share = frames as f64 / (30.0 * window.secs);
            if share < 0.99 {
                eprintln!(
                    "member {member} got camera {peer} at {:.1} %",
                    share * 100.0
                );
            }
            worst_share = worst_share.min(share);
        }
        for (&(peer, layer), &n) in got {
            let slot = match layer {
                b'l' => 0,
                b'm' => 1,
                b'h' => 2,
                _ => 3,
            };
            layers[slot] += n;
            teacher_high += usize::from(peer == TEACHER as u16 && layer == b'h' && n > 0);
        }
    }
    let total = layers.iter().sum::<u64>().max(1) as f64;
    let share = |n: u64| n as f64 * 100.0 / total;
    let ok = most < page_size && outside == 0 && missing == 0 && worst_share >= 0.99;
    println!(
        "check page {page_size}: {} members; cameras per member ≤ {most} (page − 1 = {}), {outside} \
outside the view, {missing} of the view missing; worst camera {:.1} % of 30 frames/s; frames by \
layer l {:.1} % / m {:.1} % / h {:.1} % / none {:.1} %; {teacher_high} of {} got the teacher at h: {}",
        window.sources.len(),
        page_size - 1,
        worst_share * 100.0,
        share(layers[0]),
        share(layers[1]),
        share(layers[2]),
        share(layers[3]),
        members - 1,
        if ok { "ok" } else { "NOT OK" },
    );
    ok
}
