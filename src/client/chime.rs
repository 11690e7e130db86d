//! A short, soft two-note cue (WebAudio) when a student knocks, so a teacher looking at the board
//! notices the waiting room.
//!
//! Called through `Reflect` because the crate's web-sys features do not include the Web Audio
//! types; every step may fail (no audio device, autoplay policy) and then the cue is just silent.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Plays the knock cue; silently does nothing where audio is unavailable.
pub fn play() {
    if let Err(e) = try_play() {
        web_sys::console::debug_2(&"[call] knock cue not played".into(), &e);
    }
}

fn try_play() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let class: Function = Reflect::get(&window, &"AudioContext".into())?.dyn_into()?;
    let ctx = Reflect::construct(&class, &Array::new())?;
    let now = get(&ctx, "currentTime")?.as_f64().unwrap_or(0.0);
    let gain = call(&ctx, "createGain", &[])?;
    let level = get(&gain, "gain")?;
    // Quiet, with a quick fade in and out so the notes do not click.
    call(&level, "setValueAtTime", &[0.0.into(), now.into()])?;
    call(
        &level,
        "linearRampToValueAtTime",
        &[0.15.into(), (now + 0.02).into()],
    )?;
    call(
        &level,
        "linearRampToValueAtTime",
        &[0.0.into(), (now + 0.45).into()],
    )?;
    call(&gain, "connect", &[get(&ctx, "destination")?])?;
    for (freq, start) in [(660.0, 0.0), (880.0, 0.18)] {
        let osc = call(&ctx, "createOscillator", &[])?;
        call(
            &get(&osc, "frequency")?,
            "setValueAtTime",
            &[JsValue::from(freq), now.into()],
        )?;
        call(&osc, "connect", std::slice::from_ref(&gain))?;
        call(&osc, "start", &[(now + start).into()])?;
        call(&osc, "stop", &[(now + start + 0.25).into()])?;
    }
    // Free the audio device once the cue is over.
    let close: Function = get(&ctx, "close")?.dyn_into()?;
    let later = close.bind0(&ctx);
    window.set_timeout_with_callback_and_timeout_and_arguments_0(&later, 1000)?;
    Ok(())
}

fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &name.into())
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method)?.dyn_into()?;
    Reflect::apply(&f, target, &args.iter().collect::<Array>())
}
