//! A bound on the remote ICE candidates a member may hand its media session.
//!
//! The media peer is ICE-lite: it learns a browser's address from the STUN checks the browser
//! sends, so a remote candidate is a hint it never needs. str0m keeps every distinct remote
//! candidate in a list and adds each new one after a search of that list, so an admitted member
//! sending thousands of made-up candidates (trickled, or as `a=candidate` lines of its offers and
//! answers) would grow it without end and stall the worker, and with it every room's media. A
//! browser has a handful; past [`MAX_REMOTE_CANDIDATES`] distinct ones, more are dropped.

use std::borrow::Cow;

/// Distinct remote candidates one session takes, over its whole life: host, reflexive and relay
/// candidates of a few interfaces, with room for ICE restarts.
pub const MAX_REMOTE_CANDIDATES: usize = 32;

/// The distinct candidates a session has taken so far.
#[derive(Default)]
pub struct RemoteCandidates {
    seen: Vec<String>,
}

impl RemoteCandidates {
    /// Whether `candidate` (its SDP attribute value) may go to str0m: one seen before (str0m
    /// drops the repeat itself), or a new one within the bound.
    pub fn admit(&mut self, candidate: &str) -> bool {
        let candidate = candidate.trim();
        if self.seen.iter().any(|c| c == candidate) {
            return true;
        }
        if self.seen.len() >= MAX_REMOTE_CANDIDATES {
            return false;
        }
        self.seen.push(candidate.to_owned());
        true
    }

    /// `sdp` without the `a=candidate` lines [`Self::admit`] refuses (unchanged if it refuses
    /// none).
    pub fn bound<'a>(&mut self, sdp: &'a str) -> Cow<'a, str> {
        let refused = |this: &mut Self, line: &str| {
            line.strip_prefix("a=candidate:")
                .is_some_and(|_| !this.admit(&line["a=".len()..]))
        };
        if !sdp
            .split('\n')
            .any(|line| refused(self, line.trim_end_matches('\r')))
        {
            return Cow::Borrowed(sdp);
        }
        let kept: Vec<&str> = sdp
            .split_inclusive('\n')
            .filter(|line| !refused(self, line.trim_end_matches(['\r', '\n'])))
            .collect();
        Cow::Owned(kept.concat())
    }

    /// How many distinct candidates were taken.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(port: u32) -> String {
        format!("candidate:1 1 udp 2122260223 192.0.2.7 {port} typ host")
    }

    #[test]
    fn repeats_pass_and_new_ones_stop_at_the_bound() {
        let mut seen = RemoteCandidates::default();
        for port in 0..100 {
            seen.admit(&candidate(port));
        }
        assert_eq!(seen.len(), MAX_REMOTE_CANDIDATES);
        assert!(seen.admit(&candidate(3)), "a repeat still passes");
        assert!(!seen.admit(&candidate(99)));
    }

    #[test]
    fn a_description_keeps_its_other_lines_and_loses_candidates_past_the_bound() {
        let mut seen = RemoteCandidates::default();
        let mut sdp = String::from("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        for port in 0..40 {
            sdp.push_str(&format!("a={}\r\n", candidate(port)));
        }
        sdp.push_str("a=mid:0\r\n");
        let bounded = seen.bound(&sdp);
        assert_eq!(
            bounded.matches("a=candidate:").count(),
            MAX_REMOTE_CANDIDATES
        );
        assert!(bounded.starts_with("v=0\r\nm=audio") && bounded.ends_with("a=mid:0\r\n"));
        // The same description again: all repeats, nothing changes.
        let again = format!("v=0\r\na={}\r\n", candidate(0));
        assert!(matches!(seen.bound(&again), Cow::Borrowed(_)));
    }
}
