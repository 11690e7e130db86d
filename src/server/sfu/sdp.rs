//! The few facts the media worker reads from SDP text itself: str0m keeps them private or does not
//! expose them per offer (the DTLS fingerprint, our ICE ufrag, the order of the publisher's streams).
//!
//! Plain line scanning: the text was already parsed and accepted by str0m (or is about to be), so
//! these only look for attributes and never fail loudly — a missing one is `None`.

use crate::protocol::PeerId;

/// The value of the first `a=<name>:` attribute anywhere in `sdp` (session or media level).
fn attribute<'a>(sdp: &'a str, name: &str) -> Option<&'a str> {
    sdp.lines()
        .filter_map(|line| line.trim_end().strip_prefix("a="))
        .find_map(|attr| attr.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

/// The `a=fingerprint` of a description (`"sha-256 AB:CD:…"`), upper-cased so that two
/// spellings of the same certificate compare equal. A new value from the same peer means a new
/// browser `RTCPeerConnection`, whose media session replaces the old one.
pub fn fingerprint(sdp: &str) -> Option<String> {
    attribute(sdp, "fingerprint").map(str::to_ascii_uppercase)
}

/// The `a=ice-ufrag` of a description. For our own answers this is the first half of the STUN
/// USERNAME every binding request to this session carries, which is how a new address is routed.
pub fn ice_ufrag(sdp: &str) -> Option<&str> {
    attribute(sdp, "ice-ufrag")
}

/// The `a=msid` stream ids of an offer, one per m-line that has one, in m-line order; `-` (a
/// track without a stream) is skipped. The first is the publisher's camera+microphone stream.
pub fn msid_streams(sdp: &str) -> Vec<&str> {
    sdp.lines()
        .filter_map(|line| line.trim_end().strip_prefix("a=msid:"))
        .filter_map(|v| v.split_whitespace().next())
        .filter(|s| *s != "-")
        .collect()
}

/// The msid stream a forwarded track is labelled with: `<peer>` for the publisher's camera and
/// microphone (its first stream), `<peer>-screen` for any other stream of it.
pub fn stream_label(peer: PeerId, stream: &str, camera: Option<&str>) -> String {
    match camera {
        Some(camera) if camera != stream => format!("{peer}-screen"),
        _ => peer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
        a=fingerprint:sha-256 ab:cd:ef\r\na=group:BUNDLE 0 1 2\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:Xy12\r\na=msid:cam-A trackA\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=msid:cam-A trackV\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=msid:scr-B trackS\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:3\r\na=msid:- trackN\r\n";

    #[test]
    fn reads_fingerprint_and_ufrag() {
        assert_eq!(fingerprint(OFFER).as_deref(), Some("SHA-256 AB:CD:EF"));
        assert_eq!(ice_ufrag(OFFER), Some("Xy12"));
        assert_eq!(fingerprint("v=0\r\n"), None);
    }

    #[test]
    fn streams_in_m_line_order_without_the_no_stream_marker() {
        assert_eq!(msid_streams(OFFER), vec!["cam-A", "cam-A", "scr-B"]);
    }

    #[test]
    fn first_stream_is_the_camera_any_other_the_screen() {
        assert_eq!(stream_label(7, "cam-A", Some("cam-A")), "7");
        assert_eq!(stream_label(7, "scr-B", Some("cam-A")), "7-screen");
        assert_eq!(stream_label(7, "whatever", None), "7");
    }
}
