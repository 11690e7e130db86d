//! One module per page.

mod admin;
mod home;
mod lazy;
mod not_found;
mod room;
mod room_closed;

pub use admin::{AdminLoginPage, AdminPage, AdminRoomPage, AdminSessionPage};
pub use home::HomePage;
#[cfg(feature = "hydrate")]
pub use lazy::preload_for;
pub use lazy::{AdminLoginRoute, AdminRoomRoute, AdminRoute, AdminSessionRoute};
pub use not_found::NotFound;
pub use room::RoomPage;
pub use room_closed::RoomClosed;
