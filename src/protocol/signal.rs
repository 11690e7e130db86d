//! WebRTC negotiation payloads (`signal.data`) and the checks the server makes before relaying one.
//!
//! The server validates rather than relaying opaque JSON: a payload that every browser would reject
//! (a candidate with neither `sdp_mid` nor `sdp_m_line_index`, an unknown description type) is
//! refused to its sender with `bad_message`, instead of making the receiver's connection fail.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest ICE candidate line accepted; real ones are about 100 bytes.
pub const MAX_CANDIDATE_BYTES: usize = 1024;

/// A WebRTC negotiation payload, relayed field for field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// An SDP description (`RTCSessionDescription`).
    Description { sdp_type: SdpType, sdp: String },
    /// A trickled ICE candidate (`RTCIceCandidate`). `candidate` is its `candidate` attribute,
    /// `candidate:…` (without `a=`); an empty one marks the end of candidates and receivers ignore it.
    Candidate {
        candidate: String,
        #[serde(default)]
        sdp_mid: Option<String>,
        #[serde(default)]
        sdp_m_line_index: Option<u16>,
    },
    /// A kind this build does not know (sent by a newer peer): receivers ignore it, the server
    /// refuses to relay it.
    #[serde(other)]
    Unknown,
}

/// `RTCSessionDescription.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SdpType {
    Offer,
    Answer,
    Pranswer,
    Rollback,
}

impl SdpType {
    /// The WebRTC spelling, as `RTCSdpType` has it.
    pub fn as_str(self) -> &'static str {
        match self {
            SdpType::Offer => "offer",
            SdpType::Answer => "answer",
            SdpType::Pranswer => "pranswer",
            SdpType::Rollback => "rollback",
        }
    }
}

impl fmt::Display for SdpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Signal {
    /// Whether a browser could apply this payload; the reason if not.
    pub fn check(&self) -> Result<(), &'static str> {
        match self {
            Signal::Description { sdp_type, sdp } => {
                if sdp.trim().is_empty() && *sdp_type != SdpType::Rollback {
                    return Err("an offer, answer or pranswer needs an `sdp`");
                }
                Ok(())
            }
            Signal::Candidate {
                candidate,
                sdp_mid,
                sdp_m_line_index,
            } => {
                if sdp_mid.is_none() && sdp_m_line_index.is_none() {
                    return Err("a candidate needs `sdp_mid` or `sdp_m_line_index`");
                }
                if candidate.len() > MAX_CANDIDATE_BYTES || candidate.contains(['\r', '\n']) {
                    return Err("a candidate is one line of at most 1024 bytes");
                }
                if !candidate.is_empty() && !candidate.starts_with("candidate:") {
                    return Err("a candidate starts with `candidate:` (or is empty)");
                }
                Ok(())
            }
            Signal::Unknown => Err("unknown signal kind"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Signal {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn browsers_payloads_pass() {
        let offer = parse(r#"{"kind":"description","sdp_type":"offer","sdp":"v=0\r\n"}"#);
        assert_eq!(offer.check(), Ok(()));
        let rollback = parse(r#"{"kind":"description","sdp_type":"rollback","sdp":""}"#);
        assert_eq!(rollback.check(), Ok(()));
        let candidate = parse(
            r#"{"kind":"candidate","candidate":"candidate:1 1 udp 2122 127.0.0.1 5000 typ host","sdp_mid":"0"}"#,
        );
        assert_eq!(candidate.check(), Ok(()));
        let end = parse(r#"{"kind":"candidate","candidate":"","sdp_m_line_index":0}"#);
        assert_eq!(end.check(), Ok(()));
    }

    #[test]
    fn payloads_a_browser_rejects_are_refused() {
        let no_mid =
            parse(r#"{"kind":"candidate","candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host"}"#);
        assert!(no_mid.check().is_err());
        let bad_line = parse(r#"{"kind":"candidate","candidate":"a=candidate:1","sdp_mid":"0"}"#);
        assert!(bad_line.check().is_err());
        let two_lines =
            parse(r#"{"kind":"candidate","candidate":"candidate:1\r\na=x","sdp_mid":"0"}"#);
        assert!(two_lines.check().is_err());
        let empty_offer = parse(r#"{"kind":"description","sdp_type":"offer","sdp":" "}"#);
        assert!(empty_offer.check().is_err());
        assert!(serde_json::from_str::<Signal>(
            r#"{"kind":"description","sdp_type":"bogus","sdp":"v=0"}"#
        )
        .is_err());
    }

    #[test]
    fn unknown_kinds_parse_and_are_refused() {
        let future = parse(r#"{"kind":"simulcast_layers","layers":[1,2]}"#);
        assert_eq!(future, Signal::Unknown);
        assert!(future.check().is_err());
    }
}
