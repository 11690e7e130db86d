//! One turn of a synthetic client: the media peer's answers and offers, media out, datagrams in
//! through the shaped inbound link, and str0m's timers; and running several clients for a while.

use std::time::{Duration, Instant};

use classroom::protocol::{SdpType, ServerMsg, Signal, MEDIA_PEER};
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::MediaKind;
use str0m::net::{Protocol, Receive};
use str0m::{Event, Input, Output};

use super::{Client, Signaling, QUEUE};

impl Client {
    /// Ignores the media peer's offers waiting to be read, as an impolite browser whose own offer
    /// crossed them does; keeps the errors.
    pub fn drop_offers(&mut self) {
        while let Ok(msg) = self.replies.try_recv() {
            if let ServerMsg::Error { code, .. } = msg {
                self.errors.push(code);
            }
        }
    }

    /// One turn: signaling, then media out, then the network, then timers.
    pub fn step(&mut self, sfu: &dyn Signaling) {
        while let Ok(msg) = self.replies.try_recv() {
            if let ServerMsg::Error { code, .. } = msg {
                self.errors.push(code);
                continue;
            }
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
                    let sdp = self.edit_answer.map_or(sdp.clone(), |edit| edit(sdp));
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
                    if t.contents.starts_with(&[0, 1]) {
                        self.last_stun = Some(t.contents.to_vec());
                    }
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
                Output::Event(Event::StreamPaused(p)) => {
                    let known = self.streams.iter().any(|(_, s)| *s == p.ssrc);
                    if !p.paused && !known {
                        self.streams.push((p.mid, p.ssrc));
                    }
                }
                Output::Event(_) => {}
            }
        }
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
