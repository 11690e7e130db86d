//! The call's code as WASM modules of their own (`cargo leptos --split`): the engine and the
//! call's view. The lobby, the first screen of a room link, needs neither. Both are fetched while a
//! name is typed ([`Controller::warm_up`]), and Join waits for them; a failed fetch ends the join
//! as a lost connection, and "Join again" fetches again (a failed load is not remembered).

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::controller::Controller;
use super::in_call::InCall;
use super::state::CallState;

/// Fetches and instantiates both modules; at once if they are here already.
#[cfg(feature = "hydrate")]
pub async fn load() -> Result<(), SplitLoaderError> {
    __wasm_split_preload_start_engine().await?;
    __wasm_split_preload_call_view().await
}

/// Why a call did not start: its module did not load, or the browser refused what the engine
/// needs first.
#[cfg(feature = "hydrate")]
pub struct StartError;

#[cfg(feature = "hydrate")]
impl From<SplitLoaderError> for StartError {
    fn from(_: SplitLoaderError) -> Self {
        StartError
    }
}

/// Starts the call engine and the adapter that feeds its updates to the views.
#[cfg(feature = "hydrate")]
#[wasm_split(call_engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn start_engine(
    state: CallState,
    request: crate::client::JoinRequest,
) -> Result<crate::client::CallHandle, StartError> {
    let (out, updates) = futures::channel::mpsc::unbounded();
    super::adapter::run(state, updates);
    crate::client::start(request, out).map_err(|_| StartError)
}

/// The call's view: stage, panels and controls.
#[wasm_split(call_view, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn call_view(state: CallState, ctl: Controller) -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <InCall state ctl /> }.into_any())
}
