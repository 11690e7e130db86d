//! The call's trail in the browser console, for when a call misbehaves.

use super::events::{Event, PeerEvent};
use crate::protocol::{ServerMsg, Signal};

/// One line per event at debug level (hidden unless "Verbose" is on in DevTools): enough to follow
/// a negotiation when a call misbehaves.
pub fn debug(event: &Event) {
    let line = match event {
        // Three times a second: it would drown everything else.
        Event::LevelsDue => return,
        Event::SocketOpen(g) => format!("socket #{g} open"),
        Event::SocketClosed(g, code) => format!("socket #{g} closed ({code})"),
        Event::Reconnect(generation) => format!("reconnect #{generation}"),
        Event::AnswerTimeout(generation) => format!("no answer on socket #{generation}"),
        Event::Server(
            _,
            ServerMsg::Signal {
                from,
                data: Signal::Description { sdp_type, .. },
            },
        ) => format!("{sdp_type} from {from}"),
        Event::Server(_, ServerMsg::Signal { from, .. }) => format!("candidate from {from}"),
        Event::Server(_, msg) => format!("server: {msg:?}").chars().take(120).collect(),
        Event::Peer(id, PeerEvent::NegotiationNeeded) => format!("negotiation needed with {id}"),
        Event::Peer(id, PeerEvent::Signal(_)) => format!("local candidate for {id}"),
        Event::Peer(id, PeerEvent::Track(_)) => format!("track from {id}"),
        Event::Peer(id, PeerEvent::Screen(_)) => format!("screen from {id}"),
        Event::Peer(id, PeerEvent::Forwarded(s)) => format!("stream {} from {id}", s.id()),
        Event::Peer(id, PeerEvent::State(s)) => format!("connection with {id}: {s:?}"),
        Event::Peer(id, PeerEvent::DisconnectedAWhile) => format!("{id} disconnected for 1 s"),
        Event::Ui(c) => format!("command {c:?}").chars().take(120).collect(),
        Event::TrackOpened { kind, seq, result } => {
            format!("{kind} #{seq} opened: {}", result.is_ok())
        }
        Event::ScreenOpened(result) => format!("screen opened: {}", result.is_ok()),
        Event::ScreenEnded => "screen share ended by the browser".to_string(),
        Event::ViewGone => "views gone".to_string(),
    };
    web_sys::console::debug_1(&format!("[call] {line}").into());
}
