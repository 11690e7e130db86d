//! Command-line flags and environment variables (`classroom --help`).

use std::net::SocketAddr;

use clap::Parser;

use crate::protocol::IceServer;

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

    /// Most participants in one room's call. A mesh call sends every stream to everyone, so a
    /// browser uploads (capacity - 1) copies of its video: keep this small.
    #[arg(long, env = "CLASSROOM_ROOM_CAPACITY", default_value_t = 6,
          value_parser = clap::value_parser!(u16).range(2..=50))]
    pub room_capacity: u16,

    /// A STUN or TURN server handed to browsers, as a URL (`stun:host:3478`,
    /// `turn:user:password@host:3478`). Repeat the flag for several; none by default.
    #[arg(long = "ice-server", env = "CLASSROOM_ICE_SERVERS", value_delimiter = ',',
          value_parser = parse_ice_server)]
    pub ice_servers: Vec<IceServer>,

    /// The site's address as users reach it, for the links shown after creating a room (e.g.
    /// `https://class.example.org` behind a proxy). Default: the scheme and host of the request.
    #[arg(long, env = "CLASSROOM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Log filter in tracing's syntax, e.g. `info` or `classroom=debug,tower_http=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log: String,

    /// Write logs as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "CLASSROOM_LOG_JSON")]
    pub log_json: bool,
}

/// Parses `scheme:[user:credential@]host[:port][?query]` into an ICE server entry.
pub fn parse_ice_server(raw: &str) -> Result<IceServer, String> {
    let (scheme, rest) = raw
        .split_once(':')
        .filter(|(s, _)| matches!(*s, "stun" | "stuns" | "turn" | "turns"))
        .ok_or_else(|| format!("`{raw}` must start with stun:, stuns:, turn: or turns:"))?;
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (Some(auth), host),
        None => (None, rest),
    };
    if host.is_empty() {
        return Err(format!("`{raw}` has no host"));
    }
    let (username, credential) = match auth.map(|a| a.split_once(':')) {
        None => (None, None),
        Some(Some((u, c))) => (Some(u.to_string()), Some(c.to_string())),
        Some(None) => return Err(format!("`{raw}`: credentials must be user:password@host")),
    };
    Ok(IceServer {
        urls: vec![format!("{scheme}:{host}")],
        username,
        credential,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ice_server_urls_parse_with_and_without_credentials() {
        let stun = parse_ice_server("stun:stun.example.org:3478").unwrap();
        assert_eq!(stun.urls, vec!["stun:stun.example.org:3478"]);
        assert_eq!(stun.username, None);
        let turn = parse_ice_server("turn:ann:s3cret@turn.example.org:3478?transport=tcp").unwrap();
        assert_eq!(turn.urls, vec!["turn:turn.example.org:3478?transport=tcp"]);
        assert_eq!(turn.username.as_deref(), Some("ann"));
        assert_eq!(turn.credential.as_deref(), Some("s3cret"));
        assert!(parse_ice_server("http://x").is_err());
        assert!(parse_ice_server("turn:ann@host").is_err());
        assert!(parse_ice_server("stun:").is_err());
    }

    #[test]
    fn defaults_are_sane() {
        let c = Config::try_parse_from(["classroom"]).unwrap();
        assert_eq!(c.room_capacity, 6);
        assert!(c.ice_servers.is_empty());
        assert!(Config::try_parse_from(["classroom", "--room-capacity", "1"]).is_err());
    }
}
