//! The camera tiles, a page at a time: as many as the viewport holds, with our own tile and the
//! large one on every page, and buttons to page through the rest. Also tells the call which
//! cameras are shown and how large (`view`), so the media peer forwards just those.

use leptos::prelude::*;

use super::controller::Controller;
use super::pager::Pager;
use super::state::{CallState, Command};
use super::tile::{Tile, Who};
use crate::call_model::pagination::{paginate, DEFAULT_PER_PAGE};
use crate::call_model::view::view_tiles;
use crate::protocol::PeerId;

/// Our tile, then everyone else's in joining order; those not on the page are hidden, not
/// removed: their video elements play their voices.
#[component]
pub fn Grid(state: CallState, ctl: Controller) -> impl IntoView {
    let page = RwSignal::new(0usize);
    let per_page = RwSignal::new(DEFAULT_PER_PAGE);
    #[cfg(feature = "hydrate")]
    watch_viewport(per_page);
    let large = Memo::new(move |_| state.large());
    let others = Memo::new(move |_| {
        state
            .peers
            .with(|l| l.iter().map(|p| p.id).collect::<Vec<PeerId>>())
    });
    let shown =
        Memo::new(move |_| others.with(|o| paginate(o, large.get(), per_page.get(), page.get())));
    // The engine sends it only when it differs from the last one the server got.
    Effect::new(move |_| {
        let tiles = shown.with(|p| view_tiles(&p.visible, large.get()));
        ctl.send(Command::View(tiles));
    });
    let count = move || shown.with(|p| p.visible.len()) + 1;
    view! {
        <div class="tiles" class:has-enlarged={move || large.get().is_some()} data-count=count>
            <Tile state who=Who::Me in_call=true />
            <For each=move || others.get() key=|id| *id let:id>
                <Tile
                    state
                    who=Who::Peer(id)
                    in_call=true
                    off_page=Signal::derive(move || shown.with(|p| !p.visible.contains(&id)))
                />
            </For>
        </div>
        <Pager page shown />
    }
}

/// Keeps `per_page` at what the window holds, now and after each resize; the listener goes with
/// the grid.
#[cfg(feature = "hydrate")]
fn watch_viewport(per_page: RwSignal<usize>) {
    let measure = move || {
        let fits = crate::call_model::pagination::tiles_that_fit();
        // Unchanged sizes (most resize events) must not recompute the page.
        if per_page.try_get_untracked() != Some(fits) {
            per_page.try_set(fits);
        }
    };
    // After hydration: the server rendered the default.
    Effect::new(move |_| measure());
    let listener = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || listener.remove());
}
