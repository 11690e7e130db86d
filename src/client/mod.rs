//! Browser-only code: the WebRTC call engine and the browser APIs it needs.
//!
//! Every JS callback here is a `Closure` owned by the struct that registered it and unregistered
//! in its `Drop`, so leaving a call leaks nothing and no callback fires into freed state.

pub mod clipboard;
pub mod engine;
pub mod media;
pub mod peer;
pub mod socket;

pub use engine::{start, CallHandle, JoinRequest};
