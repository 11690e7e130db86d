//! Camera and microphone: opening them, listing them, stopping them.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaDeviceInfo, MediaDeviceKind, MediaStream, MediaStreamConstraints, MediaStreamTrack,
};

use crate::call_model::{Device, MediaProblem};

fn media_devices() -> Result<web_sys::MediaDevices, JsValue> {
    web_sys::window()
        .ok_or("no window")?
        .navigator()
        .media_devices()
}

/// `true`, or `{deviceId: {exact: id}}` when the user picked a device.
fn constraint(device: Option<&str>) -> JsValue {
    match device {
        None => JsValue::TRUE,
        Some(id) => {
            let exact = Object::new();
            let _ = Reflect::set(&exact, &"exact".into(), &id.into());
            let c = Object::new();
            let _ = Reflect::set(&c, &"deviceId".into(), &exact);
            c.into()
        }
    }
}

async fn get_user_media(audio: JsValue, video: JsValue) -> Result<MediaStream, JsValue> {
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&audio);
    constraints.set_video(&video);
    let promise = media_devices()?.get_user_media_with_constraints(&constraints)?;
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

/// Opens camera and microphone (the chosen ones, if any). If both cannot be had, tries each alone,
/// so a browser without a camera can still talk and one that refuses everything can still watch.
pub async fn open(camera: Option<&str>, mic: Option<&str>) -> (MediaStream, Option<MediaProblem>) {
    let (video, audio) = (constraint(camera), constraint(mic));
    let both = get_user_media(audio.clone(), video.clone()).await;
    let first_error = match both {
        Ok(stream) => return (stream, None),
        Err(e) => e,
    };
    for (a, v) in [(JsValue::FALSE, video), (audio, JsValue::FALSE)] {
        if let Ok(stream) = get_user_media(a, v).await {
            return (stream, Some(MediaProblem::Partial));
        }
    }
    let denied = Reflect::get(&first_error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "NotAllowedError" || n == "SecurityError");
    let problem = if denied {
        MediaProblem::Denied
    } else {
        MediaProblem::Unavailable
    };
    (
        MediaStream::new().expect("MediaStream constructor"),
        Some(problem),
    )
}

/// Opens just one kind of track ("audio" or "video") from the chosen device.
pub async fn open_track(kind: &str, device: Option<&str>) -> Result<MediaStreamTrack, JsValue> {
    let (audio, video) = match kind {
        "audio" => (constraint(device), JsValue::FALSE),
        _ => (JsValue::FALSE, constraint(device)),
    };
    let stream = get_user_media(audio, video).await?;
    stream.get_tracks().get(0).dyn_into()
}

/// Cameras and microphones, as (id, label). Labels are only known once permission was given.
pub async fn devices() -> (Vec<Device>, Vec<Device>) {
    let Ok(promise) = media_devices().and_then(|m| m.enumerate_devices()) else {
        return (vec![], vec![]);
    };
    let Ok(list) = JsFuture::from(promise).await else {
        return (vec![], vec![]);
    };
    let (mut cameras, mut mics) = (Vec::new(), Vec::new());
    for info in Array::from(&list)
        .iter()
        .filter_map(|d| d.dyn_into::<MediaDeviceInfo>().ok())
    {
        let list = match info.kind() {
            MediaDeviceKind::Videoinput => &mut cameras,
            MediaDeviceKind::Audioinput => &mut mics,
            _ => continue,
        };
        let number = list.len() + 1;
        let label = info.label();
        list.push(Device {
            id: info.device_id(),
            label: (!label.is_empty()).then_some(label),
            number,
        });
    }
    (cameras, mics)
}

/// Tracks of one kind in a stream.
pub fn tracks(stream: &MediaStream, kind: &str) -> Vec<MediaStreamTrack> {
    let list = if kind == "audio" {
        stream.get_audio_tracks()
    } else {
        stream.get_video_tracks()
    };
    list.iter().map(|t| t.unchecked_into()).collect()
}

/// The device id a track was opened from.
pub fn device_of(track: &MediaStreamTrack) -> Option<String> {
    track.get_settings().get_device_id()
}

/// Stops every track: the camera light goes off.
pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}
