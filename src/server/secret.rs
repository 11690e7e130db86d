//! Random identifiers and the teacher key.
//!
//! The teacher key is a bearer secret with 128 random bits, so a fast hash (SHA-256) is enough to
//! store it: nobody can brute-force 2^128 guesses, and a slow password hash would only slow joins.

use rand::{distr::Alphanumeric, Rng};
use sha2::{Digest, Sha256};

/// A new room id: 12 characters from an alphabet without look-alikes (l, 0, 1): ~60 random bits.
pub fn room_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A new teacher key: 32 alphanumeric characters, about 190 random bits.
pub fn teacher_key() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// A new resume token: 32 random bytes in URL-safe base64 (43 characters), a bearer secret for
/// one participant's place in one room.
pub fn resume_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new CSP nonce: 16 random bytes in base64 (22 characters).
pub fn nonce() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a key, the only form in which it is stored or compared.
pub fn hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hashed() {
        let (a, b) = (teacher_key(), teacher_key());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(hash(&a).len(), 64);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(room_id().len(), 12);
        let token = resume_token();
        assert_eq!(token.len(), 43);
        assert!(crate::protocol::valid_resume_token(&token));
        assert_ne!(token, resume_token());
    }
}
