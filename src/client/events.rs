//! What flows into the call loop ([`Event`]) and out of it to the views ([`Update`]).
//!
//! The engine never touches a view: it sends `Update`s to whoever listens (the adapter in
//! `components/call`), so a page that is gone can never be written to, and the engine can be
//! driven and observed without any views at all.

use std::rc::Rc;

use futures::channel::mpsc::UnboundedSender;
use wasm_bindgen::JsValue;
use web_sys::{MediaStream, MediaStreamTrack, RtcPeerConnectionState};

use crate::call_model::speaker::Heard;
use crate::call_model::{Announcement, Command, Phase, Signaling};
use crate::protocol::{
    ChatLine, ErrorCode, Knock, MediaState, PeerId, PeerInfo, ServerMsg, Settings, Signal,
};

/// Something a peer connection reported.
pub enum PeerEvent {
    NegotiationNeeded,
    /// A local ICE candidate to relay.
    Signal(Signal),
    /// The remote camera and microphone stream.
    Track(MediaStream),
    /// The remote screen share stream (a video track beyond the first video transceiver).
    Screen(MediaStream),
    /// A stream the media peer forwards; its id says whose it is (`call_model::topology`).
    Forwarded(MediaStream),
    State(RtcPeerConnectionState),
    /// A second has passed since the connection went `disconnected`: restart ICE if it still is.
    DisconnectedAWhile,
    /// The link to the media peer was made `call_model::recovery::CONNECT_DEADLINE_MS` ago and is
    /// still open: replace it if it never connected.
    ConnectDeadline,
}

/// Everything the loop reacts to. Socket events carry the generation of the socket they come from
/// (see [`Connection`](crate::call_model::connection::Connection)): one from a socket given up is
/// stale.
pub enum Event {
    SocketOpen(u32),
    /// The signaling socket closed, with the close code it said (1006 when it just broke).
    SocketClosed(u32, u16),
    /// The pause after losing socket number `generation` is over: connect again.
    Reconnect(u32),
    /// The answer timeout passed since socket number `generation` sent its join or resume.
    AnswerTimeout(u32),
    Server(u32, ServerMsg),
    Peer(PeerId, PeerEvent),
    Ui(Command),
    /// A device request made in the background was answered; `seq` tells stale answers apart.
    TrackOpened {
        kind: &'static str,
        seq: u32,
        result: Result<MediaStreamTrack, JsValue>,
    },
    /// The screen picker was answered.
    ScreenOpened(Result<MediaStream, JsValue>),
    /// The browser's own "Stop sharing" ended the shared track.
    ScreenEnded,
    /// The page that showed the call is gone: end the call.
    ViewGone,
    /// Time to read the audio levels (`levels`).
    LevelsDue,
}

/// A change for the views to apply. Streams are browser objects, hence this type is browser-only.
pub enum Update {
    Phase(Phase),
    /// Signaling was lost or is back; the call goes on either way.
    Signaling(Signaling),
    Me(PeerInfo),
    /// Everyone else, replacing the list.
    Peers(Vec<PeerInfo>),
    /// Someone joined or changed (hand, right to speak, media as the server holds it).
    Peer(PeerInfo),
    PeerMedia(PeerId, MediaState),
    PeerGone(PeerId),
    Settings(Settings),
    Waiting(Vec<Knock>),
    Knock(Knock),
    KnockEnded(PeerId),
    /// The chat history, replacing what was shown.
    ChatHistory(Vec<ChatLine>),
    ChatLine(ChatLine),
    /// The server refused our last chat message.
    ChatRefused(ErrorCode),
    MicOn(bool),
    CameraOn(bool),
    Sharing(bool),
    Camera(String),
    Mic(String),
    Announce(Announcement),
    Local(Option<MediaStream>),
    LocalScreen(Option<MediaStream>),
    Remote(PeerId, MediaStream),
    RemoteScreen(PeerId, MediaStream),
    /// That participant's camera or screen stream stopped (its link closed, or the media peer
    /// stopped forwarding it): show nothing rather than its last frame.
    RemoteEnded(PeerId),
    RemoteScreenEnded(PeerId),
    /// Who speaks now and who is the active speaker changed.
    Speakers(Heard),
    /// The call is over: forget every remote stream and participant.
    Clear,
}

/// Who is joining which room, with what the lobby already opened.
pub struct JoinRequest {
    pub room: String,
    pub name: String,
    pub teacher_key: Option<String>,
    /// The lobby's preview stream; the call takes it over.
    pub local: Option<MediaStream>,
    pub mic_on: bool,
    pub cam_on: bool,
    pub camera: Option<String>,
    pub mic: Option<String>,
    /// A connection the lobby opened ahead of the click, if it is still there.
    pub standby: Option<super::socket::Standby>,
}

/// The views' way to talk to a running call. Sending after the call ended does nothing; when the
/// last clone is dropped (the page went away) the call ends.
#[derive(Clone)]
pub struct CallHandle {
    tx: UnboundedSender<Event>,
    _guard: Rc<ViewGuard>,
}

impl CallHandle {
    pub(crate) fn new(tx: UnboundedSender<Event>) -> Self {
        let guard = Rc::new(ViewGuard(tx.clone()));
        CallHandle { tx, _guard: guard }
    }

    /// Queues a command for the call loop.
    pub fn send(&self, command: Command) {
        let _ = self.tx.unbounded_send(Event::Ui(command));
    }
}

/// Ends the call when dropped: the views that could show it no longer exist.
struct ViewGuard(UnboundedSender<Event>);

impl Drop for ViewGuard {
    fn drop(&mut self) {
        let _ = self.0.unbounded_send(Event::ViewGone);
    }
}
