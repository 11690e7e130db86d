//! What the flags mean for the server: durations, the room capacity, TURN, report times.

use std::time::Duration;

use super::Config;
use crate::report_time::UtcOffset;
use crate::server::turn::TurnRest;

impl Config {
    /// How long a connection may stay without joining a room.
    pub fn join_timeout(&self) -> Duration {
        Duration::from_secs(self.join_timeout_secs)
    }

    /// Whether the media server runs: rooms may grow past a mesh.
    pub fn media_server(&self) -> bool {
        self.mesh_size < self.room_capacity
    }

    /// How many media workers run: `--media-workers`, else one per CPU core.
    pub fn media_workers(&self) -> usize {
        match self.media_workers {
            Some(n) => n.into(),
            None => std::thread::available_parallelism().map_or(1, |n| n.get().min(64)),
        }
    }

    /// Most admitted members of a room: the capacity, or the mesh size without a media server.
    pub fn capacity(&self) -> usize {
        let cap = if self.media_server() {
            self.room_capacity
        } else {
            self.mesh_size
        };
        cap.min(self.room_capacity).into()
    }

    /// The grace period of a lost connection, in the rooms' milliseconds.
    pub fn resume_grace_ms(&self) -> crate::protocol::UnixMillis {
        i64::try_from(self.resume_grace_secs)
            .unwrap_or(300)
            .saturating_mul(1000)
    }

    /// The offset for attendance times: `--report-utc-offset`, else the machine's current one.
    pub fn report_offset(&self) -> UtcOffset {
        self.report_utc_offset
            .unwrap_or_else(|| UtcOffset(chrono::Local::now().offset().local_minus_utc() / 60))
    }

    /// The TURN service with per-participant credentials, when `--turn-url` and `--turn-secret`
    /// are given.
    pub fn turn(&self) -> Option<TurnRest> {
        let secret = self.turn_secret.clone()?;
        (!self.turn_urls.is_empty())
            .then(|| TurnRest::new(self.turn_urls.clone(), secret, self.turn_ttl_secs))
    }

    /// How long a client may take to send a request's headers.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs)
    }

    /// Time between two WebSocket pings.
    pub fn ws_ping(&self) -> Duration {
        Duration::from_secs(self.ws_ping_secs)
    }

    /// Silence after which a connection is lost; also the longest a write may take.
    pub fn ws_idle(&self) -> Duration {
        Duration::from_secs(self.ws_idle_secs)
    }
}
