//! Classroom: self-hosted classroom video calls. Server (feature `ssr`) and browser (feature
//! `hydrate`) are built from this one crate; `protocol` and the views are shared.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod protocol;

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point, called by the generated JS once the WASM module has loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
