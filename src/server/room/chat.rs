//! The class chat: who may write, how fast, and the history an admitted member is shown.

use super::{Out, Output, Record, Room};
use crate::protocol::{clean_chat, ChatLine, ErrorCode, PeerId, Role, ServerMsg, UnixMillis};

/// Messages kept in memory (and shown on joining); the database keeps them all.
pub const HISTORY: usize = 200;
/// The most chat a `joined` carries, in bytes of text and names: the latest lines that fit. 200
/// full-length lines of Hangul or emoji are 1.2–1.6 MB, more than a connection may be sent in
/// one message, so a room whose chat once filled up could no longer be joined.
const HISTORY_BYTES: usize = 256 * 1024;
/// Messages one member may send at once…
const BURST: u32 = 5;
/// …then one per this many milliseconds.
const REFILL_MS: UnixMillis = 1_000;

/// A token bucket on the room's clock: a member can send a few messages in quick succession, then
/// about one a second. Flooding the chat is refused with `rate_limited`, on top of the connection's
/// message budget, because every chat line goes to everyone and into the database.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    tokens: u32,
    updated: UnixMillis,
}

impl Bucket {
    /// A bucket that allows a full burst now.
    pub fn full(now: UnixMillis) -> Self {
        Bucket {
            tokens: BURST,
            updated: now,
        }
    }

    /// Takes a token if there is one at `now`. A refusal changes nothing (the room's rule: a refused
    /// message leaves the room as it was).
    pub fn take(&mut self, now: UnixMillis) -> bool {
        if now < self.updated {
            // The clock went back: start again with a full bucket rather than lock anyone out.
            *self = Bucket::full(now);
        }
        let earned = now.saturating_sub(self.updated) / REFILL_MS;
        if earned > 0 {
            let tokens = (self.tokens as i64)
                .saturating_add(earned)
                .min(BURST as i64);
            self.tokens = tokens as u32;
            self.updated = self
                .updated
                .saturating_add(earned.saturating_mul(REFILL_MS));
        }
        if self.tokens == 0 {
            return false;
        }
        if self.tokens == BURST {
            // A full bucket does not bank time: refilling starts from this message.
            self.updated = now;
        }
        self.tokens -= 1;
        true
    }
}

impl Room {
    pub(super) fn chat(&mut self, now: UnixMillis, peer: PeerId, text: &str, out: &mut Out) {
        let locked = self.settings.chat_locked;
        let Some(member) = self.members.get_mut(&peer) else {
            return;
        };
        if locked && member.info.role != Role::Teacher {
            let message = "a teacher turned student chat off".to_string();
            let code = ErrorCode::Forbidden;
            return out.push(Output::Send(peer, ServerMsg::Error { code, message }));
        }
        let Some(text) = clean_chat(text) else {
            let message = "a chat message must have 1 to 2000 characters".to_string();
            let code = ErrorCode::BadMessage;
            return out.push(Output::Send(peer, ServerMsg::Error { code, message }));
        };
        if !member.chat.take(now) {
            let message = "you are sending chat messages too fast; wait a moment".to_string();
            let code = ErrorCode::RateLimited;
            return out.push(Output::Send(peer, ServerMsg::Error { code, message }));
        }
        let line = ChatLine {
            from: Some(peer),
            name: member.info.name.clone(),
            role: member.info.role,
            text,
            at: now,
        };
        if self.chat.len() >= HISTORY {
            self.chat.pop_front();
        }
        self.chat.push_back(line.clone());
        self.tell_all(&ServerMsg::Chat { line: line.clone() }, out);
        out.push(Output::Persist(Record::Chat(line)));
    }
}

/// The chat a member is shown on joining: the latest lines, up to [`HISTORY`] and
/// [`HISTORY_BYTES`], oldest first.
pub(super) fn recent(chat: &std::collections::VecDeque<ChatLine>) -> Vec<ChatLine> {
    let mut budget = HISTORY_BYTES;
    let mut lines: Vec<ChatLine> = chat
        .iter()
        .rev()
        .take_while(|line| {
            // The JSON around a line (field names, id, time) is about 80 bytes.
            let size = line.text.len() + line.name.len() + 80;
            budget.checked_sub(size).map(|left| budget = left).is_some()
        })
        .cloned()
        .collect();
    lines.reverse();
    lines
}
