//! The signaling connection's life across losses, without I/O: what to say first on a new
//! connection (`join`, or `resume` with the latest token), when to try again after a loss, and
//! whether the server has taken us (back) so that other messages may go out.
//!
//! The engine owns the socket and the timers; it tells this type what happened and does what it
//! answers. Timers carry the [`Connection::generation`] they were set for, so one set for an
//! earlier socket can never act on a later one.

use super::backoff::Backoff;
use crate::protocol::close;

/// What to send first on a new connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opening {
    /// No place to take back (never answered, or the server let us go): a `join`.
    Join,
    /// Take our place back with the latest token: a `resume`.
    Resume { token: String },
}

/// Which first message the open connection waits for an answer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    Join,
    Resume,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Lost; a reconnect timer is running.
    Down,
    /// A socket is being opened.
    Connecting,
    /// Open, our first message sent, no answer yet: nothing else may go out.
    Awaiting(Asked),
    /// The server took us (joined or waiting).
    Up,
}

/// One call's signaling connection, from the first socket to the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    backoff: Backoff,
    /// The resume token of the latest `joined` or `waiting` that brought one.
    token: Option<String>,
    state: State,
    generation: u32,
}

impl Connection {
    /// The first socket is being opened.
    pub fn new() -> Self {
        Connection {
            backoff: Backoff::new(),
            token: None,
            state: State::Connecting,
            generation: 0,
        }
    }

    /// Counts sockets: a timer set for one generation is stale in the next.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The socket opened: what to send first.
    pub fn opened(&mut self) -> Opening {
        match &self.token {
            Some(token) => {
                self.state = State::Awaiting(Asked::Resume);
                Opening::Resume {
                    token: token.clone(),
                }
            }
            None => {
                self.state = State::Awaiting(Asked::Join);
                Opening::Join
            }
        }
    }

    /// Whether the server has taken us and other messages may be sent.
    pub fn is_up(&self) -> bool {
        self.state == State::Up
    }

    /// The first message still waiting for its answer, if any.
    pub fn awaiting(&self) -> Option<Asked> {
        match self.state {
            State::Awaiting(asked) => Some(asked),
            _ => None,
        }
    }

    /// A `joined` or `waiting` arrived; `token` is its resume token, if it brought one (a `joined`
    /// that admits us from the waiting room does not: the waiting one stays valid). Returns the
    /// first message this answered, or `None` for a later `joined` (an admission).
    pub fn answered(&mut self, token: Option<String>) -> Option<Asked> {
        let asked = self.awaiting();
        if token.is_some() {
            self.token = token;
        }
        self.state = State::Up;
        self.backoff.reset();
        asked
    }

    /// `resume_failed`: the server let us go. If we were waiting for a resume's answer, the token
    /// is dead and the caller sends `join` on the same connection (returns `true`).
    pub fn resume_refused(&mut self) -> bool {
        if self.awaiting() != Some(Asked::Resume) {
            return false;
        }
        self.token = None;
        self.state = State::Awaiting(Asked::Join);
        true
    }

    /// The socket closed (`close_code` if it said why) or is given up: the pause in ms before the
    /// next attempt. `random` is uniform in [0, 1).
    pub fn lost(&mut self, close_code: Option<u16>, random: f64) -> u32 {
        if close_code == Some(close::RESTARTING) {
            self.backoff.server_restarting();
        }
        self.state = State::Down;
        self.generation = self.generation.wrapping_add(1);
        self.backoff.next_delay_ms(random)
    }

    /// The reconnect timer of `generation` fired: whether to open a socket now.
    pub fn reconnect_due(&mut self, generation: u32) -> bool {
        if self.state != State::Down || generation != self.generation {
            return false;
        }
        self.state = State::Connecting;
        true
    }

    /// The answer timer of `generation` fired: the first message it is overdue for, if any.
    pub fn answer_overdue(&self, generation: u32) -> Option<Asked> {
        self.awaiting().filter(|_| generation == self.generation)
    }
}

impl Default for Connection {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
