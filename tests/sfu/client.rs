//! A synthetic browser for the media worker: an ordinary (non-lite) str0m `Rtc` on its own UDP
//! socket, signalling through `Command::Signal` with its own reply queue, as the hub would.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use classroom::protocol::{PeerId, SdpType, ServerMsg, Signal, MEDIA_PEER};
use classroom::server::sfu::{Command, Sfu};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};
use tokio::sync::mpsc;

/// A VP8 keyframe header (frame tag + start code + 320×240), then filler.
const VP8_KEY: [u8; 10] = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00];
/// A VP8 interframe tag, then filler.
const VP8_DELTA: [u8; 3] = [0x11, 0x02, 0x00];

pub struct Client {
    pub room: String,
    pub peer: PeerId,
    pub rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    replies: mpsc::Receiver<ServerMsg>,
    tx: mpsc::Sender<ServerMsg>,
    pending: Option<SdpPendingOffer>,
    next: Instant,
    /// The m-lines this client sends on, and what it sends first in each frame.
    pub sending: Vec<(Mid, MediaKind)>,
    pub marker: u8,
    last_audio: Option<Instant>,
    last_video: Option<Instant>,
    started: Instant,
    keyframe_owed: bool,
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
    pub fn join(sfu: &Sfu, room: &str, peer: PeerId, publish: bool) -> Client {
        let now = Instant::now();
        let mut rtc = Rtc::builder().build(now);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let local = socket.local_addr().unwrap();
        rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
        let (tx, replies) = mpsc::channel(64);
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
        let video = change.add_media(MediaKind::Video, dir, stream, None, None);
        if publish {
            client.sending = vec![(audio, MediaKind::Audio), (video, MediaKind::Video)];
        }
        let (offer, pending) = change.apply().unwrap();
        client.pending = Some(pending);
        client.signal(sfu, SdpType::Offer, offer.to_sdp_string());
        client
    }

    /// Start a screen share: one more video m-line in stream `scr-<peer>`.
    pub fn share_screen(&mut self, sfu: &Sfu) {
        let mut change = self.rtc.sdp_api();
        let mid = change.add_media(
            MediaKind::Video,
            Direction::SendOnly,
            Some(format!("scr-{}", self.peer)),
            None,
            None,
        );
        let (offer, pending) = change.apply().unwrap();
        self.sending.push((mid, MediaKind::Video));
        self.pending = Some(pending);
        self.signal(sfu, SdpType::Offer, offer.to_sdp_string());
    }

    pub fn signal(&self, sfu: &Sfu, sdp_type: SdpType, sdp: String) {
        let data = Signal::Description { sdp_type, sdp };
        self.send(sfu, data);
    }

    pub fn send(&self, sfu: &Sfu, data: Signal) {
        let (room, peer, reply) = (self.room.clone(), self.peer, self.tx.clone());
        sfu.send(Command::Signal {
            room,
            peer,
            data,
            reply,
        });
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
    pub fn step(&mut self, sfu: &Sfu) {
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
            let Ok(contents) = buf[..n].try_into() else {
                continue;
            };
            let input = Input::Receive(
                Instant::now(),
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
                    }
                }
                Output::Event(Event::KeyframeRequest(_)) => {
                    self.keyframe_requests += 1;
                    self.keyframe_owed = true;
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
        let elapsed = (now - self.started).as_micros() as u64;
        for (mid, kind) in self.sending.clone() {
            let Some(writer) = self.rtc.writer(mid) else {
                continue;
            };
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
pub fn run(sfu: &Sfu, clients: &mut [&mut Client], time: Duration) {
    let end = Instant::now() + time;
    while Instant::now() < end {
        for client in clients.iter_mut() {
            client.step(sfu);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
