//! The media worker driven by hand, without its thread: the entry point of the fuzz target
//! `sfu_packet` (fuzz/fuzz_targets/sfu_packet.rs), which throws datagrams and signals at it.
//!
//! Datagrams are handed to the worker as its socket loop would hand them, from loopback sources
//! only: what the worker sends back goes to `127.0.0.1` ports below 1024 where nothing listens.
//! Two members have live sessions from the start (real str0m offers), so a STUN request can name
//! a session by its ufrag, and one signed with the session's password (`binding.rs`) teaches the
//! worker its source address, after which DTLS- and RTP-shaped bytes from there reach its `Rtc`.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use crate::server::hub::queue;
use str0m::media::{Direction, MediaKind};
use str0m::Rtc;

use super::worker::Worker;
use super::{demux, sdp, Command};
use crate::protocol::{PeerId, SdpType, ServerMsg, Signal};
use binding::Credentials;

const ROOM: &str = "fuzz";

/// A worker with two live sessions, and the replies it sent.
pub struct Harness {
    runtime: tokio::runtime::Runtime,
    worker: Worker,
    replies: queue::Rx,
    tx: queue::Tx,
    /// What the browsers of the two live sessions know: our ufrag and password, and theirs.
    ice: Vec<Credentials>,
}

impl Harness {
    /// A worker bound to `127.0.0.1:0` with members 1 and 2 in room `fuzz`.
    pub fn new() -> Harness {
        str0m::crypto::from_feature_flags().install_process_default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let socket = runtime.block_on(tokio::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)));
        let socket = socket.expect("a loopback socket");
        let host = socket.local_addr().expect("its address");
        let worker = Worker::new(socket, host);
        // Replies are drained after every step; the queue only has to hold one step's worth.
        let (tx, replies) = queue::channel(1024);
        let mut harness = Harness {
            runtime,
            worker,
            replies,
            tx,
            ice: Vec::new(),
        };
        for peer in [1, 2] {
            let offer = client_offer();
            harness.signal(peer, SdpType::Offer, offer.clone());
            let answer = harness.drain().into_iter().find_map(|m| match m {
                ServerMsg::Signal {
                    data: Signal::Description { sdp, .. },
                    ..
                } => Some(sdp),
                _ => None,
            });
            let answer = answer.expect("the worker answers a str0m offer");
            let pwd = answer
                .lines()
                .find_map(|l| l.trim().strip_prefix("a=ice-pwd:"));
            harness.ice.push(Credentials {
                ufrag: sdp::ice_ufrag(&answer).expect("our ufrag").to_owned(),
                pwd: pwd.expect("our password").to_owned(),
                remote: sdp::ice_ufrag(&offer)
                    .expect("the client's ufrag")
                    .to_owned(),
            });
        }
        harness
    }

    /// Our ICE ufrag of live session `n` (0 or 1, wrapping).
    pub fn ufrag(&self, n: usize) -> &str {
        &self.ice[n % self.ice.len()].ufrag
    }

    /// Teach the worker that live session `n` (wrapping) is at `127.0.0.1:<port>` with the STUN
    /// binding request its browser would send from there (the fuzzer cannot forge its message
    /// integrity). Nothing is learned once that session was replaced by another offer.
    pub fn bind(&mut self, n: usize, port: u16) {
        let request = binding::request(&self.ice[n % self.ice.len()]);
        self.datagram(&request, port);
    }

    /// One datagram from `127.0.0.1:<port>` (ports 1–1023: nothing listens there).
    pub fn datagram(&mut self, bytes: &[u8], port: u16) {
        let source = source(port);
        let _guard = self.runtime.enter();
        let mut unknown = Vec::new();
        self.worker.datagram(bytes, source, &mut unknown);
        for (bytes, source) in unknown {
            self.worker.datagram(&bytes, source, &mut Vec::new());
        }
        self.settle();
    }

    /// A description or candidate from `peer` to the media peer.
    pub fn signal(&mut self, peer: PeerId, sdp_type: SdpType, sdp: String) {
        self.command(peer, Signal::Description { sdp_type, sdp });
    }

    /// Any signal from `peer` to the media peer.
    pub fn command(&mut self, peer: PeerId, data: Signal) {
        let room = ROOM.to_owned();
        let reply = self.tx.clone();
        let _guard = self.runtime.enter();
        let cmd = Command::Signal {
            room,
            peer,
            data,
            reply,
        };
        self.worker.command(cmd, Instant::now());
        self.settle();
    }

    /// The room's speaking rule or a departure.
    pub fn rule(&mut self, peer: PeerId, audio: Option<bool>) {
        let room = ROOM.to_owned();
        let cmd = match audio {
            Some(allowed) => Command::Audio {
                room,
                peer,
                allowed,
            },
            None => Command::Leave { room, peer },
        };
        let _guard = self.runtime.enter();
        self.worker.command(cmd, Instant::now());
        self.settle();
    }

    /// Every session's timer, as if it were due.
    pub fn timeout(&mut self) {
        let _guard = self.runtime.enter();
        self.worker.timeouts(Instant::now());
        self.settle();
    }

    /// A new member offers like a browser; whether the media peer answered it.
    pub fn answers_a_newcomer(&mut self, peer: PeerId) -> bool {
        self.drain();
        self.signal(peer, SdpType::Offer, client_offer());
        self.drain().iter().any(|m| {
            matches!(
                m,
                ServerMsg::Signal {
                    data: Signal::Description {
                        sdp_type: SdpType::Answer,
                        ..
                    },
                    ..
                }
            )
        })
    }

    /// The sessions the worker holds.
    pub fn sessions(&self) -> HashSet<demux::SessionId> {
        self.worker.sessions.keys().copied().collect()
    }

    /// What the media peer sent since the last drain.
    pub fn drain(&mut self) -> Vec<ServerMsg> {
        let mut out = Vec::new();
        while let Ok(msg) = self.replies.try_recv() {
            out.push(msg);
        }
        out
    }

    fn settle(&mut self) {
        let now = Instant::now();
        self.worker.settle(now);
        self.worker.offer_changes();
        self.worker.settle(now);
    }
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

/// `127.0.0.1:<port>` with the port folded into 1–1023.
fn source(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 1 + port % 1023))
}

/// A browser-like first offer: camera and microphone, from a fresh str0m client.
fn client_offer() -> String {
    let mut rtc = Rtc::builder().build(Instant::now());
    let mut change = rtc.sdp_api();
    let stream = Some("cam".to_owned());
    change.add_media(
        MediaKind::Audio,
        Direction::SendOnly,
        stream.clone(),
        None,
        None,
    );
    change.add_media(MediaKind::Video, Direction::SendOnly, stream, None, None);
    let (offer, _) = change.apply().expect("an offer");
    offer.to_sdp_string()
}

mod binding;
#[cfg(test)]
mod tests;
