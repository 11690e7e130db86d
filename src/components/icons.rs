//! Inline SVG icons (no icon font, no extra request). Decorative: the text beside them names them.

use leptos::prelude::*;

fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// Microphone.
pub fn mic() -> AnyView {
    icon("M12 3a3 3 0 0 1 3 3v6a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM5 11a7 7 0 0 0 14 0M12 18v3")
        .into_any()
}

/// Microphone, struck through.
pub fn mic_off() -> AnyView {
    icon("M3 3l18 18M9 9v3a3 3 0 0 0 5 2.2M15 10V6a3 3 0 0 0-5.7-1.3M5 11a7 7 0 0 0 11.5 5.4M19 11a7 7 0 0 1-.6 2.8M12 18v3").into_any()
}

/// Sound waves beside a speaker: someone is talking.
pub fn speaking() -> AnyView {
    icon("M4 9v6h4l5 4V5L8 9zM16 9a4 4 0 0 1 0 6M19 6a8 8 0 0 1 0 12").into_any()
}

/// Video camera.
pub fn camera() -> AnyView {
    icon("M3 7h12v10H3zM15 10l6-3v10l-6-3").into_any()
}

/// Video camera, struck through.
pub fn camera_off() -> AnyView {
    icon("M3 3l18 18M15 11V7H8M3 7v10h12v-2M15 10l6-3v10l-4-2").into_any()
}

/// Leaving (a door with an arrow).
pub fn leave() -> AnyView {
    icon("M10 17l5-5-5-5M15 12H3M14 3h6v18h-6").into_any()
}

/// Enlarge (arrows to the corners).
pub fn enlarge() -> AnyView {
    icon("M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5").into_any()
}

/// Shrink (arrows to the centre).
pub fn shrink() -> AnyView {
    icon("M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5").into_any()
}

/// Copy (two sheets).
pub fn copy() -> AnyView {
    icon("M9 9h11v11H9zM5 15H4V4h11v1").into_any()
}

/// A raised hand.
pub fn hand() -> AnyView {
    icon("M8 13V5a1.5 1.5 0 0 1 3 0v6M11 11V3.5a1.5 1.5 0 0 1 3 0V11M14 11V5a1.5 1.5 0 0 1 3 0v7M17 10a1.5 1.5 0 0 1 3 0v4a8 8 0 0 1-8 8h-1a7 7 0 0 1-5.6-2.8L3 15.5a1.5 1.5 0 0 1 2.4-1.8L8 16")
        .into_any()
}

/// A screen (for sharing it).
pub fn screen() -> AnyView {
    icon("M3 4h18v12H3zM8 20h8M12 16v4").into_any()
}

/// A speech bubble (chat).
pub fn chat() -> AnyView {
    icon("M4 5h16v11H9l-5 4z").into_any()
}
