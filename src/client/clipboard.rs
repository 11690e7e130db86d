//! Copying a link to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; returns whether the browser accepted it (it refuses on insecure origins).
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return false;
    }
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
