//! Which session a STUN binding request from a not-yet-known address is for, in O(1).
//!
//! A browser's binding request carries `USERNAME = <our ufrag>:<its ufrag>`; our ufrag is in the
//! answer we gave that session, so a map ufrag → session routes the request without asking every
//! `Rtc` whether it `accepts` it (O(sessions) per datagram, which is what saturated a core in
//! str0m's example loop). str0m then checks the message integrity itself; this only reads.

/// STUN magic cookie (RFC 5389), bytes 4..8 of every STUN message.
const MAGIC_COOKIE: [u8; 4] = [0x21, 0x12, 0xA4, 0x42];
/// Attribute type of USERNAME.
const USERNAME: u16 = 0x0006;
const HEADER: usize = 20;

/// Whether `buf` looks like a STUN message (first two bits zero and the magic cookie).
pub fn is_stun(buf: &[u8]) -> bool {
    buf.len() >= HEADER && buf[0] < 2 && buf[4..8] == MAGIC_COOKIE
}

/// The local half of the USERNAME attribute (before the `:`), if `buf` is a STUN message with one.
/// Never panics on any input.
pub fn local_ufrag(buf: &[u8]) -> Option<&str> {
    if !is_stun(buf) {
        return None;
    }
    let declared = u16::from_be_bytes([buf[2], buf[3]]) as usize;
    let end = (HEADER + declared).min(buf.len());
    let mut at = HEADER;
    while at + 4 <= end {
        let kind = u16::from_be_bytes([buf[at], buf[at + 1]]);
        let len = u16::from_be_bytes([buf[at + 2], buf[at + 3]]) as usize;
        let value = buf.get(at + 4..at + 4 + len)?;
        if kind == USERNAME {
            let name = std::str::from_utf8(value).ok()?;
            return name.split(':').next().filter(|u| !u.is_empty());
        }
        // Values are padded to a multiple of four bytes.
        at += 4 + len.div_ceil(4) * 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding_request(attrs: &[(u16, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (kind, value) in attrs {
            body.extend_from_slice(&kind.to_be_bytes());
            body.extend_from_slice(&(value.len() as u16).to_be_bytes());
            body.extend_from_slice(value);
            body.resize(body.len().div_ceil(4) * 4, 0);
        }
        let mut msg = vec![0x00, 0x01];
        msg.extend_from_slice(&(body.len() as u16).to_be_bytes());
        msg.extend_from_slice(&MAGIC_COOKIE);
        msg.extend_from_slice(&[7; 12]);
        msg.extend_from_slice(&body);
        msg
    }

    #[test]
    fn finds_our_ufrag_after_other_attributes() {
        let msg = binding_request(&[(0x0024, b"\0\0\0\x01"), (USERNAME, b"srv1:cli")]);
        assert_eq!(local_ufrag(&msg), Some("srv1"));
        let padded = binding_request(&[(0x8022, b"odd"), (USERNAME, b"abc:de")]);
        assert_eq!(local_ufrag(&padded), Some("abc"));
    }

    #[test]
    fn not_stun_or_no_username_is_none() {
        assert_eq!(local_ufrag(&binding_request(&[(0x0024, b"1234")])), None);
        assert_eq!(
            local_ufrag(b"\x16\xfe\xfd garbage that is long enough"),
            None
        );
        assert_eq!(local_ufrag(&[]), None);
    }

    #[test]
    fn truncated_and_lying_lengths_do_not_panic() {
        let msg = binding_request(&[(USERNAME, b"srv1:cli")]);
        for cut in 0..msg.len() {
            let _ = local_ufrag(&msg[..cut]);
        }
        let mut liar = msg.clone();
        liar[22] = 0xff; // attribute length far past the end
        assert_eq!(local_ufrag(&liar), None);
        liar[2] = 0xff; // message length far past the end
        let _ = local_ufrag(&liar);
    }
}
