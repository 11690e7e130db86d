//! A STUN binding request as a member's browser sends it to its session: the only STUN from which
//! the worker learns an address, since its MESSAGE-INTEGRITY needs our password of that session.
//!
//! Built with str0m's own STUN encoder (`str0m::ice`, public though undocumented), so the bytes
//! are what a real ICE agent puts on the wire, USERNAME, PRIORITY and FINGERPRINT included.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use str0m::ice::{StunMessage, TransId};

/// The ICE credentials a member's browser holds for one session.
pub struct Credentials {
    /// Our ufrag and password, from our answer.
    pub ufrag: String,
    pub pwd: String,
    /// The browser's ufrag, from its offer.
    pub remote: String,
}

/// A binding request of the controlling browser, nominating the pair, signed with our password.
pub fn request(creds: &Credentials) -> Vec<u8> {
    let username = format!("{}:{}", creds.ufrag, creds.remote);
    let msg = StunMessage::binding_request(&username, TransId::new(), true, 1, 1 << 24, true);
    let mut buf = vec![0; 1500];
    let len = msg
        .to_bytes(Some(creds.pwd.as_bytes()), &mut buf, sha1_hmac)
        .expect("a binding request fits 1500 bytes");
    buf.truncate(len);
    buf
}

/// HMAC-SHA1 over the concatenated `parts`: STUN's short-term credential integrity.
fn sha1_hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 20] {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}
