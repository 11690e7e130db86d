//! The shape of the tokens a client presents: a resume token (issued by the server) and an
//! attendee token (made by the client). Both are checked before anything hashes or looks them up,
//! so an oversized or odd token costs the server nothing.

/// Whether `token` could be a resume token: what the server issues is 43 characters of the URL-safe
/// base64 alphabet (32 random bytes); anything longer is refused before it is hashed.
pub fn valid_resume_token(token: &str) -> bool {
    token_like(token)
}

/// Whether `token` is a well-formed attendee token (see [`ClientMsg::Join`]): 16–64 characters of
/// the URL-safe base64 alphabet, so that it is at least as hard to guess as a 96-bit random value
/// encoded by a careful client, and cheap to hash.
pub fn valid_attendee(token: &str) -> bool {
    token_like(token)
}

/// 16–64 characters of `A–Z a–z 0–9 - _`.
fn token_like(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::valid_resume_token;

    #[test]
    fn resume_tokens_of_another_shape_are_refused_before_any_lookup() {
        assert!(valid_resume_token(&"Ab3-_".repeat(9)[..43]));
        assert!(!valid_resume_token(&"A".repeat(65)), "too long to hash");
        assert!(!valid_resume_token("short"));
        assert!(!valid_resume_token(&"+/".repeat(22)), "standard base64");
    }
}
