//! The harness on its own: what the fuzz target does, once, by hand.

use super::*;

/// What the fuzz target does, once, by hand: the harness reaches the sessions and never
/// takes them down with bytes alone.
#[test]
fn stun_for_a_session_then_junk_from_its_address_leaves_it_alive() {
    let mut h = Harness::new();
    let live = h.sessions();
    assert_eq!(live.len(), 2);
    let ufrag = h.ufrag(0).to_owned();
    let mut stun = vec![0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
    stun.extend_from_slice(&[7; 12]);
    let name = format!("{ufrag}:x");
    let len = name.len() as u16;
    stun.extend_from_slice(&[0, 6]);
    stun.extend_from_slice(&len.to_be_bytes());
    stun.extend_from_slice(name.as_bytes());
    while stun.len() % 4 != 0 {
        stun.push(0);
    }
    let body = (stun.len() - 20) as u16;
    stun[2..4].copy_from_slice(&body.to_be_bytes());
    h.datagram(&stun, 7);
    let learned = |h: &Harness| h.worker.demux.route(source(7), None).is_some();
    assert!(
        !learned(&h),
        "without message integrity no address is learned"
    );
    h.bind(0, 7);
    assert!(learned(&h));
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
