//! Which source addresses the worker learns for a session, from STUN binding requests.
//!
//! A learned address routes every later datagram from it (DTLS, SRTP, RTCP) to its session. Two
//! rules keep one member from taking another's: the request must be one the named session accepts
//! (our ufrag and its password's MESSAGE-INTEGRITY), and an address stays with a connected session
//! that proved it within [`FRESH`](super::demux::FRESH) (its browser's checks keep coming from there). The second is
//! needed because a member holds its own session's password: a check it signed, sent from a
//! spoofed source (another member's address), passes the first rule. It is bounded in time so that
//! an address a session no longer uses (a released TURN allocation, an old NAT mapping, a network
//! it left) is free for whoever is given it next.

use std::net::SocketAddr;
use std::time::Instant;

use str0m::Input;

use super::demux::SessionId;
use super::guard;
use super::worker::Worker;

impl Worker {
    /// Whether STUN `input` from `source` may reach session `id`; if so, `source` is now its.
    pub(super) fn learn(
        &mut self,
        id: SessionId,
        source: SocketAddr,
        input: &Input,
        now: Instant,
    ) -> bool {
        if !self.stun_accepted(id, input) || self.held_by_another(id, source, now) {
            return false;
        }
        self.demux.learn(source, id, now)
    }

    /// Whether session `id` accepts STUN `input`: every member reads its USERNAME in our answer,
    /// and a Binding Indication or forged request from a spoofed source re-pointed another
    /// member's address to the sender's session. Only the `Rtc` the ufrag names is asked: O(1).
    fn stun_accepted(&mut self, id: SessionId, input: &Input) -> bool {
        let session = self.sessions.get(&id);
        let accepted = session.map(|s| guard(s.peer, || s.rtc.accepts(input)));
        if accepted == Some(Err(())) {
            self.remove_session(id);
        }
        accepted == Some(Ok(true))
    }

    /// Whether `source` belongs to another session whose connection (ICE, DTLS, SRTP) is up and
    /// whose browser checked from there within [`FRESH`](super::demux::FRESH). A browser that moves or reconnects keeps
    /// its session (new addresses are learned afresh) or replaces it (a new connection ends the old
    /// session and its addresses), so no real browser needs to take such an address.
    fn held_by_another(&self, id: SessionId, source: SocketAddr, now: Instant) -> bool {
        let holder = self.demux.fresh_holder(source, id, now);
        holder
            .and_then(|other| self.sessions.get(&other))
            .is_some_and(|s| s.rtc.is_connected())
    }
}
