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

/// The publisher's camera and microphone streams in its first offer: the `a=msid` stream of the
/// first audio m-line and of the first video m-line that have one (`-`, a track without a
/// stream, does not count). The protocol asks for one stream; Chromium was seen putting a
/// simulcast camera's transceiver in a stream of its own, and that camera is still the camera.
pub fn camera_streams(sdp: &str) -> Vec<String> {
    let (mut kind, mut found): (&str, Vec<(&str, &str)>) = ("", Vec::new());
    for line in sdp.lines().map(str::trim_end) {
        if let Some(m) = line.strip_prefix("m=") {
            kind = m.split_whitespace().next().unwrap_or("");
        } else if let Some(msid) = line.strip_prefix("a=msid:") {
            let stream = msid.split_whitespace().next().unwrap_or("-");
            let first_of_kind = !found.iter().any(|(k, _)| *k == kind);
            if stream != "-" && first_of_kind && (kind == "audio" || kind == "video") {
                found.push((kind, stream));
            }
        }
    }
    let mut streams: Vec<String> = found.into_iter().map(|(_, s)| s.to_owned()).collect();
    streams.dedup();
    streams
}

/// The msid stream a forwarded track is labelled with: `<peer>` for the publisher's camera and
/// microphone ([`camera_streams`]), `<peer>-screen` for any other stream of it.
pub fn stream_label(peer: PeerId, stream: &str, camera: &[String]) -> String {
    if camera.is_empty() || camera.iter().any(|c| c == stream) {
        peer.to_string()
    } else {
        format!("{peer}-screen")
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
    fn the_camera_is_the_first_audio_and_first_video_stream() {
        assert_eq!(camera_streams(OFFER), vec!["cam-A"]);
        // Microphone and camera in streams of their own (seen from Chromium with simulcast).
        let split = "m=audio 9 X 111\r\na=msid:mic-A t1\r\nm=video 9 X 96\r\na=msid:cam-A t2\r\n\
            m=video 9 X 96\r\na=msid:scr-B t3\r\n";
        assert_eq!(camera_streams(split), vec!["mic-A", "cam-A"]);
        let no_stream = "m=audio 9 X 111\r\na=msid:- t1\r\nm=video 9 X 96\r\na=msid:cam-A t2\r\n";
        assert_eq!(camera_streams(no_stream), vec!["cam-A"]);
    }

    #[test]
    fn camera_streams_are_the_peer_any_other_its_screen() {
        let camera = vec!["mic-A".to_owned(), "cam-A".to_owned()];
        assert_eq!(stream_label(7, "cam-A", &camera), "7");
        assert_eq!(stream_label(7, "mic-A", &camera), "7");
        assert_eq!(stream_label(7, "scr-B", &camera), "7-screen");
        assert_eq!(stream_label(7, "whatever", &[]), "7");
    }
}
