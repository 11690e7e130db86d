//! The embedded SFU: the media peer (peer id 0) of rooms whose topology is `sfu`.
//!
//! **Thread and loop.** [`Sfu::start`] binds one UDP socket and spawns the OS thread `sfu-worker`,
//! which runs a current-thread tokio runtime. Its loop `select!`s over the command channel (biased
//! first, so a signal is handled at once), the socket, and the earliest deadline any str0m `Rtc`
//! (or an owed keyframe request, or the half-second layer selection) asked for. A wake-up reads up to 64 datagrams, hands each to its
//! session, then polls only the sessions that got input — each once, until it asks for a timeout
//! — and applies what they produced: frames are written to the subscribers' `Rtc`s (which are
//! polled in turn), keyframe requests go upstream, publications and departures update the room's
//! forwarding table ([`table::RoomTable`]), and sessions whose table changed get an SDP offer.
//! All state lives on that one thread; no locks. The thread ends when the last [`Sfu`] handle is
//! dropped (the command channel closes). The server runs several workers ([`pool::Pool`], one per
//! core by default, each with its own port): every room is pinned to one of them.
//!
//! **Demux.** Every session is ICE-lite with one host candidate, `advertised:port`, so all members
//! share the socket. A datagram is routed by its source address; the address → session map is
//! learned from STUN binding requests, which are routed by the USERNAME's first half (our ufrag,
//! read from our answer) through a ufrag → session map — O(1) per datagram, never str0m's
//! `accepts` over every session — and learned only once that one session accepts the request
//! (USERNAME and MESSAGE-INTEGRITY: an unsigned indication cannot re-point an address), and never taken from another connected session that checked from it lately (`learn.rs`: a member can sign checks for its own session from a spoofed source); a session holds few addresses (`demux.rs`). Learning the address from STUN (not from ICE nomination) is what lets a
//! DTLS ClientHello that arrives before nomination reach its session. STUN for an unknown ufrag
//! is retried once after draining the command queue, in case its session is being created.
//!
//! **Negotiation.** The browser offers first (its tracks); the media peer answers, then offers
//! `sendonly` m-lines for the others' tracks (`a=msid:<peer> …` or `<peer>-screen`) and stops
//! them when their sender leaves (dropping their send streams, which str0m would keep). It is the polite side: a client offer rolls back its pending
//! offer, which is planned again after the answer. A reply that does not fit the member's queue
//! leaves the session waiting for the client's next offer (it re-offers after a resume). An offer
//! with another DTLS fingerprint is a new browser connection and replaces the session.
//!
//! **Safety.** Network input never panics by str0m's design; still, every call into a session
//! runs under `catch_unwind`, and a session that panics or whose `Rtc` dies is removed (its
//! tracks stopped at the others). Audio and screen shares of a member are forwarded only while the
//! hub allows them.
//!
//! **Simulcast.** A camera arrives as up to three layers (`l`, `m`, `h`), a screen share as up to
//! two (`meter.rs` tracks which are arriving and their rates). Each subscriber gets one layer per
//! camera of its `view` and per screen share, chosen
//! by `layers.rs` within the bandwidth str0m estimates towards it (TWCC); `select.rs` re-runs the
//! choice on a view, a new layer, a new route and twice a second, and `switch.rs` changes layers
//! on a keyframe of the new one with continuous timestamps.

mod candidates;
mod commands;
mod demux;
mod forward;
pub mod glue;
#[cfg(any(fuzzing, test))]
pub mod harness;
mod keyframe;
mod layers;
mod learn;
mod meter;
mod negotiate;
mod output;
pub mod pool;
mod sdp;
mod select;
mod session;
mod stun;
mod switch;
mod table;
mod voices;
mod worker;

use std::net::{IpAddr, SocketAddr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::protocol::{PeerId, Signal, Tile};
use crate::server::hub::Tx;

/// Where the media worker listens and what it tells browsers.
#[derive(Clone, Debug)]
pub struct SfuConfig {
    /// UDP bind address; port 0 picks any free port.
    pub bind: SocketAddr,
    /// The address put in the host candidate (`--media-address`): what browsers can reach.
    pub advertised: IpAddr,
    /// Choose layers as if every subscriber had this many bit/s, ignoring its estimate: for tests
    /// of the view → layer rules, which a starved test machine's estimates would otherwise bend.
    /// `None` (the server's setting): each subscriber's own estimate.
    pub fixed_budget: Option<u64>,
}

/// A handle to the media worker; cheap to clone. The worker thread ends when the last handle
/// is dropped.
#[derive(Clone)]
pub struct Sfu {
    commands: mpsc::UnboundedSender<Command>,
    local_addr: SocketAddr,
    /// Set once the worker is found gone, so that it is logged once.
    gone: Arc<AtomicBool>,
}

/// What the hub tells the media worker.
#[derive(Debug)]
pub enum Command {
    /// A signal from member `peer` of `room` to the media peer; answers/offers go to `reply`.
    Signal {
        room: String,
        peer: PeerId,
        data: Signal,
        reply: Tx,
    },
    /// Whether `peer`'s audio is forwarded (the room's speaking rules). Default for a peer never
    /// told: NOT allowed.
    Audio {
        room: String,
        peer: PeerId,
        allowed: bool,
    },
    /// Whether `peer`'s screen share is forwarded (it says it shares, and may). Default for a
    /// peer never told: NOT allowed.
    Screen {
        room: String,
        peer: PeerId,
        allowed: bool,
    },
    /// `peer`'s latest `view` (already cleaned by the room): the cameras it displays and how
    /// large. Kept by peer, so that it outlives a media session replaced by a new connection.
    View {
        room: String,
        peer: PeerId,
        tiles: Vec<Tile>,
    },
    /// `peer` is no longer in the call (left, removed, room ended): drop its session; others'
    /// m-lines for its tracks are stopped by renegotiation.
    Leave { room: String, peer: PeerId },
    /// The room is gone (torn down): drop every session of it and all it was told.
    End { room: String },
}

impl Sfu {
    /// Bind the UDP socket and spawn the worker thread `sfu-worker`.
    pub fn start(config: SfuConfig) -> std::io::Result<Sfu> {
        // Idempotent: the first provider installed in the process stays.
        str0m::crypto::from_feature_flags().install_process_default();
        let socket = std::net::UdpSocket::bind(config.bind)?;
        socket.set_nonblocking(true)?;
        let local_addr = socket.local_addr()?;
        let host = SocketAddr::new(config.advertised, local_addr.port());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (commands, receiver) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("sfu-worker".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let socket = match tokio::net::UdpSocket::from_std(socket) {
                        Ok(socket) => socket,
                        Err(e) => return tracing::error!(error = %e, "sfu socket unusable"),
                    };
                    let mut worker = worker::Worker::new(socket, host);
                    worker.fixed_budget = config.fixed_budget;
                    worker.run(receiver).await;
                })
            })?;
        tracing::info!(%local_addr, advertised = %host, "sfu listening");
        Ok(Sfu {
            commands,
            local_addr,
            gone: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The bound UDP address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Whether the worker thread still takes commands.
    pub fn is_running(&self) -> bool {
        !self.commands.is_closed()
    }

    /// Queue a command for the worker. Never blocks, never panics: the channel is unbounded (the
    /// hub already budgets each member's messages) and a command to a stopped worker is dropped.
    pub fn send(&self, cmd: Command) {
        if self.commands.send(cmd).is_err() && !self.gone.swap(true, Ordering::Relaxed) {
            tracing::error!("sfu worker is gone; media commands are dropped");
        }
    }
}

/// Run `f` for `peer` as a last guard: a panic is logged and reported as `Err`, and the worker
/// lives on (the caller drops that session).
fn guard<T>(peer: PeerId, f: impl FnOnce() -> T) -> Result<T, ()> {
    catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| tracing::error!(peer, "sfu session panicked; dropped"))
}
