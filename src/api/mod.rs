//! Server functions: typed calls from the page to the server (or direct calls during SSR).

pub mod admin;
pub mod admin_actions;
pub mod admin_rooms;
pub mod attendance;
pub mod rooms;
