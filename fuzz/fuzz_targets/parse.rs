//! The signaling message parser: any text frame a client (or a server, for the browser side) can
//! send. Parsing must never panic; whatever parses must survive a serialize/parse round trip
//! unchanged, and the checks the server runs on a parsed message (signal check, name and chat
//! cleaning) must not panic either.

#![no_main]

use classroom::protocol::{
    clean_chat, clean_name, clean_text, ClientMsg, ServerMsg, MAX_CHAT_CHARS, MAX_MESSAGE_BYTES,
    MAX_NAME_CHARS,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // WebSocket text frames are UTF-8 (the transport closes with 1007 otherwise), and the session
    // refuses anything over the limit before parsing (ws/session.rs).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > MAX_MESSAGE_BYTES {
        return;
    }

    match serde_json::from_str::<ClientMsg>(text) {
        Ok(msg) => {
            match &msg {
                ClientMsg::Join {
                    name, teacher_key, ..
                } => {
                    check_name(name);
                    if let Some(key) = teacher_key {
                        let _ = classroom::server::secret::hash(key);
                    }
                }
                ClientMsg::Signal { data, .. } => {
                    let _ = data.check();
                }
                ClientMsg::Chat { text } => check_chat(text),
                _ => {}
            }
            let json = serde_json::to_string(&msg).expect("a parsed message serializes");
            let back: ClientMsg = serde_json::from_str(&json).expect("its JSON parses again");
            assert_eq!(back, msg, "round trip through {json}");
        }
        // The session quotes the error in its reply.
        Err(e) => drop(format!("not a valid message: {e}")),
    }

    // The browser's side of the same socket.
    if let Ok(msg) = serde_json::from_str::<ServerMsg>(text) {
        let json = serde_json::to_string(&msg).expect("a parsed message serializes");
        let back: ServerMsg = serde_json::from_str(&json).expect("its JSON parses again");
        assert_eq!(back, msg, "round trip through {json}");
    }

    // The raw text as a typed name and as a chat message.
    check_name(text);
    check_chat(text);
});

/// A cleaned name is trimmed, visible, within the limit, free of control characters, and cleaning
/// it again changes nothing.
fn check_name(raw: &str) {
    let Some(name) = clean_name(raw) else {
        return;
    };
    assert_eq!(name.trim(), name);
    assert!(!name.is_empty());
    assert!(name.chars().count() <= MAX_NAME_CHARS);
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(!name.chars().any(is_bidi), "{name:?}");
    assert_eq!(clean_text(&name, MAX_NAME_CHARS).as_ref(), Ok(&name));
}

/// A cleaned chat message is trimmed, visible, within the limit, free of control characters but
/// line breaks, and cleaning it again changes nothing.
fn check_chat(raw: &str) {
    let Some(text) = clean_chat(raw) else {
        return;
    };
    assert_eq!(text.trim(), text);
    assert!(!text.is_empty());
    assert!(text.chars().count() <= MAX_CHAT_CHARS);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.chars().any(is_bidi), "{text:?}");
    assert_eq!(clean_chat(&text).as_ref(), Some(&text));
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
