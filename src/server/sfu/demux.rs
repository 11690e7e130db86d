//! Which session a datagram belongs to: by source address, else (STUN) by our ufrag.
//!
//! Addresses are learned from STUN binding requests that their session accepts (checked by the
//! worker), before ICE nominates anything: a browser's DTLS ClientHello follows its first
//! successful check within a millisecond, and asking `Rtc::accepts` about the ClientHello itself
//! would refuse it until nomination — the ClientHello is then lost and retransmitted
//! a second later. Routing by the STUN-learned address is what makes join → first media ~30 ms.
//!
//! What one session can make the map hold is bounded: [`MAX_HELD`] addresses at once (the oldest
//! goes) and [`MAX_LEARNED`] distinct ones in its life, since str0m also keeps each new source as
//! a peer-reflexive candidate, in a list it searches for every new one.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The worker's number for one media session (a new browser connection gets a new one).
pub type SessionId = u64;

/// How long after its session's last accepted check an address is still that session's alone
/// (`learn.rs`): a browser checks its path every few seconds (Chrome ~2.5 s, RFC 7675 ~5 s).
pub const FRESH: Duration = Duration::from_secs(15);

/// Addresses one session holds at once: a browser uses one path, and tries a few at first.
pub const MAX_HELD: usize = 8;

/// Distinct addresses one session may learn in its life (a new connection is a new session).
pub const MAX_LEARNED: u32 = 32;

/// Address → session and ufrag → session.
#[derive(Debug, Default)]
pub struct Demux {
    by_addr: HashMap<SocketAddr, Learned>,
    by_ufrag: HashMap<String, SessionId>,
    held: HashMap<SessionId, Held>,
}

/// Whose an address is, and when that session last proved it (an accepted STUN check).
#[derive(Debug, Clone, Copy)]
struct Learned {
    session: SessionId,
    at: Instant,
}

/// One session's addresses, oldest first, and how many it has learned in all.
#[derive(Debug, Default)]
struct Held {
    addrs: VecDeque<SocketAddr>,
    learned: u32,
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

    /// A STUN request `session` accepted came from `addr` at `now`: later DTLS/RTP from there is
    /// its. `false` (nothing learned) once the session has learned [`MAX_LEARNED`] addresses.
    pub fn learn(&mut self, addr: SocketAddr, session: SessionId, now: Instant) -> bool {
        if let Some(known) = self.by_addr.get_mut(&addr) {
            if known.session == session {
                known.at = now;
                return true;
            }
        }
        let held = self.held.entry(session).or_default();
        if held.learned >= MAX_LEARNED {
            return false;
        }
        held.learned += 1;
        held.addrs.push_back(addr);
        let evicted = match held.addrs.len() > MAX_HELD {
            true => held.addrs.pop_front(),
            false => None,
        };
        if let Some(previous) = self.by_addr.insert(addr, Learned { session, at: now }) {
            if let Some(h) = self.held.get_mut(&previous.session) {
                h.addrs.retain(|a| *a != addr);
            }
        }
        if let Some(old) = evicted {
            self.forget(old, session);
        }
        true
    }

    /// The session other than `claimant` that `addr` belongs to and that proved it (an accepted
    /// check from there) less than [`FRESH`] before `now`: whether it may keep it is `learn.rs`'s.
    pub fn fresh_holder(
        &self,
        addr: SocketAddr,
        claimant: SessionId,
        now: Instant,
    ) -> Option<SessionId> {
        let held = self.by_addr.get(&addr)?;
        (held.session != claimant && now.saturating_duration_since(held.at) < FRESH)
            .then_some(held.session)
    }

    /// The session for a datagram from `addr` whose STUN USERNAME (if any) starts with `ufrag`.
    pub fn route(&self, addr: SocketAddr, ufrag: Option<&str>) -> Option<SessionId> {
        // A STUN request names its session; trust that over the address, which may be stale.
        ufrag
            .and_then(|u| self.by_ufrag.get(u).copied())
            .or_else(|| self.by_addr.get(&addr).map(|l| l.session))
    }

    /// Forget everything of `session` (O(its addresses)).
    pub fn remove(&mut self, session: SessionId) {
        if let Some(held) = self.held.remove(&session) {
            for addr in held.addrs {
                self.forget(addr, session);
            }
        }
        self.by_ufrag.retain(|_, s| *s != session);
    }

    /// Drop `addr` from the map if it is still `session`'s.
    fn forget(&mut self, addr: SocketAddr, session: SessionId) {
        if self
            .by_addr
            .get(&addr)
            .is_some_and(|l| l.session == session)
        {
            self.by_addr.remove(&addr);
        }
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
        demux.learn(addr(5000), 2, Instant::now());
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
        demux.learn(addr(5000), 1, Instant::now());
        demux.learn(addr(5001), 1, Instant::now());
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

    /// Found in review: every accepted check from a new source added an address for good (and
    /// str0m a candidate), so one member cycling through its ports grew both without end.
    #[test]
    fn a_session_holds_few_addresses_and_learns_a_bounded_number() {
        let mut demux = Demux::default();
        let now = Instant::now();
        for port in 0..MAX_HELD as u16 + 3 {
            assert!(demux.learn(addr(6000 + port), 1, now));
        }
        assert_eq!(demux.addresses(), MAX_HELD, "the oldest went");
        assert_eq!(demux.route(addr(6000), None), None);
        assert_eq!(demux.route(addr(6010), None), Some(1));
        assert!(
            demux.learn(addr(6010), 1, now),
            "a known one is only refreshed"
        );
        for port in 11..MAX_LEARNED as u16 {
            assert!(demux.learn(addr(6000 + port), 1, now));
        }
        assert!(!demux.learn(addr(7000), 1, now), "past the life-long bound");
        assert_eq!(demux.route(addr(7000), None), None);
        assert!(
            demux.learn(addr(7000), 2, now),
            "another session is not bound by it"
        );
        demux.remove(1);
        assert_eq!(demux.addresses(), 1);
    }

    #[test]
    fn an_address_taken_over_leaves_its_old_session_clean() {
        let mut demux = Demux::default();
        let t0 = Instant::now();
        demux.learn(addr(5000), 1, t0);
        let later = t0 + FRESH;
        assert!(demux.learn(addr(5000), 2, later));
        assert_eq!(demux.fresh_holder(addr(5000), 1, later), Some(2));
        demux.remove(1);
        assert_eq!(
            demux.route(addr(5000), None),
            Some(2),
            "not removed with session 1"
        );
    }

    /// Found in review: an address stayed its session's for as long as that session lived, so one
    /// it no longer used (a released TURN allocation, an old NAT mapping) was closed to the next
    /// browser given it. It is held only while its session keeps checking from there.
    #[test]
    fn an_address_is_held_only_while_its_session_keeps_proving_it() {
        let mut demux = Demux::default();
        let t0 = Instant::now();
        demux.learn(addr(5000), 1, t0);
        let soon = t0 + FRESH - Duration::from_millis(1);
        assert_eq!(demux.fresh_holder(addr(5000), 2, soon), Some(1));
        assert_eq!(demux.fresh_holder(addr(5000), 1, soon), None, "its own");
        assert_eq!(demux.fresh_holder(addr(5000), 2, t0 + FRESH), None, "stale");
        demux.learn(addr(5000), 1, t0 + FRESH);
        let later = t0 + FRESH + Duration::from_secs(1);
        assert_eq!(
            demux.fresh_holder(addr(5000), 2, later),
            Some(1),
            "proved again"
        );
        assert_eq!(demux.fresh_holder(addr(5001), 2, later), None, "nobody's");
    }
}
