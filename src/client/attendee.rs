//! The attendee token: a random secret this browser keeps per room, sent with every join so that
//! attendance counts a student's re-joins (a reload, a dropped connection, the next day's class in
//! the same room) as one person — and two students with the same name as two.

use web_sys::window;

/// Where the token of room `room` is kept.
fn storage_key(room: &str) -> String {
    ["classroom.attendee.", room].concat()
}

/// This browser's token for `room`: the stored one, else a new one (stored when storage allows;
/// private windows that refuse storage get a token for this page's life only).
pub fn token(room: &str) -> Option<String> {
    let storage = window()?.local_storage().ok().flatten();
    let key = storage_key(room);
    if let Some(saved) = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
    {
        if crate::protocol::valid_attendee(&saved) {
            return Some(saved);
        }
    }
    let fresh = random_hex()?;
    if let Some(storage) = storage {
        let _ = storage.set_item(&key, &fresh);
    }
    Some(fresh)
}

/// 128 random bits from the browser's CSPRNG, as 32 hex digits.
fn random_hex() -> Option<String> {
    let mut bytes = [0u8; 16];
    window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    Some(out)
}
