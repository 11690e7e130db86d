//! A synthetic browser for the media worker: an ordinary (non-lite) str0m `Rtc` on its own UDP
//! socket, signalling through `Command::Signal` with its own reply queue, as the hub would.
//!
//! This file: the client's state, joining and signalling, and what it received; the media it
//! sends is in `client/media.rs`, one turn of its event loop in `client/turn.rs`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use classroom::protocol::{PeerId, SdpType, Signal};
use classroom::server::hub::queue;
use classroom::server::sfu::{Command, Sfu};
use str0m::change::SdpPendingOffer;
use str0m::media::MediaTime;
use str0m::media::{Direction, KeyframeRequestKind, MediaKind, Mid, Rid};
use str0m::media::{Simulcast, SimulcastLayer};
use str0m::rtp::Ssrc;
use str0m::{Candidate, Rtc};

#[path = "client/media.rs"]
mod media;
#[path = "client/turn.rs"]
mod turn;

pub use turn::run;

/// The longest queue a shaped inbound link holds before it drops.
const QUEUE: Duration = Duration::from_millis(250);

/// How a synthetic client's signals reach the media peer: straight to the worker, as the hub
/// hands them (`Sfu`), or over a real WebSocket through the whole server (`tests/sfu_signaling.rs`).
pub trait Signaling {
    /// Sends `data` from `peer` of `room` to the media peer; its answers and offers go to `reply`.
    fn signal(&self, room: &str, peer: PeerId, data: Signal, reply: queue::Tx);
}

impl Signaling for Sfu {
    fn signal(&self, room: &str, peer: PeerId, data: Signal, reply: queue::Tx) {
        self.send(Command::Signal {
            room: room.into(),
            peer,
            data,
            reply,
        });
    }
}

pub struct Client {
    pub room: String,
    pub peer: PeerId,
    pub rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    replies: queue::Rx,
    tx: queue::Tx,
    pending: Option<SdpPendingOffer>,
    next: Instant,
    /// The m-lines this client sends on, and what it sends first in each frame.
    pub sending: Vec<(Mid, MediaKind)>,
    pub marker: u8,
    last_audio: Option<Instant>,
    last_video: Option<Instant>,
    started: Instant,
    keyframe_owed: bool,
    /// Simulcast layers the camera is sent as (rids); empty: no simulcast.
    pub layers: Vec<&'static str>,
    /// Layers a keyframe request named since their last keyframe (m-line, rid).
    owed_layers: HashSet<(Mid, Rid)>,
    /// Simulcast layers a screen share is sent as; each layer's frames end with the rid's letter
    /// in upper case. Empty: the screen goes as one stream, ending with `marker`.
    pub screen_layers: Vec<&'static str>,
    /// Inbound link capacity in bit/s (`None`: unlimited): datagrams queue behind it, and are
    /// dropped once the queue holds more than [`QUEUE`] of them, as a congested link does.
    pub inbound_bps: Option<u64>,
    inbound: VecDeque<(Instant, Vec<u8>, SocketAddr)>,
    link_free: Instant,
    /// The RFC 6464 level (dBov) this client's audio frames carry; `None`: no level extension.
    pub audio_level: Option<i8>,
    /// Hold the camera (send audio only), as a browser does until its camera starts.
    pub camera_held: bool,
    /// A still picture: every layer's frames are a few bytes, as a codec makes of an unchanging
    /// image.
    pub still: bool,
    /// Every video frame received: when, and its last byte (publisher's marker or layer rid).
    pub video_log: Vec<(Instant, u8)>,
    /// Per received m-line: its msid stream, its kind, frames received, first byte seen.
    pub received: HashMap<Mid, (String, MediaKind, usize, u8)>,
    /// Keyframe requests this client got as a publisher.
    pub keyframe_requests: usize,
    /// Each received stream, as its first packet came in: its m-line and SSRC.
    pub streams: Vec<(Mid, Ssrc)>,
    /// SDP of every offer the media peer sent.
    pub offers: Vec<String>,
    /// The errors the media peer answered with (a refused signal), in order.
    pub errors: Vec<classroom::protocol::ErrorCode>,
    /// Rewrites the media peer's answers before they are applied, as a modified browser could.
    pub edit_answer: Option<fn(String) -> String>,
    /// The last STUN binding request this client sent (signed with its session's password).
    pub last_stun: Option<Vec<u8>>,
}

impl Client {
    /// A client of `room` as member `peer`; it offers at once: camera+mic (stream `cam-<peer>`)
    /// if `publish`, else receive-only audio and video.
    pub fn join(sfu: &dyn Signaling, room: &str, peer: PeerId, publish: bool) -> Client {
        Client::join_with_layers(sfu, room, peer, publish, &[])
    }

    /// Like [`Client::join`], the camera sent as simulcast `layers` (rids, lowest first); each
    /// layer's frames end with the rid's letter instead of the peer marker.
    pub fn join_with_layers(
        sfu: &dyn Signaling,
        room: &str,
        peer: PeerId,
        publish: bool,
        layers: &[&'static str],
    ) -> Client {
        let now = Instant::now();
        let mut rtc = Rtc::builder().build(now);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let local = socket.local_addr().unwrap();
        rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
        let (tx, replies) = queue::channel(64);
        let mut client = Client {
            room: room.to_owned(),
            peer,
            rtc,
            socket,
            local,
            replies,
            tx,
            pending: None,
            next: now,
            sending: Vec::new(),
            marker: peer as u8,
            last_audio: None,
            last_video: None,
            started: now,
            keyframe_owed: true,
            layers: layers.to_vec(),
            owed_layers: HashSet::new(),
            screen_layers: Vec::new(),
            inbound_bps: None,
            audio_level: None,
            camera_held: false,
            still: false,
            inbound: VecDeque::new(),
            link_free: now,
            video_log: Vec::new(),
            received: HashMap::new(),
            keyframe_requests: 0,
            streams: Vec::new(),
            offers: Vec::new(),
            errors: Vec::new(),
            edit_answer: None,
            last_stun: None,
        };
        let mut change = client.rtc.sdp_api();
        let stream = Some(format!("cam-{peer}"));
        let dir = if publish {
            Direction::SendRecv
        } else {
            Direction::RecvOnly
        };
        let audio = change.add_media(MediaKind::Audio, dir, stream.clone(), None, None);
        let simulcast = (!layers.is_empty()).then(|| {
            let mut simulcast = Simulcast::new();
            for rid in layers {
                simulcast.add_send_layer(SimulcastLayer::new(rid));
            }
            simulcast
        });
        let video = change.add_media(MediaKind::Video, dir, stream, None, simulcast);
        if publish {
            client.sending = vec![(audio, MediaKind::Audio), (video, MediaKind::Video)];
        }
        let (offer, pending) = change.apply().unwrap();
        client.pending = Some(pending);
        client.signal(sfu, SdpType::Offer, offer.to_sdp_string());
        client
    }

    /// Start a screen share: one more video m-line in stream `scr-<peer>`, as simulcast
    /// [`screen_layers`](Self::screen_layers) if any.
    pub fn share_screen(&mut self, sfu: &dyn Signaling) {
        let simulcast = (!self.screen_layers.is_empty()).then(|| {
            let mut simulcast = Simulcast::new();
            for rid in &self.screen_layers {
                simulcast.add_send_layer(SimulcastLayer::new(rid));
            }
            simulcast
        });
        let mut change = self.rtc.sdp_api();
        let mid = change.add_media(
            MediaKind::Video,
            Direction::SendOnly,
            Some(format!("scr-{}", self.peer)),
            None,
            simulcast,
        );
        let (offer, pending) = change.apply().unwrap();
        self.sending.push((mid, MediaKind::Video));
        self.pending = Some(pending);
        self.signal(sfu, SdpType::Offer, offer.to_sdp_string());
    }

    /// Offers again as a browser does (after starting a screen share, say): every m-line it
    /// receives offered `recvonly`, whatever the media peer's last answer made of it.
    pub fn offer_again(&mut self, sfu: &dyn Signaling) {
        let mut change = self.rtc.sdp_api();
        for mid in self.received.keys() {
            change.set_direction(*mid, Direction::RecvOnly);
        }
        if let Some((offer, pending)) = change.apply() {
            self.pending = Some(pending);
            self.signal(sfu, SdpType::Offer, offer.to_sdp_string());
        }
    }

    pub fn signal(&self, sfu: &dyn Signaling, sdp_type: SdpType, sdp: String) {
        let data = Signal::Description { sdp_type, sdp };
        self.send(sfu, data);
    }

    pub fn send(&self, sfu: &dyn Signaling, data: Signal) {
        sfu.signal(&self.room, self.peer, data, self.tx.clone());
    }

    /// Send raw bytes to the media worker from this client's own address.
    pub fn send_raw(&self, to: SocketAddr, bytes: &[u8]) {
        let _ = self.socket.send_to(bytes, to);
    }

    /// Ask the publisher of received m-line `mid` for a keyframe.
    pub fn request_keyframe(&mut self, mid: Mid) {
        let mut writer = self.rtc.writer(mid).expect("a received m-line");
        writer
            .request_keyframe(None, KeyframeRequestKind::Pli)
            .unwrap();
    }

    /// The layers (last bytes) of the video frames received in the last `window`, counted.
    pub fn recent_video(&self, window: Duration) -> HashMap<u8, usize> {
        let since = Instant::now() - window;
        let mut counts = HashMap::new();
        for (_, marker) in self.video_log.iter().filter(|(at, _)| *at >= since) {
            *counts.entry(*marker).or_insert(0) += 1;
        }
        counts
    }

    /// The RTP time of the last packet received on the newest stream of m-line `mid`, and that
    /// stream's SSRC. Unlike [`Client::frames`] this does not go through str0m's depacketizer,
    /// which drops the frames of an m-line's new SSRC whose sequence numbers fall below the old
    /// one's (docs/protocol.md, "Parked m-lines").
    pub fn newest_stream(&mut self, mid: Mid) -> Option<(Ssrc, Option<MediaTime>)> {
        let &(_, ssrc) = self.streams.iter().rev().find(|(m, _)| *m == mid)?;
        let last = self.rtc.direct_api().stream_rx(&ssrc)?.last_time();
        Some((ssrc, last))
    }

    /// Frames received per msid stream and kind.
    pub fn frames(&self, stream: &str, kind: MediaKind) -> usize {
        self.received
            .values()
            .filter(|(s, k, ..)| s == stream && *k == kind)
            .map(|e| e.2)
            .sum()
    }
}
