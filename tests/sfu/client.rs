//! A synthetic browser for the media worker: an ordinary (non-lite) str0m `Rtc` on its own UDP
//! socket, signalling through `Command::Signal` with its own reply queue, as the hub would.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use classroom::protocol::{PeerId, SdpType, ServerMsg, Signal, MEDIA_PEER};
use classroom::server::hub::queue;
use classroom::server::sfu::{Command, Sfu};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind, MediaTime, Mid, Rid};
use str0m::media::{Simulcast, SimulcastLayer};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};

/// A VP8 keyframe header (frame tag + start code + 320×240), then filler.
const VP8_KEY: [u8; 10] = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
/// A VP8 interframe tag, then filler.
const VP8_DELTA: [u8; 3] = [0x11, 0x02, 0x00];

/// The longest queue a shaped inbound link holds before it drops.
const QUEUE: Duration = Duration::from_millis(250);

/// Payload bytes per frame of each simulcast layer: at 30 frames/s about 40, 150 and 600 kbit/s.
fn layer_size(rid: &str) -> usize {
    match rid {
        "l" => 150,
        "m" => 600,
        _ => 2400,
    }
}

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
    /// SDP of every offer the media peer sent.
    pub offers: Vec<String>,
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
            offers: Vec::new(),
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

    /// One turn: signaling, then media out, then the network, then timers.
    pub fn step(&mut self, sfu: &dyn Signaling) {
        while let Ok(msg) = self.replies.try_recv() {
            let ServerMsg::Signal {
                from: MEDIA_PEER,
                data: Signal::Description { sdp_type, sdp },
            } = msg
            else {
                panic!("unexpected message {msg:?}");
            };
            match sdp_type {
                SdpType::Answer => {
                    let pending = self.pending.take().expect("an answer to our offer");
                    let answer = SdpAnswer::from_sdp_string(&sdp).unwrap();
                    self.rtc.sdp_api().accept_answer(pending, answer).unwrap();
                }
                SdpType::Offer => {
                    self.offers.push(sdp.clone());
                    let offer = SdpOffer::from_sdp_string(&sdp).unwrap();
                    let answer = self.rtc.sdp_api().accept_offer(offer).unwrap();
                    self.signal(sfu, SdpType::Answer, answer.to_sdp_string());
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        self.write_media();
        self.poll();
        let mut buf = [0u8; 2000];
        while let Ok((n, source)) = self.socket.recv_from(&mut buf) {
            let now = Instant::now();
            let at = match self.inbound_bps {
                None => now,
                Some(bps) => {
                    let start = self.link_free.max(now);
                    if start - now > QUEUE {
                        continue; // the queue is full: dropped
                    }
                    self.link_free = start + Duration::from_micros(n as u64 * 8_000_000 / bps);
                    self.link_free
                }
            };
            self.inbound.push_back((at, buf[..n].to_vec(), source));
        }
        while self
            .inbound
            .front()
            .is_some_and(|(at, ..)| *at <= Instant::now())
        {
            let (at, datagram, source) = self.inbound.pop_front().unwrap();
            let Ok(contents) = datagram.as_slice().try_into() else {
                continue;
            };
            let input = Input::Receive(
                at,
                Receive {
                    proto: Protocol::Udp,
                    source,
                    destination: self.local,
                    contents,
                },
            );
            self.rtc.handle_input(input).unwrap();
            self.poll();
        }
        if self.next <= Instant::now() {
            self.rtc
                .handle_input(Input::Timeout(Instant::now()))
                .unwrap();
            self.poll();
        }
    }

    fn poll(&mut self) {
        loop {
            match self.rtc.poll_output().unwrap() {
                Output::Timeout(t) => return self.next = t,
                Output::Transmit(t) => {
                    let _ = self.socket.send_to(&t.contents, t.destination);
                }
                Output::Event(Event::MediaAdded(m)) => {
                    let stream = self.rtc.media(m.mid).unwrap().stream_id().to_owned();
                    self.received.insert(m.mid, (stream, m.kind, 0, 0));
                }
                Output::Event(Event::MediaData(d)) => {
                    if let Some(entry) = self.received.get_mut(&d.mid) {
                        entry.2 += 1;
                        entry.3 = d.data.last().copied().unwrap_or(0);
                        if entry.1 == MediaKind::Video {
                            self.video_log.push((Instant::now(), entry.3));
                        }
                    }
                }
                Output::Event(Event::KeyframeRequest(req)) => {
                    self.keyframe_requests += 1;
                    match req.rid {
                        Some(rid) => {
                            self.owed_layers.insert((req.mid, rid));
                        }
                        None => self.keyframe_owed = true,
                    }
                }
                Output::Event(_) => {}
            }
        }
    }

    /// Opus-sized audio every 20 ms and a VP8 frame every 33 ms on each sending m-line; the last
    /// byte of every frame is this client's `marker`.
    fn write_media(&mut self) {
        if !self.rtc.is_connected() {
            return;
        }
        let now = Instant::now();
        let due = |last: Option<Instant>, every: u64| {
            last.is_none_or(|t| now - t >= Duration::from_millis(every))
        };
        let (audio_due, video_due) = (due(self.last_audio, 20), due(self.last_video, 33));
        let video_due = video_due && !self.camera_held;
        let elapsed = (now - self.started).as_micros() as u64;
        let level = self.audio_level;
        let camera = self
            .sending
            .iter()
            .find(|(_, k)| *k == MediaKind::Video)
            .map(|s| s.0);
        for (mid, kind) in self.sending.clone() {
            if kind == MediaKind::Video && video_due {
                if Some(mid) == camera && !self.layers.is_empty() {
                    self.write_layers(mid, now, elapsed, false);
                    continue;
                }
                if Some(mid) != camera && !self.screen_layers.is_empty() {
                    self.write_layers(mid, now, elapsed, true);
                    continue;
                }
            }
            let Some(mut writer) = self.rtc.writer(mid) else {
                continue;
            };
            if let (MediaKind::Audio, Some(level)) = (kind, level) {
                writer = writer.audio_level(level, level > -50);
            }
            let (codec, time, mut frame) = match kind {
                MediaKind::Audio if audio_due => (
                    Codec::Opus,
                    MediaTime::new(elapsed * 48 / 1000, Frequency::FORTY_EIGHT_KHZ),
                    vec![0xfc; 60],
                ),
                MediaKind::Video if video_due => {
                    let head: &[u8] = if self.keyframe_owed {
                        &VP8_KEY
                    } else {
                        &VP8_DELTA
                    };
                    (
                        Codec::Vp8,
                        MediaTime::new(elapsed * 90 / 1000, Frequency::NINETY_KHZ),
                        [head, &[7; 200]].concat(),
                    )
                }
                _ => continue,
            };
            frame.push(self.marker);
            let Some(pt) = writer
                .payload_params()
                .find(|p| p.spec().codec == codec)
                .map(|p| p.pt())
            else {
                continue;
            };
            writer.write(pt, now, time, frame).unwrap();
        }
        if audio_due {
            self.last_audio = Some(now);
        }
        if video_due {
            self.last_video = Some(now);
            self.keyframe_owed = false;
        }
    }

    /// One frame on each simulcast layer, of the layer's size, ending with the rid's letter (in
    /// upper case for a `screen`).
    fn write_layers(&mut self, mid: Mid, now: Instant, elapsed: u64, screen: bool) {
        let time = MediaTime::new(elapsed * 90 / 1000, Frequency::NINETY_KHZ);
        let layers = if screen {
            self.screen_layers.clone()
        } else {
            self.layers.clone()
        };
        for rid in layers {
            let owed = self.owed_layers.remove(&(mid, Rid::from(rid)));
            let key = self.keyframe_owed || owed;
            let head: &[u8] = if key { &VP8_KEY } else { &VP8_DELTA };
            let size = if self.still { 20 } else { layer_size(rid) };
            let mut frame = [head, &vec![7; size]].concat();
            let letter = rid.as_bytes()[0];
            frame.push(if screen {
                letter.to_ascii_uppercase()
            } else {
                letter
            });
            // A screen share's m-line has no writer until its offer is answered.
            let Some(writer) = self.rtc.writer(mid) else {
                return;
            };
            let pt = writer
                .payload_params()
                .find(|p| p.spec().codec == Codec::Vp8)
                .map(|p| p.pt())
                .unwrap();
            writer
                .rid(Rid::from(rid))
                .write(pt, now, time, frame)
                .unwrap();
        }
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

    /// Frames received per msid stream and kind.
    pub fn frames(&self, stream: &str, kind: MediaKind) -> usize {
        self.received
            .values()
            .filter(|(s, k, ..)| s == stream && *k == kind)
            .map(|e| e.2)
            .sum()
    }
}

/// Step every client for `time`.
pub fn run(sfu: &dyn Signaling, clients: &mut [&mut Client], time: Duration) {
    let end = Instant::now() + time;
    while Instant::now() < end {
        for client in clients.iter_mut() {
            client.step(sfu);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
