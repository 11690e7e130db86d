//! Telling the media peer what we display (`view`): the views say which tiles they show
//! (`Command::View`), and the engine sends it in an SFU room whenever it differs from what the
//! server last got — and again after a resume or a switch to the media peer, when the server may
//! not have it. In a mesh there is nobody to tell: each link carries one camera, and the media
//! peer gets the view the moment the room switches.

use super::engine::Engine;
use crate::call_model::pagination::tiles_that_fit;
use crate::call_model::topology::Media;
use crate::call_model::Phase;
use crate::protocol::{ClientMsg, PeerId, Tile};

impl Engine {
    /// The views show these tiles now.
    pub(super) fn want_view(&mut self, tiles: Vec<Tile>) {
        self.view.want(tiles);
        self.send_view();
    }

    /// The server may have lost our view (a resume, a switch of topology): send it again.
    pub(super) fn resend_view(&mut self) {
        self.view.resend();
        self.send_view();
    }

    /// Just admitted, resumed or switched to the media peer, before our offer to it: our view
    /// (a guess at the first page of `present` if the views have not drawn the call yet), so
    /// that the media peer opens m-lines for the cameras we show, not for every camera.
    pub(super) fn view_ahead(&mut self, present: &[PeerId]) {
        self.view.guess(present, tiles_that_fit());
        self.view.resend();
        if self.media == Media::Sfu && self.connection.is_up() {
            self.send_due_view();
        }
    }

    /// Sends the wanted view if it is due and the server can take it.
    fn send_view(&mut self) {
        let can =
            self.media == Media::Sfu && self.connection.is_up() && self.phase == Phase::InCall;
        if can {
            self.send_due_view();
        }
    }

    fn send_due_view(&mut self) {
        if let Some(tiles) = self.view.due() {
            self.send(&ClientMsg::View { tiles });
        }
    }
}
