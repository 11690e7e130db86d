//! Which language a page is rendered in, and how the reader's choice is kept.
//!
//! We do not use leptos_i18n's `cookie` feature: it goes through leptos-use's `use_cookie`, which put
//! the `cookie` and `time` crates into the browser's WASM for one cookie. Instead the browser writes
//! the cookie itself when the reader switches language ([`remember`]), and the server puts the
//! cookie's language in front of `Accept-Language` ([`preferences`]) before leptos_i18n matches the
//! list against our locales. The page carries the result in `<html lang>`, which is what the
//! hydrating client starts from, so there is no flash of the other language.

/// The cookie that keeps the reader's choice, always with `Path=/`.
pub const COOKIE: &str = "classroom_lang";
/// The cookie leptos_i18n kept it in, read when [`COOKIE`] is absent so choices made before still
/// count. Not written any more: leptos-use set it with the page's default path (`/r`, `/admin/rooms`,
/// …), so a reader could hold several, and a new choice at `/` would lose to an old one on room pages.
pub const OLD_COOKIE: &str = "i18n_pref_locale";

/// The language in cookie [`COOKIE`] (else [`OLD_COOKIE`]) of a `Cookie` request header, if it looks
/// like a language tag.
pub fn chosen(cookie_header: &str) -> Option<&str> {
    cookie_value(cookie_header, COOKIE).or_else(|| cookie_value(cookie_header, OLD_COOKIE))
}

/// The `name=value` pairs of a `Cookie` request header.
fn pairs(cookie_header: &str) -> impl Iterator<Item = (&str, &str)> {
    cookie_header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
}

/// Whether every cookie in a `Cookie` request header is one of the language cookies (so the page
/// depends on that header only through [`preferences`]).
pub fn only_language_cookies(cookie_header: &str) -> bool {
    pairs(cookie_header).all(|(name, _)| name == COOKIE || name == OLD_COOKIE)
}

/// The first value of cookie `name`, if it is a language tag.
fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    pairs(cookie_header)
        .find_map(|(n, value)| (n == name).then(|| value.trim()))
        // Only a tag goes in front of Accept-Language: anything else (a `,` or `;`) would add entries.
        .filter(|v| !v.is_empty() && v.len() <= 35)
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// The language list leptos_i18n matches against our locales, in `Accept-Language` syntax: the
/// language chosen with the switch first (from the cookie), then what the browser asks for.
pub fn preferences(cookie_header: Option<&str>, accept_language: Option<&str>) -> Option<String> {
    let chosen = cookie_header.and_then(chosen);
    match (chosen, accept_language) {
        (Some(lang), Some(accept)) => Some(format!("{lang},{accept}")),
        (Some(lang), None) => Some(lang.to_string()),
        (None, accept) => accept.map(str::to_string),
    }
}

/// [`preferences`] of a request's headers: everything a page's language depends on.
#[cfg(feature = "ssr")]
pub fn request_preferences(headers: &axum::http::HeaderMap) -> Option<String> {
    use axum::http::header;
    // A header may come more than once; each is a list with its own separator.
    let header = |name: header::HeaderName, separator: &str| {
        let values = headers.get_all(name).iter();
        let values: Vec<&str> = values.filter_map(|v| v.to_str().ok()).collect();
        (!values.is_empty()).then(|| values.join(separator))
    };
    preferences(
        header(header::COOKIE, ";").as_deref(),
        header(header::ACCEPT_LANGUAGE, ",").as_deref(),
    )
}

/// The options for the `I18nContextProvider`: on the server, how to read the request's language
/// preferences ([`request_preferences`]).
#[cfg(feature = "ssr")]
pub fn locale_options() -> leptos_i18n::context::UseLocalesOptions {
    use axum::http::request::Parts;
    use leptos::prelude::use_context;

    let languages = use_context::<Parts>().and_then(|parts| request_preferences(&parts.headers));
    leptos_i18n::context::UseLocalesOptions::default()
        .ssr_lang_header_getter(move || languages.clone())
}

/// The options for the `I18nContextProvider`: the browser starts from `<html lang>` and needs none.
#[cfg(not(feature = "ssr"))]
pub fn locale_options() -> leptos_i18n::context::UseLocalesOptions {
    Default::default()
}

/// Keeps the reader's choice for a year, for every page of the site (`Path=/`); `SameSite=Lax` as it
/// only picks a language. Browser only; does nothing on the server.
pub fn remember(locale: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = leptos::prelude::document().unchecked_into::<web_sys::HtmlDocument>();
        let cookie = format!("{COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
        // Refused only in a document without cookies (sandboxed): the choice then lasts this page.
        let _ = document.set_cookie(&cookie);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_must_be_a_tag() {
        assert_eq!(chosen("a=1; classroom_lang=ko; b=2"), Some("ko"));
        assert_eq!(chosen("classroom_lang=en"), Some("en"));
        assert_eq!(chosen("xclassroom_lang=ko"), None);
        assert_eq!(chosen("classroom_lang="), None);
        assert_eq!(chosen("classroom_lang=ko,en;q=1"), None);
        assert_eq!(chosen(""), None);
    }

    #[test]
    fn only_the_language_cookies_count_as_language_cookies() {
        assert!(only_language_cookies("classroom_lang=ko"));
        assert!(only_language_cookies(
            "classroom_lang=ko; i18n_pref_locale=en"
        ));
        assert!(!only_language_cookies(
            "classroom_lang=ko; classroom_admin=x"
        ));
        assert!(!only_language_cookies("classroom_admin=x"));
    }

    #[test]
    fn the_old_cookie_counts_only_without_the_new_one() {
        assert_eq!(chosen("i18n_pref_locale=ko"), Some("ko"));
        assert_eq!(chosen("i18n_pref_locale=ko; classroom_lang=en"), Some("en"));
        assert_eq!(
            chosen("i18n_pref_locale=ko; i18n_pref_locale=en"),
            Some("ko")
        );
    }

    #[test]
    fn the_choice_comes_before_accept_language() {
        let cookie = Some("classroom_lang=ko");
        assert_eq!(
            preferences(cookie, Some("en-US,en;q=0.9")).as_deref(),
            Some("ko,en-US,en;q=0.9")
        );
        assert_eq!(preferences(cookie, None).as_deref(), Some("ko"));
        assert_eq!(
            preferences(Some("other=1"), Some("en")).as_deref(),
            Some("en")
        );
        assert_eq!(preferences(None, None), None);
    }
}
