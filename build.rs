//! Build-time work: watch the migrations, and generate the `i18n` module from locales/*.json.

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() {
    // sqlx::migrate! embeds ./migrations, but cargo does not notice a *new* file there by itself.
    println!("cargo:rerun-if-changed=migrations");

    // Translations are compiled in: a key used in code but missing from the files fails the build;
    // a key missing from one language is caught by the `every_key_is_translated` test.
    let config = Config::new("en")
        .and_then(|c| c.add_locale("ko"))
        .expect("locale list")
        // Lets t_string! interpolate ("{{ name }} joined"), needed for attributes and announcements.
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config).expect("locales/*.json parse");
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR set by cargo"));
    translations
        .generate_i18n_module(out.join("i18n"))
        .expect("i18n module written");
}
