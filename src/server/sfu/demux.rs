//! Which session a datagram belongs to: by source address, else (STUN) by our ufrag.
//!
//! Addresses are learned from STUN binding requests that their session accepts (checked by the
//! worker), before ICE nominates anything: a browser's DTLS ClientHello follows its first
//! successful check within a millisecond, and asking `Rtc::accepts` about the ClientHello itself
//! would refuse it until nomination — the ClientHello is then lost and retransmitted
//! a second later. Routing by the STUN-learned address is what makes join → first media ~30 ms.

use std::collections::HashMap;
use std::net::SocketAddr;

/// The worker's number for one media session (a new browser connection gets a new one).
pub type SessionId = u64;

/// Address → session and ufrag → session.
#[derive(Debug, Default)]
pub struct Demux {
    by_addr: HashMap<SocketAddr, SessionId>,
    by_ufrag: HashMap<String, SessionId>,
}

impl Demux {
    /// `session` answers to STUN for our ufrag `ufrag`, and only for it: after an ICE restart its
    /// old ufrag is forgotten (a member restarting ICE over and over would otherwise grow the map).
    pub fn add_session(&mut self, session: SessionId, ufrag: &str) {
        if self.by_ufrag.get(ufrag) == Some(&session) {
            return; // the common case: an offer without a restart
        }
        self.by_ufrag.retain(|_, s| *s != session);
        self.by_ufrag.insert(ufrag.to_owned(), session);
    }

    /// A STUN request for `session` came from `addr`: later DTLS/RTP from there is its. An address
    /// moves to the newest session that used it (a reconnecting browser may reuse its port).
    pub fn learn(&mut self, addr: SocketAddr, session: SessionId) {
        self.by_addr.insert(addr, session);
    }

    /// The session for a datagram from `addr` whose STUN USERNAME (if any) starts with `ufrag`.
    pub fn route(&self, addr: SocketAddr, ufrag: Option<&str>) -> Option<SessionId> {
        // A STUN request names its session; trust that over the address, which may be stale.
        ufrag
            .and_then(|u| self.by_ufrag.get(u))
            .or_else(|| self.by_addr.get(&addr))
            .copied()
    }

    /// Forget everything of `session` (O(addresses): sessions end rarely, datagrams do not).
    pub fn remove(&mut self, session: SessionId) {
        self.by_addr.retain(|_, s| *s != session);
        self.by_ufrag.retain(|_, s| *s != session);
    }

    /// How many addresses are known.
    #[cfg(test)]
    pub fn addresses(&self) -> usize {
        self.by_addr.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn stun_finds_its_session_then_its_address_is_known() {
        let mut demux = Demux::default();
        demux.add_session(1, "aaaa");
        demux.add_session(2, "bbbb");
        assert_eq!(
            demux.route(addr(5000), None),
            None,
            "DTLS from nowhere is dropped"
        );
        assert_eq!(demux.route(addr(5000), Some("bbbb")), Some(2));
        demux.learn(addr(5000), 2);
        assert_eq!(
            demux.route(addr(5000), None),
            Some(2),
            "the ClientHello before nomination"
        );
        assert_eq!(
            demux.route(addr(5000), Some("aaaa")),
            Some(1),
            "the ufrag wins"
        );
        assert_eq!(demux.route(addr(5001), Some("cccc")), None);
    }

    #[test]
    fn a_removed_session_is_unreachable() {
        let mut demux = Demux::default();
        demux.add_session(1, "aaaa");
        demux.learn(addr(5000), 1);
        demux.learn(addr(5001), 1);
        demux.remove(1);
        assert_eq!(demux.route(addr(5000), Some("aaaa")), None);
        assert_eq!(demux.addresses(), 0);
    }

    /// Found in review: each ICE restart's new ufrag was added and the old one kept until the
    /// session ended.
    #[test]
    fn an_ice_restart_replaces_the_sessions_ufrag() {
        let mut demux = Demux::default();
        demux.add_session(1, "aaaa");
        demux.add_session(2, "cccc");
        demux.add_session(1, "bbbb");
        assert_eq!(demux.route(addr(5000), Some("aaaa")), None);
        assert_eq!(demux.route(addr(5000), Some("bbbb")), Some(1));
        assert_eq!(demux.route(addr(5000), Some("cccc")), Some(2));
    }
}
