//! Browser-only code: the WebRTC call engine and the browser APIs it needs. Nothing here knows the
//! views: the engine takes [`Command`](crate::call_model::Command)s and emits [`Update`]s.
//!
//! Every JS callback here is a `Closure` owned by the struct that registered it and unregistered
//! in its `Drop`, so leaving a call leaks nothing and no callback fires into freed state.

mod attendee;
mod chime;
pub mod clipboard;
pub mod engine;
pub mod events;
mod ice_restart;
mod levels;
pub mod media;
mod on_command;
mod on_joined;
mod on_peer;
mod on_server;
mod on_view;
pub mod peer;
mod rtc;
mod screen;
mod signaling;
pub mod socket;
mod timer;
mod topology;
mod trace;

pub use engine::start;
pub use events::{CallHandle, JoinRequest, Update};
