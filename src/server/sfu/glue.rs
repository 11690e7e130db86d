//! How the server starts its media worker and hands it what rooms ask (the hub's
//! [`MediaServer`]), and which address browsers are told to reach it at.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;

use super::pool::Pool;
use super::{Command, Sfu, SfuConfig};
use crate::server::config::Config;
use crate::server::hub::{MediaServer, Tx};
use crate::server::room::Media;

impl MediaServer for Sfu {
    fn command(&self, room: &str, cmd: Media, reply: Option<Tx>) {
        let room = room.to_string();
        let cmd = match cmd {
            Media::Signal { peer, data } => {
                // Signals come from connected members, who have a queue; without one there is
                // nobody to answer.
                let Some(reply) = reply else { return };
                Command::Signal {
                    room,
                    peer,
                    data,
                    reply,
                }
            }
            Media::Audio { peer, allowed } => Command::Audio {
                room,
                peer,
                allowed,
            },
            Media::Screen { peer, allowed } => Command::Screen {
                room,
                peer,
                allowed,
            },
            Media::Leave { peer } => Command::Leave { room, peer },
            Media::View { peer, tiles } => Command::View { room, peer, tiles },
        };
        self.send(cmd);
    }

    fn end_room(&self, room: &str) {
        self.send(Command::End { room: room.into() });
    }
}

/// Starts the media worker if `config` lets rooms grow past a mesh (`None` otherwise).
pub fn start(config: &Config) -> std::io::Result<Option<Arc<dyn MediaServer>>> {
    if !config.media_server() {
        return Ok(None);
    }
    let advertised = config.media_address.unwrap_or_else(outward_address);
    // A loopback address is only reachable from this machine: listen there only.
    let listen = if advertised.is_loopback() {
        advertised
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    };
    let bind = SocketAddr::new(listen, config.udp_port);
    let workers = config.media_workers();
    let config = SfuConfig {
        bind,
        advertised,
        fixed_budget: None,
    };
    let pool = Pool::start(&config, workers)?;
    if advertised.is_loopback() {
        tracing::warn!(
            %advertised,
            "media server reachable from this machine only; set --media-address for classes"
        );
    }
    Ok(Some(Arc::new(pool)))
}

/// The address of the interface this machine reaches the internet through, as routing picks it
/// for a documentation address (connecting a UDP socket sends nothing); 127.0.0.1 without a route.
fn outward_address() -> IpAddr {
    let probe = || {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
        socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
        socket.local_addr().map(|a| a.ip())
    };
    probe()
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Quality, Tile};
    use std::sync::atomic::AtomicBool;
    use tokio::sync::mpsc;

    #[test]
    fn a_view_reaches_the_worker_as_is() {
        let (commands, mut worker) = mpsc::unbounded_channel();
        let sfu = Sfu {
            commands,
            local_addr: "127.0.0.1:9".parse().unwrap(),
            gone: Arc::new(AtomicBool::new(false)),
        };
        let tiles = vec![Tile {
            peer: 3,
            quality: Quality::Low,
        }];
        let view = Media::View {
            peer: 2,
            tiles: tiles.clone(),
        };
        sfu.command("r", view, None);
        match worker.try_recv() {
            Ok(Command::View {
                room,
                peer,
                tiles: got,
            }) => {
                assert_eq!((room.as_str(), peer, got), ("r", 2, tiles));
            }
            other => panic!("expected a view command, got {other:?}"),
        }
    }
}
