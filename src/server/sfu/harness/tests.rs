//! The harness on its own: what the fuzz target does, once, by hand; and which STUN teaches the
//! worker an address.

use super::*;

/// A STUN message of type `kind` (0x0001 request, 0x0011 indication) with `attrs`, unsigned unless
/// one of them is a (made-up) MESSAGE-INTEGRITY.
fn stun(kind: u16, attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut msg = kind.to_be_bytes().to_vec();
    msg.extend_from_slice(&[0, 0, 0x21, 0x12, 0xa4, 0x42]);
    msg.extend_from_slice(&[7; 12]);
    for (kind, value) in attrs {
        msg.extend_from_slice(&kind.to_be_bytes());
        msg.extend_from_slice(&(value.len() as u16).to_be_bytes());
        msg.extend_from_slice(value);
        msg.resize(msg.len().div_ceil(4) * 4, 0);
    }
    let body = (msg.len() - 20) as u16;
    msg[2..4].copy_from_slice(&body.to_be_bytes());
    msg
}

const USERNAME: u16 = 0x0006;
const PRIORITY: u16 = 0x0024;
const MESSAGE_INTEGRITY: u16 = 0x0008;

fn learned(h: &Harness, port: u16) -> bool {
    h.worker.demux.route(source(port), None).is_some()
}

/// What the fuzz target does, once, by hand: the harness reaches the sessions and never
/// takes them down with bytes alone.
#[test]
fn stun_for_a_session_then_junk_from_its_address_leaves_it_alive() {
    let mut h = Harness::new();
    let live = h.sessions();
    assert_eq!(live.len(), 2);
    let name = format!("{}:x", h.ufrag(0));
    h.datagram(&stun(0x0001, &[(USERNAME, name.as_bytes())]), 7);
    assert!(
        !learned(&h, 7),
        "a request without MESSAGE-INTEGRITY does not even parse: nothing is learned"
    );
    h.bind(0, 7);
    assert!(learned(&h, 7), "a request signed with our password is");
    for junk in [
        &[22u8, 254, 253, 0, 0][..],
        &[0x80; 40],
        &[0x81, 200, 0, 1, 1, 2, 3, 4],
    ] {
        h.datagram(junk, 7);
    }
    h.timeout();
    assert_eq!(h.sessions(), live);
    h.signal(1, SdpType::Answer, "v=0 not sdp".into());
    assert!(h.answers_a_newcomer(3));
}

/// Found in review: USERNAME alone re-pointed an address. Every member reads its session's ufrag
/// in our answer, so from a spoofed source it could send another member's DTLS and SRTP to its
/// own session, or fill the address map. Only STUN its session accepts teaches an address now.
#[test]
fn stun_naming_a_session_without_its_password_teaches_no_address() {
    let mut h = Harness::new();
    let name = format!("{}:x", h.ufrag(0));
    h.datagram(&stun(0x0011, &[(USERNAME, name.as_bytes())]), 9);
    assert!(
        h.worker.demux.route(source(9), None).is_none(),
        "a Binding Indication proves nothing"
    );

    // Right ufrags on both sides, a made-up integrity: parsed, then refused by its session.
    let name = format!("{}:{}", h.ice[0].ufrag, h.ice[0].remote);
    let forged = stun(
        0x0001,
        &[
            (USERNAME, name.as_bytes()),
            (PRIORITY, &[0, 0, 1, 0]),
            (MESSAGE_INTEGRITY, &[0x5a; 20]),
        ],
    );
    h.datagram(&forged, 10);
    assert!(!learned(&h, 10), "a forged integrity proves nothing");

    h.bind(1, 9);
    h.bind(0, 10);
    let sessions = |h: &Harness| [9, 10].map(|p| h.worker.demux.route(source(p), None));
    let learned_first = sessions(&h);
    assert!(
        learned_first.iter().all(Option::is_some),
        "{learned_first:?}"
    );
    h.datagram(&stun(0x0011, &[(USERNAME, name.as_bytes())]), 9);
    assert_eq!(
        sessions(&h),
        learned_first,
        "an indication does not move a learned address to another session"
    );
}

/// A torn-down room leaves nothing on the worker: its sessions, their addresses and what the room
/// was told.
#[test]
fn an_ended_room_leaves_nothing_behind() {
    let mut h = Harness::new();
    h.bind(0, 11);
    h.rule(1, Some(true));
    assert_eq!(h.sessions().len(), 2);
    let _guard = h.runtime.enter();
    let end = Command::End { room: ROOM.into() };
    h.worker.command(end, Instant::now());
    assert!(h.sessions().is_empty());
    assert!(!learned(&h, 11));
    assert!(h.worker.rooms.is_empty());
}
