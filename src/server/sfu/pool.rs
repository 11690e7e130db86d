//! Several media workers, one OS thread and one UDP port each, and the rooms pinned to them
//! (`pins.rs`): what the server runs, so that a machine's cores all carry classes.

mod pins;

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use super::{Sfu, SfuConfig};
use crate::server::hub::{MediaServer, Tx};
use crate::server::metrics;
use crate::server::room::Media;
pub use pins::Pins;

/// The media workers and which rooms each carries. The hub holds it as its [`MediaServer`].
pub struct Pool {
    workers: Vec<Sfu>,
    pins: Mutex<Pins>,
}

impl Pool {
    /// Start `count` workers (at least one). Worker `i` binds `config.bind`'s port + `i`, or any
    /// free port when that port is 0; a port past 65535 or already taken is an error.
    pub fn start(config: &SfuConfig, count: usize) -> std::io::Result<Pool> {
        let count = count.max(1);
        let mut workers = Vec::with_capacity(count);
        for i in 0..count {
            let mut bind = config.bind;
            if bind.port() != 0 {
                let port = u16::try_from(usize::from(bind.port()) + i).map_err(|_| {
                    std::io::Error::other(format!("{count} media workers need ports past 65535"))
                })?;
                bind.set_port(port);
            }
            workers.push(Sfu::start(SfuConfig {
                bind,
                ..config.clone()
            })?);
        }
        Ok(Pool {
            workers,
            pins: Mutex::new(Pins::new(count)),
        })
    }

    /// Each worker's bound UDP address, by index.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.workers.iter().map(Sfu::local_addr).collect()
    }
}

impl MediaServer for Pool {
    fn end_room(&self, room: &str) {
        let ended = {
            let mut pins = self.pins.lock().unwrap_or_else(PoisonError::into_inner);
            pins.end(room).map(|w| (w, pins.members(w)))
        };
        if let Some((worker, members)) = ended {
            metrics::media_members(worker, members);
            if let Some(sfu) = self.workers.get(worker) {
                sfu.end_room(room);
            }
        }
    }

    /// The hub calls this under its lock, so commands are routed and sent one at a time: a room's
    /// departure and a later arrival cannot reach two workers out of order.
    fn command(&self, room: &str, cmd: Media, reply: Option<Tx>) {
        // The bookkeeping cannot panic halfway (no user code runs under the lock), so a poisoned
        // lock still holds consistent pins.
        let (worker, members, owed) = {
            let mut pins = self.pins.lock().unwrap_or_else(PoisonError::into_inner);
            let mut worker = pins.route(room, &cmd);
            // A worker whose thread ended (a panic outside every guard) would swallow the room.
            while let Some(gone) = worker.filter(|&w| !self.workers[w].is_running()) {
                tracing::error!(worker = gone, "media worker gone; its rooms move");
                pins.retire(gone);
                metrics::media_members(gone, 0);
                worker = pins.route(room, &cmd);
            }
            (worker, worker.map(|w| pins.members(w)), pins.owed(room))
        };
        let (Some(worker), Some(members)) = (worker, members) else {
            return;
        };
        metrics::media_members(worker, members);
        if let Some(sfu) = self.workers.get(worker) {
            for right in owed {
                sfu.command(room, right, None);
            }
            sfu.command(room, cmd, reply);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn config(port: u16) -> SfuConfig {
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        SfuConfig {
            bind: SocketAddr::new(ip, port),
            advertised: ip,
            fixed_budget: None,
        }
    }

    #[test]
    fn each_worker_has_its_own_port() {
        let any = Pool::start(&config(0), 3).unwrap().local_addrs();
        let mut ports: Vec<u16> = any.iter().map(SocketAddr::port).collect();
        ports.sort_unstable();
        ports.dedup();
        assert_eq!(ports.len(), 3, "{any:?}");
        // A fixed first port: the next ones follow it, as the firewall rule says. Two free ports
        // in a row are found first (another process could take one meanwhile: very unlikely).
        let base = (20_000..60_000)
            .step_by(7)
            .find(|&p| {
                let both = (
                    std::net::UdpSocket::bind(("127.0.0.1", p)),
                    std::net::UdpSocket::bind(("127.0.0.1", p + 1)),
                );
                both.0.is_ok() && both.1.is_ok()
            })
            .expect("two free ports in a row");
        let pool = Pool::start(&config(base), 2).expect("the workers start");
        let ports: Vec<u16> = pool.local_addrs().iter().map(SocketAddr::port).collect();
        assert_eq!(ports, vec![base, base + 1]);
    }

    #[test]
    fn ports_past_65535_are_refused() {
        let err = Pool::start(&config(65535), 2).err().expect("an error");
        assert!(err.to_string().contains("65535"), "{err}");
    }
}
