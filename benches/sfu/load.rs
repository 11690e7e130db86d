//! One SFU and the synthetic clients on it, grown phase by phase; a phase joins its new members,
//! waits for their first video, lets the load settle, then measures and prints one table row.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use classroom::protocol::PeerId;
use classroom::server::sfu::{Command, Sfu, SfuConfig};
use tokio::runtime::Runtime;

use crate::client::Client;
use crate::stats::{spread, Stats};
pub use crate::stats::{Settings, Window, HEADER};
use crate::{heap, procfs};

/// How long the new members may take to get their first video before the phase goes on.
const JOIN_WAIT: Duration = Duration::from_secs(15);

/// A client task's own stop and its counters.
type Running = (Arc<AtomicBool>, Arc<Stats>);

pub struct Load<'a> {
    runtime: &'a Runtime,
    settings: Settings,
    sfu: Sfu,
    epoch: Instant,
    stop: Arc<AtomicBool>,
    /// Per client (room, peer): its own stop and its counters, for [`Load::renew`].
    clients: Mutex<HashMap<(String, PeerId), Running>>,
    receivers: Vec<Arc<Stats>>,
    rooms: usize,
    /// Video streams the SFU should forward: Σ over receivers of the video publishers they see.
    streams: usize,
}

impl<'a> Load<'a> {
    /// A new SFU on loopback (its own `sfu-worker` thread) and no clients yet.
    pub fn start(runtime: &'a Runtime, settings: Settings) -> Load<'a> {
        let sfu = Sfu::start(SfuConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            advertised: Ipv4Addr::LOCALHOST.into(),
            fixed_budget: settings.budget,
        })
        .expect("the SFU starts");
        Load {
            runtime,
            settings,
            sfu,
            epoch: Instant::now(),
            stop: Arc::new(AtomicBool::new(false)),
            clients: Mutex::default(),
            receivers: Vec::new(),
            rooms: 0,
            streams: 0,
        }
    }

    pub fn rooms(&self) -> usize {
        self.rooms
    }

    /// The SFU, for commands the scenario sends as the hub would (views).
    pub fn sfu(&self) -> &Sfu {
        &self.sfu
    }

    /// What this run was started with (join gap, budget).
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The name [`Load::new_room`] gave last.
    pub fn last_room(&self) -> String {
        format!("r{}", self.rooms.saturating_sub(1))
    }

    /// A name for one more room, counted in [`Load::rooms`].
    pub fn new_room(&mut self) -> String {
        self.rooms += 1;
        format!("r{}", self.rooms - 1)
    }

    /// The SFU should forward `streams` more video streams (Σ over receivers of cameras shown).
    pub fn expect_streams(&mut self, streams: usize) {
        self.streams += streams;
    }

    /// Joins `peer` to `room` on a task of the generator runtime; a publisher's camera is sent as
    /// the simulcast `layers`, or as one stream if empty, and its screen as the `screen` layers
    /// (none: no screen shared).
    pub fn spawn(
        &self,
        room: &str,
        peer: u64,
        publish: bool,
        layers: &[(&str, usize)],
        screen: &[(&str, usize)],
    ) -> Arc<Stats> {
        if publish {
            // The hub allows a member's audio by the room's speaking rules; here everyone may.
            self.allow_audio(room, peer, true);
        }
        if !screen.is_empty() {
            // As the hub does for a member whose `media.screen` is on.
            let room = room.to_owned();
            self.sfu.send(Command::Screen {
                room,
                peer,
                allowed: true,
            });
        }
        self.spawn_client(room, peer, publish, layers, screen)
    }

    /// The hub's speaking rule for `peer` (it holds for the member's sessions to come).
    pub fn allow_audio(&self, room: &str, peer: PeerId, allowed: bool) {
        let room = room.to_owned();
        self.sfu.send(Command::Audio {
            room,
            peer,
            allowed,
        });
    }

    /// [`spawn`](Self::spawn) without telling the SFU the speaking rule.
    pub fn spawn_client(
        &self,
        room: &str,
        peer: u64,
        publish: bool,
        layers: &[(&str, usize)],
        screen: &[(&str, usize)],
    ) -> Arc<Stats> {
        let _inside = self.runtime.enter();
        let client = Client::join(&self.sfu, room, peer, publish, layers, screen, self.epoch);
        let stats = client.stats();
        let own = Arc::new(AtomicBool::new(false));
        let stops = [self.stop.clone(), own.clone()];
        self.runtime.spawn(client.run(self.sfu.clone(), stops));
        let mut clients = self.clients.lock().expect("not poisoned");
        clients.insert((room.to_owned(), peer), (own, stats.clone()));
        stats
    }

    /// `peer`'s browser replaces its media connection (a new `RTCPeerConnection`, so a new DTLS
    /// fingerprint, as after a failed link or a server restart): the old client stops first — a
    /// browser closes the old connection before it offers from the new one, and one WebSocket
    /// keeps its signals in order — then a new one publishes `layers` and takes the old one's
    /// place among the receivers.
    pub fn renew(&mut self, room: &str, peer: PeerId, layers: &[(&str, usize)]) -> Arc<Stats> {
        let key = (room.to_owned(), peer);
        let old = self.clients.lock().expect("not poisoned").remove(&key);
        if let Some((stop, _)) = &old {
            stop.store(true, Relaxed);
            std::thread::sleep(crate::client::IDLE + Duration::from_millis(50));
        }
        // The speaking rule is the room's: the hub does not send it again for a new session.
        let fresh = self.spawn_client(room, peer, true, layers, &[]);
        let stats = old.map(|(_, stats)| stats);
        if let Some(slot) = self
            .receivers
            .iter_mut()
            .find(|r| stats.as_ref().is_some_and(|s| Arc::ptr_eq(r, s)))
        {
            *slot = fresh.clone();
        }
        fresh
    }

    /// Runs `add`, waits for the new receivers' first video, then measures one row; returns
    /// what each receiver got meanwhile.
    pub fn phase(&mut self, label: &str, add: impl FnOnce(&mut Self) -> Vec<Arc<Stats>>) -> Window {
        let (rss0, heap0) = (procfs::rss_kib("self"), heap::unmarked());
        let fresh = add(self);
        let deadline = Instant::now() + JOIN_WAIT;
        while Instant::now() < deadline && fresh.iter().any(|s| s.first_video_us().is_none()) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let joins: Vec<u32> = fresh
            .iter()
            .filter_map(|s| s.first_video_us())
            .map(|t| t as u32)
            .collect();
        let (rss1, heap1) = (procfs::rss_kib("self"), heap::unmarked());
        // A renewed client already took its predecessor's place.
        for s in &fresh {
            if !self.receivers.iter().any(|r| Arc::ptr_eq(r, s)) {
                self.receivers.push(s.clone());
            }
        }
        std::thread::sleep(self.settings.warmup);

        let worker = procfs::threads_named("sfu-worker");
        let generators = procfs::threads_named("sfu-gen");
        let cpu = |dirs: &[String]| dirs.iter().map(|d| procfs::cpu_secs(d)).sum::<f64>();
        let counts = |r: &[Arc<Stats>]| {
            r.iter().fold([0u64; 4], |a, s| {
                let c = s.counts();
                [a[0] + c[0], a[1] + c[1], a[2] + c[2], a[3] + c[3]]
            })
        };
        for s in &self.receivers {
            drop((s.take_delays(), s.take_sources()));
        }
        let (start, w0, g0, c0) = (
            Instant::now(),
            cpu(&worker),
            cpu(&generators),
            counts(&self.receivers),
        );
        std::thread::sleep(self.settings.measure);
        let (secs, w1, g1, c1) = (
            start.elapsed().as_secs_f64(),
            cpu(&worker),
            cpu(&generators),
            counts(&self.receivers),
        );
        let sources = self.receivers.iter().map(|s| s.take_sources()).collect();
        let delays: Vec<u32> = self
            .receivers
            .iter()
            .flat_map(|s| s.take_delays())
            .collect();

        let worker_core = (w1 - w0) / secs;
        let video_fps = (c1[2] - c0[2]) as f64 / secs;
        let delivered = video_fps / (self.streams as f64 * 30.0);
        let new = fresh.len().max(1) as f64;
        println!(
            "| {label} | {} | {:.1} % | {:.1} % | {:.0} | {:.0} / {:.0} KiB | {:.0}, {:.1} | {:.1} % | {} | {} ({}/{} got video) | {} |",
            self.streams,
            worker_core * 100.0,
            (g1 - g0) / secs * 100.0,
            self.streams as f64 * delivered / worker_core,
            rss1.saturating_sub(rss0) as f64 / new,
            (heap1 - heap0) as f64 / 1024.0 / new,
            (c1[0] - c0[0]) as f64 / secs,
            (c1[1] - c0[1]) as f64 * 8.0 / secs / 1e6,
            delivered * 100.0,
            spread(delays),
            spread(joins.clone()),
            joins.len(),
            fresh.len(),
            procfs::load_average(),
        );
        Window { secs, sources }
    }

    /// Stops every client and waits for the SFU worker thread to end.
    pub fn finish(self) {
        self.stop.store(true, Relaxed);
        drop(self.sfu);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && !procfs::threads_named("sfu-worker").is_empty() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
