//! Command-line flags and environment variables (`classroom --help`); what they mean for the
//! server is in `config/derived.rs`, and `--ice-server`'s syntax in `config/ice.rs`.

mod derived;
mod ice;
#[cfg(test)]
mod tests;

pub use ice::parse_ice_server;

use std::net::SocketAddr;

use clap::builder::TypedValueParser;
use clap::Parser;

use crate::protocol::IceServer;
use crate::report_time::UtcOffset;
use crate::server::turn::{self, TurnSecret};

/// Classroom: self-hosted classroom video calls.
#[derive(Clone, Debug, Parser)]
#[command(name = "classroom", version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "CLASSROOM_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// SQLite database; the file and its folder are created if missing.
    #[arg(
        long,
        env = "CLASSROOM_DATABASE_URL",
        default_value = "sqlite://data/classroom.db"
    )]
    pub database_url: String,

    /// Most participants admitted to one room's call, teachers included. Past `--mesh-size` their
    /// media goes through the built-in media server (SFU).
    #[arg(long, env = "CLASSROOM_ROOM_CAPACITY", default_value_t = 40,
          value_parser = clap::value_parser!(u16).range(2..=100))]
    pub room_capacity: u16,

    /// Most participants whose browsers send media to each other directly (a mesh: each browser
    /// uploads one copy of its video per other participant). One more and the room moves to the
    /// media server for the rest of its session. At or above `--room-capacity` the media server is
    /// not started and rooms hold at most this many.
    #[arg(long, env = "CLASSROOM_MESH_SIZE", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=12))]
    pub mesh_size: u16,

    /// First UDP port of the media server: its worker `i` takes `udp-port + i` (all its WebRTC
    /// traffic); 0 gives each worker any free port.
    #[arg(long, env = "CLASSROOM_UDP_PORT", default_value_t = 10000)]
    pub udp_port: u16,

    /// Media server threads, each with its own UDP port; a room's media stays on one. Default:
    /// one per CPU core.
    #[arg(long, env = "CLASSROOM_MEDIA_WORKERS",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub media_workers: Option<u16>,

    /// The address browsers reach the media server's UDP port at (put in its ICE candidate). By
    /// default the address of the interface that routes outward, else 127.0.0.1.
    #[arg(long, env = "CLASSROOM_MEDIA_ADDRESS")]
    pub media_address: Option<std::net::IpAddr>,

    /// A STUN or TURN server handed to browsers, as a URL (`stun:host:3478`,
    /// `turn:user:password@host:3478`). Repeat the flag for several; none by default.
    #[arg(long = "ice-server", env = "CLASSROOM_ICE_SERVERS", value_delimiter = ',',
          value_parser = parse_ice_server)]
    pub ice_servers: Vec<IceServer>,

    /// A TURN server that checks shared-secret credentials (coturn `use-auth-secret`), as a URL
    /// without credentials (`turn:turn.example.org:3478`, `turns:turn.example.org:443?transport=tcp`).
    /// Repeat the flag for several. Needs `--turn-secret`; each participant gets their own
    /// credentials in `joined`.
    #[arg(long = "turn-url", env = "CLASSROOM_TURN_URLS", value_delimiter = ',',
          value_parser = turn::parse_url, requires = "turn_secret")]
    pub turn_urls: Vec<String>,

    /// The secret shared with the TURN server (coturn's `static-auth-secret`). Prefer the
    /// environment variable: command lines are visible to every user of the machine in `ps`.
    #[arg(long, env = "CLASSROOM_TURN_SECRET", hide_env_values = true,
          value_parser = turn::parse_secret, requires = "turn_urls")]
    pub turn_secret: Option<TurnSecret>,

    /// Seconds TURN credentials stay valid (the longest a participant can newly reach the relay
    /// after joining); at most 86400 (a day), larger values are taken as 86400.
    #[arg(long = "turn-ttl", env = "CLASSROOM_TURN_TTL", default_value_t = turn::DEFAULT_TTL_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub turn_ttl_secs: u64,

    /// The site's address as users reach it, for the links shown after creating a room (e.g.
    /// `https://class.example.org` behind a proxy). Default: the scheme and host of the request.
    #[arg(long, env = "CLASSROOM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Another site allowed to open signaling connections and post forms here (e.g. an LMS page
    /// embedding the room list), as an origin like `https://lms.example.org`. Repeatable. The site
    /// itself (`--public-url`, or the host a request was sent to) is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "CLASSROOM_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// Most open connections (HTTP and WebSocket) in total; keep it below the open-files limit.
    #[arg(long, env = "CLASSROOM_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,

    /// Most open connections from one client address (an IPv6 /64 counts as one). A school behind
    /// one NAT shares an address: a browser in a call holds a WebSocket and a few HTTP connections.
    #[arg(
        long,
        env = "CLASSROOM_MAX_CONNECTIONS_PER_IP",
        default_value_t = 2_000
    )]
    pub max_connections_per_ip: usize,

    /// Behind a reverse proxy: charge room creation to the address the proxy puts last in
    /// `X-Forwarded-For`, not to the proxy. (Connection caps still count the proxy's connections:
    /// raise `--max-connections-per-ip` there and limit per client at the proxy.)
    #[arg(long, env = "CLASSROOM_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Rooms one client address may create per minute (it may create that many at once, too).
    #[arg(long, env = "CLASSROOM_ROOMS_PER_MINUTE", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rooms_per_minute: u32,

    /// Days a room may stay unused (nobody in it) before it is closed; 0 keeps rooms forever.
    #[arg(long, env = "CLASSROOM_ROOM_IDLE_DAYS", default_value_t = 30)]
    pub room_idle_days: u32,

    /// Seconds a new signaling connection has to send its `join` before it is closed.
    #[arg(long = "join-timeout", env = "CLASSROOM_JOIN_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub join_timeout_secs: u64,

    /// Seconds a participant whose connection was lost keeps their place (and attendance) while
    /// their browser reconnects and resumes; after that the others see them leave.
    #[arg(long = "resume-grace", env = "CLASSROOM_RESUME_GRACE", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub resume_grace_secs: u64,

    /// Seconds a client has to send a request's headers (also how long an idle keep-alive
    /// connection stays open).
    #[arg(long = "header-timeout", env = "CLASSROOM_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub header_timeout_secs: u64,

    /// Bytes tungstenite reserves to read each WebSocket, and reads at most at once. Most
    /// signaling messages are a few hundred bytes; a description takes a few reads (and the buffer
    /// grows to hold it). Hidden: for benchmarks (docs/BENCHMARKS.md).
    #[arg(long, env = "CLASSROOM_WS_READ_BUFFER", default_value_t = 1024, hide = true,
          value_parser = clap::value_parser!(u64).range(64..=1024 * 1024).map(|v| v as usize))]
    pub ws_read_buffer: usize,

    /// Seconds between the server's WebSocket pings (hidden: tests use small values).
    #[arg(long = "ws-ping-secs", env = "CLASSROOM_WS_PING_SECS", default_value_t = 5, hide = true,
          value_parser = clap::value_parser!(u64).range(1..=60))]
    pub ws_ping_secs: u64,

    /// Seconds of silence (not even a pong) after which a connection counts as lost, and the
    /// longest a write may take (hidden: tests use small values).
    #[arg(long = "ws-idle-secs", env = "CLASSROOM_WS_IDLE_SECS", default_value_t = 15, hide = true,
          value_parser = clap::value_parser!(u64).range(2..=300))]
    pub ws_idle_secs: u64,

    /// More connections than this lost to silence within one second are logged at `warn`
    /// (hidden: tests use small values).
    #[arg(
        long = "ws-mass-drop",
        env = "CLASSROOM_WS_MASS_DROP",
        default_value_t = 20,
        hide = true
    )]
    pub ws_mass_drop: u32,

    /// Log filter in tracing's syntax, e.g. `info` or `classroom=debug,tower_http=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log: String,

    /// Write logs as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "CLASSROOM_LOG_JSON")]
    pub log_json: bool,

    /// Minutes an administrator session stays open without being used.
    #[arg(long, env = "CLASSROOM_ADMIN_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub admin_idle_minutes: u64,

    /// Hours an administrator session stays open at most, used or not.
    #[arg(long, env = "CLASSROOM_ADMIN_SESSION_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u64).range(1..=720))]
    pub admin_session_hours: u64,

    /// The UTC offset attendance reports (admin pages, CSV files) give times in, like `+09:00`.
    /// Default: the server machine's local offset at the moment of the request.
    #[arg(long, env = "CLASSROOM_REPORT_UTC_OFFSET", value_parser = UtcOffset::parse)]
    pub report_utc_offset: Option<UtcOffset>,

    /// A one-off task instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// One-off tasks (`classroom admin set-password`).
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Administrator tasks.
    Admin {
        #[command(subcommand)]
        action: crate::server::admin::cli::AdminCommand,
    },
}
