//! The call engine: one channel, one async loop that owns the socket and every peer link.
//!
//! Socket messages, peer-connection callbacks and button presses all arrive as [`Event`]s on one
//! channel and are handled strictly in order, so an ICE candidate can never be applied before the
//! description it belongs to. The loop writes the UI's signals; the UI sends [`Command`]s back.

use std::collections::HashMap;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{MediaStream, RtcPeerConnectionState};

use crate::client::{media, peer::PeerLink, socket::Socket};
use crate::components::call::state::{Announcement, CallState, Command, EndReason, Phase};
use crate::protocol::{
    ClientMsg, ErrorCode, IceServer, MediaState, PeerId, PeerInfo, ServerMsg, Signal,
};

/// Something a peer connection reported.
pub enum PeerEvent {
    NegotiationNeeded,
    /// A local ICE candidate to relay.
    Signal(Signal),
    Track(MediaStream),
    State(RtcPeerConnectionState),
}

/// Everything the loop reacts to.
pub enum Event {
    SocketOpen,
    SocketClosed,
    /// [`JOIN_TIMEOUT_MS`] passed since the socket opened.
    JoinTimeout,
    Server(ServerMsg),
    Peer(PeerId, PeerEvent),
    Ui(Command),
}

/// How long "Joining…" may last before the call gives up with a message.
const JOIN_TIMEOUT_MS: i32 = 15_000;

/// Who is joining which room.
pub struct JoinRequest {
    pub room: String,
    pub name: String,
    pub teacher_key: Option<String>,
}

/// The UI's way to talk to a running call. Sending after the call ended does nothing.
#[derive(Clone)]
pub struct CallHandle(UnboundedSender<Event>);

impl CallHandle {
    /// Queues a command for the call loop.
    pub fn send(&self, command: Command) {
        let _ = self.0.unbounded_send(Event::Ui(command));
    }
}

/// Connects and joins; the call runs until `Leave`, a refusal or a lost connection.
pub fn start(request: JoinRequest, ui: CallState) -> Result<CallHandle, JsValue> {
    let (tx, rx) = unbounded();
    let socket = Socket::open(tx.clone())?;
    let local = ui.local.get_untracked().map_or_else(MediaStream::new, Ok)?;
    let engine = Engine {
        ui,
        socket,
        tx: tx.clone(),
        request,
        me: 0,
        ice: Vec::new(),
        peers: HashMap::new(),
        local,
    };
    wasm_bindgen_futures::spawn_local(engine.run(rx));
    Ok(CallHandle(tx))
}

struct Engine {
    ui: CallState,
    socket: Socket,
    tx: UnboundedSender<Event>,
    request: JoinRequest,
    me: PeerId,
    ice: Vec<IceServer>,
    peers: HashMap<PeerId, PeerLink>,
    local: MediaStream,
}

/// Whether the loop goes on.
type Go = bool;

impl Engine {
    async fn run(mut self, mut rx: UnboundedReceiver<Event>) {
        while let Some(event) = rx.next().await {
            if !self.handle(event).await {
                break;
            }
        }
        // Dropping self closes every peer connection and the socket, and detaches their callbacks.
    }

    async fn handle(&mut self, event: Event) -> Go {
        debug(&event);
        match event {
            Event::SocketOpen => {
                self.socket.send(&ClientMsg::Join {
                    room: self.request.room.clone(),
                    name: self.request.name.clone(),
                    teacher_key: self.request.teacher_key.clone(),
                    media: self.media_state(),
                });
                let tx = self.tx.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    sleep_ms(JOIN_TIMEOUT_MS).await;
                    // After the call ended the channel is closed and this goes nowhere.
                    let _ = tx.unbounded_send(Event::JoinTimeout);
                });
                true
            }
            Event::SocketClosed => self.end(Phase::Ended(EndReason::ConnectionLost)),
            Event::JoinTimeout if self.ui.phase.get_untracked() == Phase::Joining => {
                self.end(Phase::Ended(EndReason::JoinTimeout))
            }
            Event::JoinTimeout => true,
            Event::Server(msg) => self.on_server(msg).await,
            Event::Peer(id, event) => {
                self.on_peer(id, event).await;
                true
            }
            Event::Ui(command) => self.on_command(command).await,
        }
    }

    async fn on_server(&mut self, msg: ServerMsg) -> Go {
        match msg {
            ServerMsg::Joined {
                you,
                role,
                room: _,
                peers,
                ice_servers,
                topology: _,
            } => {
                self.me = you;
                self.ice = ice_servers;
                let me = PeerInfo {
                    id: you,
                    name: self.request.name.clone(),
                    role,
                    media: self.media_state(),
                };
                self.ui.me.set(Some(me));
                // We are the newcomer: we offer to everyone already here.
                for p in &peers {
                    self.connect(p.id, true);
                }
                self.ui.peers.set(peers);
                self.ui.phase.set(Phase::InCall);
            }
            ServerMsg::PeerJoined { peer } => {
                // The newcomer offers; we answer.
                self.connect(peer.id, false);
                self.ui.announce(Announcement::Joined(peer.name.clone()));
                self.ui.peers.update(|list| list.push(peer));
            }
            ServerMsg::PeerLeft { peer } => {
                self.peers.remove(&peer);
                self.ui.remote.update(|m| {
                    m.remove(&peer);
                });
                if let Some(name) = self.ui.name_of(peer) {
                    self.ui.announce(Announcement::Left(name));
                }
                self.ui.peers.update(|list| list.retain(|p| p.id != peer));
            }
            ServerMsg::Signal { from, data } => {
                let Some(link) = self.peers.get_mut(&from) else {
                    return true;
                };
                match link.receive(data).await {
                    Ok(Some(answer)) => self.socket.send(&ClientMsg::Signal {
                        to: from,
                        from: None,
                        data: answer,
                    }),
                    Ok(None) => {}
                    Err(e) => warn("applying a signal failed", &e),
                }
            }
            ServerMsg::Media { peer, media } => self.ui.peers.update(|list| {
                if let Some(p) = list.iter_mut().find(|p| p.id == peer) {
                    p.media = media;
                }
            }),
            ServerMsg::Error { code, message } => match code {
                ErrorCode::RoomFull => return self.end(Phase::Ended(EndReason::RoomFull)),
                // Whatever refused the join (even a code this build does not know) ends "Joining…".
                _ if self.ui.phase.get_untracked() == Phase::Joining => {
                    return self.end(Phase::Ended(EndReason::Refused(code)))
                }
                // Races (a peer left while we signalled it) are harmless: note and go on.
                _ => web_sys::console::warn_1(&format!("server: {message}").into()),
            },
            // A message type from a newer server.
            ServerMsg::Unknown => {}
        }
        true
    }

    async fn on_peer(&mut self, id: PeerId, event: PeerEvent) {
        let Some(link) = self.peers.get_mut(&id) else {
            return;
        };
        match event {
            PeerEvent::NegotiationNeeded => match link.offer().await {
                Ok(Some(offer)) => self.socket.send(&ClientMsg::Signal {
                    to: id,
                    from: None,
                    data: offer,
                }),
                Ok(None) => {}
                Err(e) => warn("making an offer failed", &e),
            },
            PeerEvent::Signal(candidate) => self.socket.send(&ClientMsg::Signal {
                to: id,
                from: None,
                data: candidate,
            }),
            PeerEvent::Track(stream) => self.ui.remote.update(|m| {
                m.insert(id, stream);
            }),
            PeerEvent::State(state) if PeerLink::failed(state) => link.restart_ice(),
            PeerEvent::State(_) => {}
        }
    }

    async fn on_command(&mut self, command: Command) -> Go {
        match command {
            Command::Leave => {
                self.socket.send(&ClientMsg::Leave);
                return self.end(Phase::Left);
            }
            Command::SetMic(on) => {
                for track in media::tracks(&self.local, "audio") {
                    track.set_enabled(on);
                }
                self.ui.mic_on.set(on);
                self.ui.announce(if on {
                    Announcement::MicOn
                } else {
                    Announcement::MicOff
                });
            }
            Command::SetCamera(on) => self.set_track("video", on).await,
            Command::UseCamera(id) => {
                self.ui.camera.set(Some(id));
                if self.ui.cam_on.get_untracked() {
                    self.set_track("video", true).await;
                }
            }
            Command::UseMic(id) => {
                self.ui.mic.set(Some(id));
                self.set_track("audio", true).await;
                let on = self.ui.mic_on.get_untracked();
                media::tracks(&self.local, "audio")
                    .iter()
                    .for_each(|t| t.set_enabled(on));
            }
        }
        self.socket.send(&ClientMsg::Media(self.media_state()));
        true
    }

    /// Opens (`on`) or stops the local track of `kind` and hands the change to every link with
    /// `replaceTrack`, so no connection renegotiates.
    async fn set_track(&mut self, kind: &str, on: bool) {
        let new = if on {
            let device = if kind == "audio" {
                self.ui.mic.get_untracked()
            } else {
                self.ui.camera.get_untracked()
            };
            match media::open_track(kind, device.as_deref()).await {
                Ok(track) => Some(track),
                Err(e) => {
                    warn("opening a device failed", &e);
                    self.ui.announce(Announcement::DeviceFailed);
                    return;
                }
            }
        } else {
            None
        };
        for link in self.peers.values_mut() {
            link.replace_track(kind, new.as_ref(), &self.local).await;
        }
        for old in media::tracks(&self.local, kind) {
            self.local.remove_track(&old);
            old.stop();
        }
        if let Some(track) = &new {
            self.local.add_track(track);
        }
        if kind == "video" {
            self.ui.cam_on.set(on);
            self.ui.announce(if on {
                Announcement::CameraOn
            } else {
                Announcement::CameraOff
            });
        }
        self.ui.local.set(Some(self.local.clone()));
    }

    /// What we send, as others should see it.
    fn media_state(&self) -> MediaState {
        let live = |kind| media::tracks(&self.local, kind).iter().any(|t| t.enabled());
        MediaState {
            audio: self.ui.mic_on.get_untracked() && live("audio"),
            video: self.ui.cam_on.get_untracked() && live("video"),
        }
    }

    fn connect(&mut self, remote: PeerId, initiate: bool) {
        match PeerLink::new(self.me, remote, &self.ice, &self.local, initiate, &self.tx) {
            Ok(link) => {
                self.peers.insert(remote, link);
            }
            Err(e) => warn("creating a peer connection failed", &e),
        }
    }

    fn end(&mut self, phase: Phase) -> Go {
        self.peers.clear();
        // Leaving turns the camera light off.
        media::stop(&self.local);
        self.ui.local.set(None);
        self.ui.remote.set(HashMap::new());
        self.ui.peers.set(Vec::new());
        // A lost connection after a deliberate leave is no news.
        if self.ui.phase.get_untracked() != Phase::Left {
            self.ui.phase.set(phase);
        }
        false
    }
}

/// One line per event at debug level (hidden unless "Verbose" is on in DevTools): enough to follow
/// a negotiation when a call misbehaves.
fn debug(event: &Event) {
    let line = match event {
        Event::SocketOpen => "socket open".to_string(),
        Event::SocketClosed => "socket closed".to_string(),
        Event::JoinTimeout => "join timeout".to_string(),
        Event::Server(ServerMsg::Signal {
            from,
            data: Signal::Description { sdp_type, .. },
        }) => {
            format!("{sdp_type} from {from}")
        }
        Event::Server(ServerMsg::Signal { from, .. }) => format!("candidate from {from}"),
        Event::Server(msg) => format!("server: {msg:?}").chars().take(120).collect(),
        Event::Peer(id, PeerEvent::NegotiationNeeded) => format!("negotiation needed with {id}"),
        Event::Peer(id, PeerEvent::Signal(_)) => format!("local candidate for {id}"),
        Event::Peer(id, PeerEvent::Track(_)) => format!("track from {id}"),
        Event::Peer(id, PeerEvent::State(s)) => format!("connection with {id}: {s:?}"),
        Event::Ui(c) => format!("command {c:?}"),
    };
    web_sys::console::debug_1(&format!("[call] {line}").into());
}

/// Resolves after `ms` milliseconds (a `setTimeout` promise: no callback to own or forget).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn warn(what: &str, e: &JsValue) {
    web_sys::console::warn_2(&what.into(), e);
}
