//! The worker thread's loop: one UDP socket, the command channel and the sessions' timers, all on
//! a current-thread runtime so that nothing here ever contends for a lock.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use str0m::net::{DatagramRecv, Protocol, Receive};
use str0m::Input;
use tokio::net::UdpSocket;
use tokio::sync::mpsc::UnboundedReceiver;

use super::demux::{Demux, SessionId};
use super::keyframe::Throttle;
use super::meter::Meter;
use super::output::Effect;
use super::select::Viewer;
use super::session::Session;
use super::table::RoomTable;
use super::voices::Voices;
use super::{guard, stun, Command};
use crate::protocol::PeerId;

/// Largest datagram read; anything longer is not WebRTC (the MTU is ~1200–1500) and is dropped.
const MAX_DATAGRAM: usize = 2048;
/// Datagrams read per wake-up before the sessions they touched are polled: one poll per session
/// per batch instead of one per datagram.
const BATCH: usize = 64;
/// Longest sleep when nothing asked for a timeout.
const IDLE: Duration = Duration::from_secs(1);

/// One room as the worker holds it.
#[derive(Default)]
pub(super) struct Room {
    pub table: RoomTable,
    pub throttle: Throttle,
    pub sessions: HashMap<PeerId, SessionId>,
    /// What each incoming track sends (layers and rates).
    pub meters: HashMap<super::table::TrackId, Meter>,
    /// Per member: its view, bandwidth estimate and layer per camera. By peer, not session.
    pub viewers: HashMap<PeerId, Viewer>,
    /// Which microphones are loud enough to be forwarded.
    pub voices: Voices,
}

/// The worker's state.
pub(super) struct Worker {
    pub socket: UdpSocket,
    /// `advertised:port`: our host candidate, and the destination str0m expects on input.
    pub host: SocketAddr,
    pub sessions: HashMap<SessionId, Session>,
    pub rooms: HashMap<Rc<str>, Room>,
    pub demux: Demux,
    pub next_id: SessionId,
    /// Sessions that got input and must be polled.
    pub dirty: Vec<SessionId>,
    pub dirty_set: HashSet<SessionId>,
    /// Sessions whose room table may hold changes for them to offer.
    pub renegotiate: HashSet<SessionId>,
    pub effects: Vec<Effect>,
    /// When layer selection next runs for everyone (rates and estimates drift).
    pub next_select: Instant,
    /// [`super::SfuConfig::fixed_budget`].
    pub fixed_budget: Option<u64>,
}

impl Worker {
    /// A worker on `socket`, whose host candidate is `host`, with no sessions yet.
    pub fn new(socket: UdpSocket, host: SocketAddr) -> Worker {
        Worker {
            socket,
            host,
            sessions: HashMap::new(),
            rooms: HashMap::new(),
            demux: Demux::default(),
            next_id: 1,
            dirty: Vec::new(),
            dirty_set: HashSet::new(),
            renegotiate: HashSet::new(),
            effects: Vec::new(),
            next_select: Instant::now(),
            fixed_budget: None,
        }
    }

    /// Serve until every [`super::Sfu`] handle is dropped.
    pub async fn run(mut self, mut commands: UnboundedReceiver<Command>) {
        let mut buf = vec![0u8; MAX_DATAGRAM + 1];
        loop {
            let deadline = self.deadline();
            tokio::select! {
                biased;
                command = commands.recv() => match command {
                    Some(command) => self.command(command, Instant::now()),
                    None => break,
                },
                read = self.socket.recv_from(&mut buf) => {
                    let mut unknown = Vec::new();
                    if let Ok((n, source)) = read {
                        self.datagram(&buf[..n], source, &mut unknown);
                    }
                    for _ in 1..BATCH {
                        match self.socket.try_recv_from(&mut buf) {
                            Ok((n, source)) => self.datagram(&buf[..n], source, &mut unknown),
                            Err(_) => break,
                        }
                    }
                    if !unknown.is_empty() {
                        // STUN for a ufrag we do not know yet: its session may be in the command
                        // queue. Create it now and retry, rather than wait for the browser's
                        // retransmission (hundreds of ms).
                        while let Ok(command) = commands.try_recv() {
                            self.command(command, Instant::now());
                        }
                        for (datagram, source) in unknown {
                            self.datagram(&datagram, source, &mut Vec::new());
                        }
                    }
                }
                _ = tokio::time::sleep_until(deadline.into()) => {}
            }
            let now = Instant::now();
            self.timeouts(now);
            self.settle(now);
            self.offer_changes();
            self.settle(now);
        }
        tracing::info!("sfu worker stopped: no handle left");
    }

    /// Hand one datagram to its session; an unroutable STUN request is kept in `unknown`.
    pub(super) fn datagram(
        &mut self,
        buf: &[u8],
        source: SocketAddr,
        unknown: &mut Vec<(Vec<u8>, SocketAddr)>,
    ) {
        if buf.len() > MAX_DATAGRAM {
            return;
        }
        let ufrag = stun::local_ufrag(buf);
        let Some(id) = self.demux.route(source, ufrag) else {
            if ufrag.is_some() {
                unknown.push((buf.to_vec(), source));
            }
            return;
        };
        let Ok(contents) = DatagramRecv::try_from(buf) else {
            return;
        };
        let receive = Receive {
            proto: Protocol::Udp,
            source,
            destination: self.host,
            contents,
        };
        let now = Instant::now();
        let input = Input::Receive(now, receive);
        if ufrag.is_some() && !self.learn(id, source, &input, now) {
            return;
        }
        self.with_session(id, |s| {
            // A bad packet is str0m's to discard; it does not end the session.
            if let Err(e) = s.rtc.handle_input(input) {
                tracing::trace!(peer = s.peer, error = %e, "sfu input refused");
            }
        });
    }

    /// Give every session whose timer is due its timeout, and send owed keyframe requests.
    pub(super) fn timeouts(&mut self, now: Instant) {
        let due: Vec<SessionId> = self
            .sessions
            .values()
            .filter(|s| s.next <= now)
            .map(|s| s.id)
            .collect();
        for id in due {
            self.with_session(id, |s| {
                let _ = s.rtc.handle_input(Input::Timeout(now));
            });
        }
        let owed: Vec<_> = self
            .rooms
            .iter_mut()
            .flat_map(|(name, room)| {
                room.throttle
                    .due(now)
                    .into_iter()
                    .map(|t| (name.clone(), t))
            })
            .collect();
        for (room, track) in owed {
            self.send_keyframe_request(&room, track);
        }
        if self.next_select <= now {
            self.next_select = now + super::select::EVERY;
            let rooms: Vec<Rc<str>> = self.rooms.keys().cloned().collect();
            for room in rooms {
                self.reselect_room(&room, now);
                // M-lines long unwanted are parked (`table/park.rs`).
                if let Some(r) = self.rooms.get_mut(&room) {
                    let told = r.table.sweep(now);
                    self.renegotiate_peers(&room, &told);
                }
            }
        }
    }

    /// When the loop must wake up at the latest.
    fn deadline(&self) -> Instant {
        let sessions = self.sessions.values().map(|s| s.next);
        let keyframes = self.rooms.values().filter_map(|r| r.throttle.next());
        let idle = Instant::now() + IDLE;
        sessions
            .chain(keyframes)
            .chain([self.next_select])
            .min()
            .map_or(idle, |t| t.min(idle))
    }

    /// Run `f` on session `id` and mark it for polling. A panic inside ends that session only.
    pub fn with_session(&mut self, id: SessionId, f: impl FnOnce(&mut Session)) {
        let Some(session) = self.sessions.get_mut(&id) else {
            return;
        };
        if guard(session.peer, || f(session)).is_err() {
            self.remove_session(id);
            return;
        }
        self.mark_dirty(id);
    }

    pub fn mark_dirty(&mut self, id: SessionId) {
        if self.dirty_set.insert(id) {
            self.dirty.push(id);
        }
    }
}
