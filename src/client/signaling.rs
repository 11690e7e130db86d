//! The engine's signaling connection: opening it, saying `join` or `resume` first, and connecting
//! again by itself with backoff when it is lost. Only a deliberate Leave, an `ended` or a refusal
//! ends a call; a lost connection is a status the views show while media keeps flowing.

use super::engine::{warn, Engine, Go};
use super::events::{Event, Update};
use super::socket::{Socket, Standby};
use super::{attendee, timer};
use crate::call_model::connection::{Asked, Opening};
use crate::call_model::{Announcement, EndReason, Phase, Signaling};
use crate::protocol::ClientMsg;

/// How long the server may take to answer a join or a resume. A first join then gives up with a
/// message (the server is up but not answering); a resume tries another connection.
const ANSWER_TIMEOUT_MS: i32 = 15_000;

impl Engine {
    /// Sends `msg` if the server has taken us; otherwise drops it. Until the answer to our `join`
    /// or `resume` nothing else may go out: a message before it would be refused (`not_joined`)
    /// and that refusal taken for the answer.
    pub(super) fn send(&self, msg: &ClientMsg) {
        if self.connection.is_up() {
            self.send_now(msg);
        }
    }

    /// Sends `msg` on whatever socket is open (the first message, or a `leave` while resuming).
    pub(super) fn send_now(&self, msg: &ClientMsg) {
        if let Some(socket) = &self.socket {
            socket.send(msg);
        }
    }

    /// Opens a socket (the first time, takes over the lobby's standby connection if it is still
    /// up); if even that fails, it counts as lost at once.
    pub(super) fn open_socket(&mut self) {
        let generation = self.connection.generation();
        let opened = match self.request.standby.take().and_then(Standby::take) {
            Some(ws) => Ok(Socket::adopt(ws, self.tx.clone(), generation)),
            None => Socket::open(self.tx.clone(), generation),
        };
        match opened {
            Ok(socket) => self.socket = Some(socket),
            Err(e) => {
                warn("opening the signaling socket failed", &e);
                self.lose_socket(None);
            }
        }
    }

    /// The socket opened: `join`, or `resume` our place, and wait for the answer.
    pub(super) fn on_socket_open(&mut self) {
        match self.connection.opened() {
            Opening::Join => self.send_join(),
            Opening::Resume { token } => self.send_now(&ClientMsg::Resume {
                room: self.request.room.clone(),
                token,
                media: self.media_state(),
            }),
        }
        let tx = self.tx.clone();
        let generation = self.connection.generation();
        wasm_bindgen_futures::spawn_local(async move {
            timer::sleep_ms(ANSWER_TIMEOUT_MS).await;
            // After the call ended the channel is closed and this goes nowhere.
            let _ = tx.unbounded_send(Event::AnswerTimeout(generation));
        });
    }

    /// A `join` as the lobby asked for it: same name, teacher key and attendee token every time.
    pub(super) fn send_join(&self) {
        self.send_now(&ClientMsg::Join {
            room: self.request.room.clone(),
            name: self.request.name.clone(),
            teacher_key: self.request.teacher_key.clone(),
            media: self.media_state(),
            attendee: attendee::token(&self.request.room),
        });
    }

    /// The socket closed or is given up: tell the views and try again after a pause. Peer
    /// connections stay: media does not need the server.
    pub(super) fn lose_socket(&mut self, close_code: Option<u16>) {
        self.socket = None; // closes it if it was still open, and detaches its callbacks
        let delay = self.connection.lost(close_code, js_sys::Math::random());
        if self.signaling == Signaling::Up {
            self.signaling = Signaling::Reconnecting;
            self.emit(Update::Signaling(Signaling::Reconnecting));
            if matches!(self.phase, Phase::InCall | Phase::Waiting) {
                self.emit(Update::Announce(Announcement::Reconnecting));
            }
        }
        let generation = self.connection.generation();
        let tx = self.tx.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if delay > 0 {
                timer::sleep_ms(i32::try_from(delay).unwrap_or(i32::MAX)).await;
            }
            let _ = tx.unbounded_send(Event::Reconnect(generation));
        });
    }

    /// The pause after a loss is over.
    pub(super) fn on_reconnect(&mut self, generation: u32) {
        if self.connection.reconnect_due(generation) {
            self.open_socket();
        }
    }

    /// The server took too long to answer our first message on socket `generation`.
    pub(super) fn on_answer_timeout(&mut self, generation: u32) -> Go {
        match self.connection.answer_overdue(generation) {
            // Never in the call: the server is there but does not answer; say so.
            Some(_) if self.phase == Phase::Joining => {
                self.end(Phase::Ended(EndReason::JoinTimeout))
            }
            // Our place may still be there: another connection, another try.
            Some(_) => {
                self.lose_socket(None);
                true
            }
            None => true,
        }
    }

    /// A `joined` or `waiting` arrived (`token`: its resume token, if any). Returns what it
    /// answered, and whether signaling had been lost (so the caller says it is back once the rest
    /// is applied).
    pub(super) fn welcomed(&mut self, token: Option<String>) -> (Option<Asked>, bool) {
        let asked = self.connection.answered(token);
        let was_lost = self.signaling == Signaling::Reconnecting;
        if was_lost {
            self.signaling = Signaling::Up;
            self.emit(Update::Signaling(Signaling::Up));
        }
        (asked, was_lost)
    }

    /// A refusal while our `resume` waits for its answer: the server let us go. Join again on the
    /// same connection (a new participant, as the others saw us leave). Returns whether it did.
    pub(super) fn resume_refused(&mut self) -> bool {
        if !self.connection.resume_refused() {
            return false;
        }
        self.send_join();
        true
    }

    /// Says "back" once everything the answer brought is applied.
    pub(super) fn say_reconnected(&mut self, was_lost: bool) {
        if was_lost && matches!(self.phase, Phase::InCall | Phase::Waiting) {
            self.emit(Update::Announce(Announcement::Reconnected));
        }
    }
}
