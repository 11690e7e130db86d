//! A moment in time, shown in the reader's language and time zone.
//!
//! The server cannot know the reader's time zone, so it renders UTC in ISO form; once the page is
//! interactive the browser rewrites it with `Intl.DateTimeFormat` in the page's language (and again
//! whenever the language is switched). Use this for every date or time the UI shows.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// `<time datetime="…">` for a Unix time in milliseconds; `time_only` leaves the date out (chat).
#[component]
pub fn LocalTime(ms: i64, #[prop(optional)] time_only: bool) -> impl IntoView {
    let i18n = use_i18n();
    let iso = iso_utc(ms);
    let text = RwSignal::new(format!("{} UTC", iso.replace('T', " ")));
    Effect::new(move |_| {
        let locale = i18n.get_locale(); // tracked: re-format on a language switch
        #[cfg(feature = "hydrate")]
        text.set(in_browser(
            ms,
            leptos_i18n::Locale::as_str(locale),
            time_only,
        ));
        #[cfg(not(feature = "hydrate"))]
        let _ = (locale, time_only);
    });
    view! { <time datetime=format!("{iso}Z")>{move || text.get()}</time> }
}

#[cfg(feature = "hydrate")]
fn in_browser(ms: i64, locale: &str, time_only: bool) -> String {
    use js_sys::{Array, Intl::DateTimeFormat, Object, Reflect};
    let options = Object::new();
    if !time_only {
        let _ = Reflect::set(&options, &"dateStyle".into(), &"long".into());
    }
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let format = DateTimeFormat::new(&Array::of1(&locale.into()), &options).format();
    let date = js_sys::Date::new(&(ms as f64).into());
    format
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// `YYYY-MM-DDTHH:MM` in UTC, without a date library.
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::report_time::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso_utc;

    #[test]
    fn unix_times_become_utc_dates() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00"); // leap day
        assert_eq!(iso_utc(1_795_496_400_000), "2026-11-24T05:00");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59");
    }
}
