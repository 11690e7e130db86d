//! The media worker's packet entry point: datagrams of every shape from loopback addresses —
//! STUN naming a live session by its ufrag (so the worker's own parser and str0m's STUN parser
//! see them), DTLS- and RTP/RTCP-shaped bytes from addresses a session has learned, anything at
//! all — interleaved with timeouts and with the signals a hostile member could send (malformed
//! offers and answers, candidates, departures). Nothing may panic (the fuzzer's panic hook aborts
//! before the worker's `catch_unwind` could hide it), and afterwards the worker must still answer
//! a newcomer's offer.

#![no_main]

use arbitrary::Arbitrary;
use classroom::protocol::{SdpType, Signal};
use classroom::server::sfu::harness::Harness;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    /// A STUN binding request whose USERNAME starts with live session `session`'s ufrag.
    Stun {
        session: u8,
        port: u16,
        id: [u8; 12],
        tail: Vec<u8>,
    },
    /// Session `session` learns the address `port` (as after a valid binding request).
    Bind {
        session: u8,
        port: u16,
    },
    /// A DTLS record (first byte 20–63) from `port`.
    Dtls {
        port: u16,
        first: u8,
        rest: Vec<u8>,
    },
    /// An RTP or RTCP packet (first byte 128–191) from `port`.
    Rtp {
        port: u16,
        first: u8,
        rest: Vec<u8>,
    },
    /// Any bytes from `port`.
    Raw {
        port: u16,
        bytes: Vec<u8>,
    },
    Timeout,
    Describe {
        peer: u8,
        offer: bool,
        sdp: String,
    },
    Candidate {
        peer: u8,
        candidate: String,
        mid: Option<String>,
    },
    Audio {
        peer: u8,
        allowed: bool,
    },
    Leave {
        peer: u8,
    },
}

fn stun(ufrag: &str, id: &[u8; 12], tail: &[u8]) -> Vec<u8> {
    let mut msg = vec![0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
    msg.extend_from_slice(id);
    let name = format!("{ufrag}:fuzz");
    msg.extend_from_slice(&[0, 6]);
    msg.extend_from_slice(&(name.len() as u16).to_be_bytes());
    msg.extend_from_slice(name.as_bytes());
    while msg.len() % 4 != 0 {
        msg.push(0);
    }
    msg.extend_from_slice(tail);
    let body = u16::try_from(msg.len() - 20).unwrap_or(u16::MAX);
    msg[2..4].copy_from_slice(&body.to_be_bytes());
    msg
}

/// Peers 1 and 2 have sessions; 3 and 4 do not.
fn peer(p: u8) -> u64 {
    u64::from(p % 4) + 1
}

fuzz_target!(|ops: Vec<Op>| {
    let mut h = Harness::new();
    for op in ops.into_iter().take(64) {
        match op {
            Op::Stun {
                session,
                port,
                id,
                tail,
            } => {
                let msg = stun(h.ufrag(usize::from(session)), &id, &tail);
                h.datagram(&msg, port);
            }
            Op::Bind { session, port } => h.bind(usize::from(session), port),
            Op::Dtls {
                port,
                first,
                mut rest,
            } => {
                rest.insert(0, 20 + first % 44);
                h.datagram(&rest, port);
            }
            Op::Rtp {
                port,
                first,
                mut rest,
            } => {
                rest.insert(0, 128 + first % 64);
                h.datagram(&rest, port);
            }
            Op::Raw { port, bytes } => h.datagram(&bytes, port),
            Op::Timeout => h.timeout(),
            Op::Describe {
                peer: p,
                offer,
                sdp,
            } => {
                let kind = if offer {
                    SdpType::Offer
                } else {
                    SdpType::Answer
                };
                h.signal(peer(p), kind, sdp);
            }
            Op::Candidate {
                peer: p,
                candidate,
                mid,
            } => {
                let data = Signal::Candidate {
                    candidate,
                    sdp_mid: mid,
                    sdp_m_line_index: Some(0),
                };
                h.command(peer(p), data);
            }
            Op::Audio { peer: p, allowed } => h.rule(peer(p), Some(allowed)),
            Op::Leave { peer: p } => h.rule(peer(p), None),
        }
        h.drain();
    }
    assert!(
        h.answers_a_newcomer(9),
        "the worker no longer answers offers"
    );
});
