//! The call's UI state: signals written by the engine (browser only) and read by the views.
//!
//! Plain data is in ordinary signals; browser media objects are not `Send`, so they live in
//! local-storage signals that exist only in the browser build.

use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use {std::collections::HashMap, web_sys::MediaStream};

use crate::protocol::{ErrorCode, PeerId, PeerInfo};

/// Where the user is in the call's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Lobby,
    Joining,
    InCall,
    Left,
    Ended(EndReason),
}

/// Why a call ended without the user leaving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    RoomFull,
    Refused(ErrorCode),
    ConnectionLost,
    /// The server did not answer the join in time.
    JoinTimeout,
}

/// What the views ask of a running call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Leave,
    SetMic(bool),
    SetCamera(bool),
    UseCamera(String),
    UseMic(String),
}

/// Something to tell screen-reader users; the view words it in the page's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Announcement {
    Joined(String),
    Left(String),
    MicOn,
    MicOff,
    CameraOn,
    CameraOff,
    DeviceFailed,
}

/// A camera or microphone to choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    /// Empty until the user granted access.
    pub label: Option<String>,
    /// 1-based position, to name unlabelled devices.
    pub number: usize,
}

/// Why the call runs without (some of) the user's own media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaProblem {
    /// Only one of camera and microphone could be opened.
    Partial,
    /// The browser or the user refused access.
    Denied,
    /// No device, or it is in use elsewhere.
    Unavailable,
}

/// All signals of one call page. `Copy`: pass it anywhere.
#[derive(Clone, Copy)]
pub struct CallState {
    pub phase: RwSignal<Phase>,
    pub me: RwSignal<Option<PeerInfo>>,
    /// The other participants, in joining order.
    pub peers: RwSignal<Vec<PeerInfo>>,
    pub mic_on: RwSignal<bool>,
    pub cam_on: RwSignal<bool>,
    pub cameras: RwSignal<Vec<Device>>,
    pub mics: RwSignal<Vec<Device>>,
    /// Chosen device ids (`None`: the browser's default).
    pub camera: RwSignal<Option<String>>,
    pub mic: RwSignal<Option<String>>,
    pub media_problem: RwSignal<Option<MediaProblem>>,
    /// The lobby's media request has been answered (false during server rendering), so Join can
    /// start a call with the right tracks.
    pub ready: RwSignal<bool>,
    /// Browser only: the server never holds media, and a local signal dropped by the server's
    /// multi-threaded runtime on another thread would panic.
    #[cfg(feature = "hydrate")]
    pub local: RwSignal<Option<MediaStream>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    pub remote: RwSignal<HashMap<PeerId, MediaStream>, LocalStorage>,
    /// The tile shown large, if any.
    pub enlarged: RwSignal<Option<PeerId>>,
    /// The latest news for the screen-reader live region.
    pub announcement: RwSignal<Option<Announcement>>,
}

impl CallState {
    /// Fresh state for the lobby.
    pub fn new() -> Self {
        CallState {
            phase: RwSignal::new(Phase::Lobby),
            me: RwSignal::new(None),
            peers: RwSignal::new(Vec::new()),
            mic_on: RwSignal::new(true),
            cam_on: RwSignal::new(true),
            cameras: RwSignal::new(Vec::new()),
            mics: RwSignal::new(Vec::new()),
            camera: RwSignal::new(None),
            mic: RwSignal::new(None),
            media_problem: RwSignal::new(None),
            ready: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            local: RwSignal::new_local(None),
            #[cfg(feature = "hydrate")]
            remote: RwSignal::new_local(HashMap::new()),
            enlarged: RwSignal::new(None),
            announcement: RwSignal::new(None),
        }
    }

    /// Says something to screen-reader users.
    pub fn announce(&self, news: Announcement) {
        self.announcement.set(Some(news));
    }

    /// A participant's display name, if they are in the call.
    pub fn name_of(&self, peer: PeerId) -> Option<String> {
        self.peers
            .with_untracked(|l| l.iter().find(|p| p.id == peer).map(|p| p.name.clone()))
    }
}

impl Default for CallState {
    fn default() -> Self {
        Self::new()
    }
}
