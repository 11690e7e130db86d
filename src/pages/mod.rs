//! One module per page.

mod home;
mod not_found;
mod room;
mod room_closed;

pub use home::HomePage;
pub use not_found::NotFound;
pub use room::RoomPage;
pub use room_closed::RoomClosed;
