//! The call's UI state: signals the views read, written by the lobby and by the adapter that
//! applies the engine's updates (browser only).
//!
//! Plain data is in ordinary signals; browser media objects are not `Send`, so they live in
//! local-storage signals that exist only in the browser build.

use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use {std::collections::HashMap, web_sys::MediaStream};

use crate::call_model::view::large_tile;
pub use crate::call_model::{
    Announcement, Command, Device, EndReason, MediaProblem, Phase, Signaling,
};
use crate::protocol::{ChatLine, ErrorCode, Knock, PeerId, PeerInfo, Role, Settings};

/// All signals of one call page. `Copy`: pass it anywhere.
#[derive(Clone, Copy)]
pub struct CallState {
    pub phase: RwSignal<Phase>,
    /// Whether the connection to the server is there; the call goes on while it is not.
    pub signaling: RwSignal<Signaling>,
    pub me: RwSignal<Option<PeerInfo>>,
    /// The other participants, in joining order.
    pub peers: RwSignal<Vec<PeerInfo>>,
    pub mic_on: RwSignal<bool>,
    pub cam_on: RwSignal<bool>,
    /// We are sharing our screen.
    pub sharing: RwSignal<bool>,
    pub cameras: RwSignal<Vec<Device>>,
    pub mics: RwSignal<Vec<Device>>,
    /// Chosen device ids (`None`: the browser's default).
    pub camera: RwSignal<Option<String>>,
    pub mic: RwSignal<Option<String>>,
    pub media_problem: RwSignal<Option<MediaProblem>>,
    /// The lobby's media request has been answered (false during server rendering), so Join can
    /// start a call with the right tracks.
    pub ready: RwSignal<bool>,
    pub settings: RwSignal<Settings>,
    /// Teachers: students waiting to be let in, in knocking order.
    pub waiting: RwSignal<Vec<Knock>>,
    pub chat: RwSignal<Vec<ChatLine>>,
    /// Why the server refused our last chat message, until the next one is sent.
    pub chat_error: RwSignal<Option<ErrorCode>>,
    /// Browser only: the server never holds media, and a local signal dropped by the server's
    /// multi-threaded runtime on another thread would panic.
    #[cfg(feature = "hydrate")]
    pub local: RwSignal<Option<MediaStream>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub local_screen: RwSignal<Option<MediaStream>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub remote: RwSignal<HashMap<PeerId, MediaStream>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub screens: RwSignal<HashMap<PeerId, MediaStream>, LocalStorage>,
    /// The tile the user pinned large, if any.
    pub enlarged: RwSignal<Option<PeerId>>,
    /// Who speaks now (ourselves included), by peer id, ascending.
    pub speaking: RwSignal<Vec<PeerId>>,
    /// The active speaker, large unless a tile is pinned or a screen shared.
    pub active_speaker: RwSignal<Option<PeerId>>,
    /// The latest news for the live region.
    pub announcement: RwSignal<Option<Announcement>>,
}

impl CallState {
    /// Fresh state for the lobby.
    pub fn new() -> Self {
        CallState {
            phase: RwSignal::new(Phase::Lobby),
            signaling: RwSignal::new(Signaling::Up),
            me: RwSignal::new(None),
            peers: RwSignal::new(Vec::new()),
            mic_on: RwSignal::new(true),
            cam_on: RwSignal::new(true),
            sharing: RwSignal::new(false),
            cameras: RwSignal::new(Vec::new()),
            mics: RwSignal::new(Vec::new()),
            camera: RwSignal::new(None),
            mic: RwSignal::new(None),
            media_problem: RwSignal::new(None),
            ready: RwSignal::new(false),
            settings: RwSignal::new(Settings::default()),
            waiting: RwSignal::new(Vec::new()),
            chat: RwSignal::new(Vec::new()),
            chat_error: RwSignal::new(None),
            #[cfg(feature = "hydrate")]
            local: RwSignal::new_local(None),
            #[cfg(feature = "hydrate")]
            local_screen: RwSignal::new_local(None),
            #[cfg(feature = "hydrate")]
            remote: RwSignal::new_local(HashMap::new()),
            #[cfg(feature = "hydrate")]
            screens: RwSignal::new_local(HashMap::new()),
            enlarged: RwSignal::new(None),
            speaking: RwSignal::new(Vec::new()),
            active_speaker: RwSignal::new(None),
            announcement: RwSignal::new(None),
        }
    }

    /// Whether we joined as a teacher (reactive).
    pub fn is_teacher(&self) -> bool {
        self.me
            .with(|me| me.as_ref().is_some_and(|m| m.role == Role::Teacher))
    }

    /// A participant as the server last described them (reactive).
    pub fn peer(&self, id: PeerId) -> Option<PeerInfo> {
        self.peers
            .with(|list| list.iter().find(|p| p.id == id).cloned())
    }

    /// Whether our microphone may be turned on: teachers always, students unless microphones are
    /// locked and they were not given the word (reactive).
    pub fn may_speak(&self) -> bool {
        self.me.with(|me| me.as_ref().is_none_or(|m| m.may_speak))
    }

    /// The camera tile shown large: pinned, else the active speaker while no screen is shared
    /// (reactive).
    pub fn large(&self) -> Option<PeerId> {
        let screen_shown =
            self.sharing.get() || self.peers.with(|l| l.iter().any(|p| p.media.screen));
        large_tile(self.enlarged.get(), screen_shown, self.active_speaker.get())
    }

    /// Whether `id` is speaking now (reactive).
    pub fn is_speaking(&self, id: PeerId) -> bool {
        self.speaking.with(|s| s.contains(&id))
    }

    /// Whether we may share our screen now (reactive).
    pub fn may_share(&self) -> bool {
        self.is_teacher() || self.settings.with(|s| s.students_may_share)
    }
}

impl Default for CallState {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a participant's audio may be played: teachers always; anyone else only while the
/// server says their microphone is on and they may speak. Enforced by every receiver, so a
/// modified client gains nothing by sending audio it was told not to.
pub fn audible(peer: &PeerInfo) -> bool {
    peer.role == Role::Teacher || (peer.media.audio && peer.may_speak)
}

/// Raised hands, first raised first (by the server's sequence number).
pub fn hand_queue(peers: &[PeerInfo]) -> Vec<PeerInfo> {
    let mut raised: Vec<PeerInfo> = peers.iter().filter(|p| p.hand.is_some()).cloned().collect();
    raised.sort_by_key(|p| p.hand.map(|h| h.seq));
    raised
}
