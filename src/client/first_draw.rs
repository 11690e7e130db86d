//! When the views first draw the call after a join.
//!
//! Drawing the call is the page's largest change (the lobby becomes tiles, panels and the
//! toolbar: 15–30 ms of the main thread on the project machine, more on a cheap laptop). Drawn
//! as soon as `joined` arrives, it sat between our offers going out and their answers being
//! read, so every answer waited for it (docs/BENCHMARKS.md, "The phases of a join"). So after a
//! join that offers, the engine holds its updates for the views until the first answer is
//! applied, or for [`HOLD_MS`] at most: then the drawing overlaps ICE and DTLS, which run off
//! the main thread, instead of delaying them.

use super::engine::Engine;
use super::events::{Event, Update};
use super::timer;

/// The longest the views wait for the first answer before they draw the call anyway.
const HOLD_MS: i32 = 150;

impl Engine {
    /// From now on updates for the views are kept back until [`Engine::show_call`].
    pub(super) fn hold_views(&mut self) {
        if self.held.is_some() {
            return;
        }
        self.held = Some(Vec::new());
        let tx = self.tx.clone();
        wasm_bindgen_futures::spawn_local(async move {
            timer::sleep_ms(HOLD_MS).await;
            let _ = tx.unbounded_send(Event::ShowCall);
        });
    }

    /// Hands the views what was kept back, in order (a no-op when nothing is held).
    pub(super) fn show_call(&mut self) {
        for update in self.held.take().unwrap_or_default() {
            self.emit(update);
        }
    }

    /// Keeps `update` back if the views are held; gives it back otherwise.
    pub(super) fn hold(&mut self, update: Update) -> Option<Update> {
        match &mut self.held {
            Some(held) => {
                held.push(update);
                None
            }
            None => Some(update),
        }
    }
}
