//! What to do about a peer connection that failed or never connects. Pure: the engine asks with
//! what the browser reports and does the answer.
//!
//! `restartIce()` mends the path under a connection (a new network, a lost NAT mapping) but keeps
//! its DTLS association. A connection whose DTLS handshake failed — its ICE transport is not
//! `failed`, yet the connection is — stays failed through any number of restarts: on a starved
//! machine a late joiner's link to the media peer went failed → connecting → failed for minutes and
//! never showed anyone. The media peer takes an offer from a new connection as a new media session
//! (docs/protocol.md, "Media topology"), so such a link is replaced instead; so is one that a
//! restart did not bring back. A mesh link is only ever restarted: replacing it would need both
//! browsers to agree on it.
//!
//! A handshake can also just never finish: with its DTLS records lost, Chromium keeps the
//! connection `connecting` (ICE `connected`) for minutes, retransmitting with growing pauses. So a
//! link to the media peer that is not `connected` [`CONNECT_DEADLINE_MS`] after it was made is
//! replaced too.

/// How long a new link to the media peer may take to connect. On a quiet machine it connects well
/// under a second after the join; the deadline leaves a starved one plenty of room, and Chromium
/// itself gives up on ICE after ~30 s without an answer.
pub const CONNECT_DEADLINE_MS: i32 = 30_000;

/// The answer to a failed connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    /// `restartIce()` on the same connection.
    RestartIce,
    /// Close it and offer from a new `RTCPeerConnection`.
    NewConnection,
}

/// For a connection that became `failed`: whether it goes `to_media_peer`, whether its ICE
/// transport failed too (`iceConnectionState == "failed"`), and whether ICE was already restarted
/// since the connection last was `connected`.
pub fn on_failed(to_media_peer: bool, ice_failed: bool, restarted: bool) -> Recovery {
    if to_media_peer && (!ice_failed || restarted) {
        Recovery::NewConnection
    } else {
        Recovery::RestartIce
    }
}

/// At [`CONNECT_DEADLINE_MS`] after a link was made: whether to replace it, if it goes
/// `to_media_peer` and is not `connected` (nor closed) by then. A connection that got through once
/// and was lost later is the restarts' (above), not this.
pub fn on_connect_deadline(to_media_peer: bool, ever_connected: bool) -> Option<Recovery> {
    (to_media_peer && !ever_connected).then_some(Recovery::NewConnection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_path_is_restarted_first() {
        assert_eq!(on_failed(true, true, false), Recovery::RestartIce);
        assert_eq!(on_failed(false, true, false), Recovery::RestartIce);
    }

    #[test]
    fn a_failed_handshake_to_the_media_peer_gets_a_new_connection() {
        // ICE still works (`disconnected` or `connected`): only DTLS can have failed, and a
        // restart keeps the failed DTLS association.
        assert_eq!(on_failed(true, false, false), Recovery::NewConnection);
    }

    #[test]
    fn a_restart_that_did_not_help_is_followed_by_a_new_connection() {
        assert_eq!(on_failed(true, true, true), Recovery::NewConnection);
    }

    #[test]
    fn a_media_link_that_never_connected_is_replaced_at_the_deadline() {
        assert_eq!(
            on_connect_deadline(true, false),
            Some(Recovery::NewConnection)
        );
        assert_eq!(on_connect_deadline(true, true), None, "connected once");
        assert_eq!(on_connect_deadline(false, false), None, "a mesh link");
    }

    #[test]
    fn a_mesh_link_is_only_ever_restarted() {
        for ice_failed in [false, true] {
            for restarted in [false, true] {
                assert_eq!(
                    on_failed(false, ice_failed, restarted),
                    Recovery::RestartIce
                );
            }
        }
    }
}
