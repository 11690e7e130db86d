//! The call's trail in the browser console, for when a call misbehaves.

use super::events::{Event, PeerEvent};
use crate::call_model::Command;
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
        Event::Server(_, msg) => format!("server: {}", server_kind(msg)),
        Event::Peer(id, PeerEvent::NegotiationNeeded) => format!("negotiation needed with {id}"),
        Event::Peer(id, PeerEvent::Signal(_)) => format!("local candidate for {id}"),
        Event::Peer(id, PeerEvent::Track(_)) => format!("track from {id}"),
        Event::Peer(id, PeerEvent::Screen(_)) => format!("screen from {id}"),
        Event::Peer(id, PeerEvent::Forwarded(s)) => format!("stream {} from {id}", s.id()),
        Event::Peer(id, PeerEvent::State(s)) => format!("connection with {id}: {s:?}"),
        Event::Peer(id, PeerEvent::DisconnectedAWhile) => format!("{id} disconnected for 1 s"),
        Event::Peer(id, PeerEvent::ConnectDeadline) => format!("connect deadline of {id}"),
        Event::Ui(c) => format!("command {}", command_kind(c)),
        Event::TrackOpened { kind, seq, result } => {
            format!("{kind} #{seq} opened: {}", result.is_ok())
        }
        Event::ScreenOpened(result) => format!("screen opened: {}", result.is_ok()),
        Event::ScreenEnded => "screen share ended by the browser".to_string(),
        Event::ViewGone => "views gone".to_string(),
    };
    web_sys::console::debug_1(&format!("[call] {line}").into());
}

// Names, not `{:?}`: the derived `Debug` of every protocol type (and core's `Debug` machinery) was
// in the WASM only for these lines; a name is enough to follow a call, and chat text stays out of
// the console.

/// The message's `type` on the wire.
fn server_kind(msg: &ServerMsg) -> &'static str {
    match msg {
        ServerMsg::Joined { .. } => "joined",
        ServerMsg::Waiting { .. } => "waiting",
        ServerMsg::Knock { .. } => "knock",
        ServerMsg::KnockEnded { .. } => "knock_ended",
        ServerMsg::PeerJoined { .. } => "peer_joined",
        ServerMsg::PeerLeft { .. } => "peer_left",
        ServerMsg::Signal { .. } => "signal",
        ServerMsg::Media { .. } => "media",
        ServerMsg::PeerUpdated { .. } => "peer_updated",
        ServerMsg::Settings { .. } => "settings",
        ServerMsg::Chat { .. } => "chat",
        ServerMsg::Topology { .. } => "topology",
        ServerMsg::Ended { .. } => "ended",
        ServerMsg::Error { .. } => "error",
        ServerMsg::Unknown => "unknown",
    }
}

/// The command's variant name.
fn command_kind(command: &Command) -> &'static str {
    match command {
        Command::Leave => "Leave",
        Command::SetMic(_) => "SetMic",
        Command::SetCamera(_) => "SetCamera",
        Command::UseCamera(_) => "UseCamera",
        Command::UseMic(_) => "UseMic",
        Command::StartShare => "StartShare",
        Command::StopShare => "StopShare",
        Command::RaiseHand => "RaiseHand",
        Command::LowerHand(_) => "LowerHand",
        Command::Chat(_) => "Chat",
        Command::Admit(_) => "Admit",
        Command::Deny(_) => "Deny",
        Command::AdmitAll => "AdmitAll",
        Command::Mute(_) => "Mute",
        Command::MuteAll => "MuteAll",
        Command::AllowSpeak(_) => "AllowSpeak",
        Command::RevokeSpeak(_) => "RevokeSpeak",
        Command::Remove(_) => "Remove",
        Command::Settings(_) => "Settings",
        Command::EndClass => "EndClass",
        Command::View(_) => "View",
    }
}
