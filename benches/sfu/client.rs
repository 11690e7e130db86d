//! A synthetic browser for the SFU benchmark: the essentials of `tests/sfu/client.rs` (an
//! ordinary, non-lite str0m `Rtc` on its own UDP socket, signalling as the hub would), made a
//! tokio task that sleeps until a datagram, a signal or a timer is due, so that a few generator
//! threads carry hundreds of them without spinning.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use classroom::protocol::{PeerId, SdpType, ServerMsg, Signal, MEDIA_PEER};
use classroom::server::hub::queue;
use classroom::server::sfu::{Command, Sfu};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Mid, Rid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::net::UdpSocket;

use crate::media;
use crate::stats::Stats;

// The publishing half: frames due, simulcast layers, keyframes owed.
#[path = "send.rs"]
mod send;
use send::Sending;

/// Datagrams fed to the `Rtc` before it is polled: fewer polls, frames timed a little later.
const READ_BATCH: usize = 16;

/// One member of a room: publishes audio+video if `publish`, receives what the SFU offers.
pub struct Client {
    room: String,
    peer: PeerId,
    rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    replies: queue::Rx,
    tx: queue::Tx,
    pending: Option<SdpPendingOffer>,
    /// When str0m wants its next timeout.
    next: Instant,
    /// What this client sends, one entry per m-line.
    sending: Vec<Sending>,
    /// When the next frames are due; `None` until connected.
    due: Option<(Instant, Instant)>,
    /// A keyframe is owed on every layer (the first frames, or a request without a rid).
    keyframe_owed: bool,
    /// Layers whose keyframe was asked by rid, per m-line.
    owed_layers: HashSet<(Mid, Rid)>,
    epoch: Instant,
    joined: Instant,
    stats: Arc<Stats>,
}

impl Client {
    /// Joins `room` as `peer` (call inside the generator runtime): offers camera + microphone
    /// (`publish`) or receive-only audio and video, as a browser does. A publisher's camera is
    /// sent as the simulcast `layers` (rid, frame size; lowest first), or as one stream if empty;
    /// a publisher with `screen` layers also shares its screen, in a stream of its own.
    pub fn join(
        sfu: &Sfu,
        room: &str,
        peer: PeerId,
        publish: bool,
        layers: &[(&str, usize)],
        screen: &[(&str, usize)],
        epoch: Instant,
    ) -> Client {
        let now = Instant::now();
        let mut rtc = Rtc::builder().build(now);
        let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("a UDP port");
        std_socket.set_nonblocking(true).unwrap();
        let local = std_socket.local_addr().unwrap();
        rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
        let mut change = rtc.sdp_api();
        let sending = send::offer_media(&mut change, peer, publish, layers, screen);
        let (offer, pending) = change.apply().expect("an offer");
        let (tx, replies) = queue::channel(64);
        let client = Client {
            room: room.to_owned(),
            peer,
            rtc,
            socket: UdpSocket::from_std(std_socket).expect("inside the generator runtime"),
            local,
            replies,
            tx,
            pending: Some(pending),
            next: now,
            sending,
            due: None,
            keyframe_owed: true,
            owed_layers: HashSet::new(),
            epoch,
            joined: now,
            stats: Arc::new(Stats::default()),
        };
        client.signal(sfu, SdpType::Offer, offer.to_sdp_string());
        client
    }

    /// The counters this client fills while it runs.
    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    fn signal(&self, sfu: &Sfu, sdp_type: SdpType, sdp: String) {
        sfu.send(Command::Signal {
            room: self.room.clone(),
            peer: self.peer,
            data: Signal::Description { sdp_type, sdp },
            reply: self.tx.clone(),
        });
    }

    /// Runs until either stop (the whole load's or this client's; checked at least every
    /// 200 ms) or the `Rtc` fails.
    pub async fn run(mut self, sfu: Sfu, stops: [Arc<AtomicBool>; 2]) {
        let mut buf = vec![0u8; 2048];
        while !stops.iter().any(|s| s.load(Relaxed)) && self.rtc.is_alive() {
            let now = Instant::now();
            if self.next <= now {
                let _ = self.rtc.handle_input(Input::Timeout(now));
            }
            self.write_media(now);
            self.poll();
            let media = self.due.map_or(now + IDLE, |(a, v)| a.min(v));
            let wake = self.next.min(media).min(now + IDLE);
            tokio::select! {
                _ = self.socket.readable() => {
                    for _ in 0..READ_BATCH {
                        let Ok((n, source)) = self.socket.try_recv_from(&mut buf) else { break };
                        self.receive(&buf[..n], source);
                    }
                }
                Some(out) = self.replies.recv() => {
                    if let queue::Outbound::Msg(msg) = out {
                        self.negotiate(&sfu, *msg);
                    }
                }
                _ = tokio::time::sleep_until(wake.into()) => {}
            }
        }
    }

    fn receive(&mut self, datagram: &[u8], source: SocketAddr) {
        let Ok(contents) = datagram.try_into() else {
            return;
        };
        self.stats.datagram(datagram.len());
        let input = Input::Receive(
            Instant::now(),
            Receive {
                proto: Protocol::Udp,
                source,
                destination: self.local,
                contents,
            },
        );
        let _ = self.rtc.handle_input(input);
    }

    /// Answers the media peer's offers; takes its answer to ours.
    fn negotiate(&mut self, sfu: &Sfu, msg: ServerMsg) {
        let ServerMsg::Signal {
            from: MEDIA_PEER,
            data: Signal::Description { sdp_type, sdp },
        } = msg
        else {
            return;
        };
        let api = self.rtc.sdp_api();
        match sdp_type {
            SdpType::Answer => {
                if let (Some(pending), Ok(answer)) =
                    (self.pending.take(), SdpAnswer::from_sdp_string(&sdp))
                {
                    api.accept_answer(pending, answer)
                        .expect("the SFU's answer");
                }
            }
            SdpType::Offer => {
                let offer = SdpOffer::from_sdp_string(&sdp).expect("the SFU's offer");
                let answer = api.accept_offer(offer).expect("an answer");
                self.signal(sfu, SdpType::Answer, answer.to_sdp_string());
            }
            _ => {}
        }
    }

    fn poll(&mut self) {
        while let Ok(output) = self.rtc.poll_output() {
            match output {
                Output::Timeout(t) => return self.next = t,
                Output::Transmit(t) => {
                    let _ = self.socket.try_send_to(&t.contents, t.destination);
                }
                Output::Event(Event::MediaData(d)) => {
                    let video = d.params.spec().codec == Codec::Vp8;
                    let now = self.micros(Instant::now());
                    let joined = self.micros(self.joined);
                    self.stats.frame(video, now, media::untag(&d.data), joined);
                }
                Output::Event(Event::KeyframeRequest(req)) => match req.rid {
                    Some(rid) => {
                        self.owed_layers.insert((req.mid, rid));
                    }
                    None => self.keyframe_owed = true,
                },
                Output::Event(_) => {}
            }
        }
    }

    fn micros(&self, t: Instant) -> u64 {
        t.saturating_duration_since(self.epoch).as_micros() as u64
    }
}

/// Longest sleep: how late a client notices `stop`.
pub const IDLE: Duration = Duration::from_millis(200);
