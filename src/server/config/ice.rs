//! The syntax of `--ice-server`: the STUN and TURN servers browsers are told to use.

use crate::protocol::IceServer;

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
}
