//! The call engine: one channel, one async loop that owns the socket and every peer link.
//!
//! Socket messages, peer-connection callbacks, device answers and button presses all arrive as
//! [`Event`]s on one channel and are handled strictly in order, so an ICE candidate can never be
//! applied before the description it belongs to. Nothing slow for the user waits inside the loop:
//! camera, microphone and screen are opened by spawned futures that post their answer back, so a
//! pending permission prompt never stalls signaling. The loop reports to the views only through
//! [`Update`]s; if nobody listens any more, the call ends.

use std::collections::{HashMap, HashSet};

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use wasm_bindgen::JsValue;
use web_sys::MediaStream;

use super::events::{CallHandle, Event, JoinRequest, Update};
use super::{levels, media, peer::PeerLink, screen::ScreenShare, socket::Socket, trace};
use crate::call_model::connection::Connection;
use crate::call_model::speaker::{Heard, Speakers};
use crate::call_model::topology::{Media, StreamOwner};
use crate::call_model::view::ViewState;
use crate::call_model::{Phase, Signaling};
use crate::protocol::{ClientMsg, IceServer, MediaState, PeerId, PeerInfo, Role};

/// Connects and joins; the call runs until `Leave`, an `ended`, a refusal or the views' end. A lost
/// connection does not end it: the engine connects again and resumes. Updates for the views go to
/// `out`.
pub fn start(request: JoinRequest, out: UnboundedSender<Update>) -> Result<CallHandle, JsValue> {
    let (tx, rx) = unbounded();
    let local = request.local.clone().map_or_else(MediaStream::new, Ok)?;
    let mut engine = Engine {
        out,
        socket: None,
        connection: Connection::new(),
        signaling: Signaling::Up,
        tx: tx.clone(),
        phase: Phase::Joining,
        me: None,
        others: Vec::new(),
        ice: Vec::new(),
        peers: HashMap::new(),
        media: Media::Mesh,
        forwarded: HashMap::new(),
        restart_due: HashSet::new(),
        negotiation_due: HashSet::new(),
        local,
        mic_on: request.mic_on,
        cam_on: request.cam_on,
        camera: request.camera.clone(),
        mic: request.mic.clone(),
        opening: [0, 0],
        screen: None,
        screen_pending: false,
        may_share: true,
        last_was_chat: false,
        view_gone: false,
        speakers: Speakers::default(),
        heard: Heard::default(),
        audio_totals: HashMap::new(),
        view: ViewState::default(),
        request,
    };
    engine.open_socket();
    levels::start_clock(tx.clone());
    wasm_bindgen_futures::spawn_local(engine.run(rx));
    Ok(CallHandle::new(tx))
}

/// The loop's state. Fields are crate-visible to the `on_*` files that extend it.
pub(super) struct Engine {
    pub(super) out: UnboundedSender<Update>,
    /// The signaling socket, while one is open or opening.
    pub(super) socket: Option<Socket>,
    /// What to say on it first, and when to try again after losing it.
    pub(super) connection: Connection,
    /// What the views were last told about signaling.
    pub(super) signaling: Signaling,
    pub(super) tx: UnboundedSender<Event>,
    pub(super) request: JoinRequest,
    pub(super) phase: Phase,
    /// Ourselves as the server describes us (after `joined`).
    pub(super) me: Option<PeerInfo>,
    /// Everyone else, in joining order.
    pub(super) others: Vec<PeerInfo>,
    pub(super) ice: Vec<IceServer>,
    /// Our links: one per participant in a mesh, one to the media peer (`MEDIA_PEER`) in an SFU
    /// room.
    pub(super) peers: HashMap<PeerId, PeerLink>,
    /// How the room's media flows (the latest `joined` or `topology`).
    pub(super) media: Media,
    /// What the media peer forwards to us, by whose it is.
    pub(super) forwarded: HashMap<StreamOwner, MediaStream>,
    /// Links whose ICE needs a restart that could not be negotiated yet (signaling was away).
    pub(super) restart_due: HashSet<PeerId>,
    /// Links that wanted to renegotiate while signaling was away.
    pub(super) negotiation_due: HashSet<PeerId>,
    /// Our camera and microphone; its tracks are swapped in place.
    pub(super) local: MediaStream,
    pub(super) mic_on: bool,
    pub(super) cam_on: bool,
    pub(super) camera: Option<String>,
    pub(super) mic: Option<String>,
    /// The latest device request per kind (audio, video): older answers are stale.
    pub(super) opening: [u32; 2],
    pub(super) screen: Option<ScreenShare>,
    pub(super) screen_pending: bool,
    /// Whether we may share a screen now (a teacher, or students may): a picker answered after
    /// the teacher turned sharing off shares nothing.
    pub(super) may_share: bool,
    /// Whether our last request was a chat message, to word a refusal where it belongs.
    pub(super) last_was_chat: bool,
    view_gone: bool,
    /// Who speaks, from the audio levels (`levels`), and what the views were last told of it.
    pub(super) speakers: Speakers,
    pub(super) heard: Heard,
    /// Each audio statistic's cumulative energy and duration at the last poll, by link and id.
    pub(super) audio_totals: HashMap<String, (f64, f64)>,
    /// The `view` the views want and the one the server got (`on_view`).
    pub(super) view: ViewState,
}

/// Whether the loop goes on.
pub(super) type Go = bool;

impl Engine {
    async fn run(mut self, mut rx: UnboundedReceiver<Event>) {
        while let Some(event) = rx.next().await {
            let go = self.handle(event).await;
            if !go {
                break;
            }
            if self.view_gone {
                self.send_now(&ClientMsg::Leave);
                self.end(Phase::Left);
                break;
            }
        }
        // Dropping self closes every peer connection, the socket and the screen share, and
        // detaches their callbacks.
    }

    async fn handle(&mut self, event: Event) -> Go {
        trace::debug(&event);
        match event {
            // From a socket given up: its news is no longer ours.
            Event::SocketOpen(g) | Event::SocketClosed(g, _) | Event::Server(g, _)
                if g != self.connection.generation() =>
            {
                true
            }
            Event::SocketOpen(_) => {
                self.on_socket_open();
                true
            }
            Event::SocketClosed(_, code) => {
                self.lose_socket(Some(code));
                true
            }
            Event::Reconnect(generation) => {
                self.on_reconnect(generation);
                true
            }
            Event::AnswerTimeout(generation) => self.on_answer_timeout(generation),
            Event::Server(_, msg) => self.on_server(msg).await,
            Event::Peer(id, event) => {
                self.on_peer(id, event).await;
                true
            }
            Event::Ui(command) => self.on_command(command).await,
            Event::TrackOpened { kind, seq, result } => {
                self.on_track_opened(kind, seq, result).await;
                true
            }
            Event::ScreenOpened(result) => {
                self.on_screen_opened(result).await;
                true
            }
            Event::ScreenEnded => {
                self.stop_share().await;
                true
            }
            Event::ViewGone => {
                self.view_gone = true;
                true
            }
            Event::LevelsDue => {
                self.on_levels_due().await;
                true
            }
        }
    }

    /// Hands an update to the views; if they are gone, the call ends after this event.
    pub(super) fn emit(&mut self, update: Update) {
        if self.out.unbounded_send(update).is_err() {
            self.view_gone = true;
        }
    }

    /// What we send, as others should see it.
    pub(super) fn media_state(&self) -> MediaState {
        let live = |kind| media::tracks(&self.local, kind).iter().any(|t| t.enabled());
        MediaState {
            audio: self.mic_on && live("audio"),
            video: self.cam_on && live("video"),
            screen: self.screen.is_some(),
        }
    }

    pub(super) fn is_teacher(&self) -> bool {
        self.me.as_ref().is_some_and(|me| me.role == Role::Teacher)
    }

    pub(super) fn me_id(&self) -> PeerId {
        self.me.as_ref().map_or(0, |me| me.id)
    }

    pub(super) fn set_phase(&mut self, phase: Phase) {
        self.phase = phase.clone();
        self.emit(Update::Phase(phase));
    }

    /// Closes every link, turns camera, microphone and screen share off, and tells the views why.
    pub(super) fn end(&mut self, phase: Phase) -> Go {
        self.peers.clear();
        self.forwarded.clear();
        self.restart_due.clear();
        self.negotiation_due.clear();
        self.speakers = Speakers::default();
        self.heard = Heard::default();
        self.audio_totals.clear();
        self.screen = None;
        // Leaving turns the camera light off.
        media::stop(&self.local);
        self.emit(Update::Local(None));
        self.emit(Update::LocalScreen(None));
        self.emit(Update::Clear);
        // A lost connection after a deliberate leave is no news.
        if self.phase != Phase::Left {
            self.set_phase(phase);
        }
        false
    }
}

pub(super) fn warn(what: &str, e: &JsValue) {
    web_sys::console::warn_2(&what.into(), e);
}
