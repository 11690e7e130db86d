//! The page's stylesheet and the loader that hydrates it, under the names of this build's files.
//!
//! A release build names its files by content (`/pkg/classroom.<hash>.js`, cargo-leptos
//! `hash-files`); the server reads those names once, at start (`server/assets.rs`), and hands them
//! to every page through the context. Leptos's own `HydrationScripts` and `HashedStylesheet` read
//! the hash file from disk on every page instead, which cost the room page ~40 % of its requests
//! per second (docs/BENCHMARKS.md).

use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// The paths of the files a page loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetPaths {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl AssetPaths {
    /// The names of a build without content hashes.
    pub fn plain(options: &LeptosOptions) -> Self {
        let base = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        // wasm-bindgen's own name for the module, unless cargo-leptos renamed it (as Leptos does).
        let wasm_suffix = if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            "_bg"
        } else {
            ""
        };
        AssetPaths {
            js: format!("{base}.js"),
            wasm: format!("{base}{wasm_suffix}.wasm"),
            css: format!("{base}.css"),
        }
    }

    /// The module script that loads the JavaScript glue, instantiates the WASM and hydrates.
    fn loader(&self) -> String {
        let (js, wasm) = (&self.js, &self.wasm);
        format!(
            "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()));"
        )
    }
}

/// `<link>`s for the stylesheet, the glue and the WASM (fetched while the page is parsed), and the
/// loader script with the page's CSP nonce. Paths come from the context (the server provides
/// them); without one, the unhashed names.
#[component]
pub fn AssetTags(options: LeptosOptions) -> impl IntoView {
    let paths = use_context::<AssetPaths>().unwrap_or_else(|| AssetPaths::plain(&options));
    let nonce = use_nonce();
    let loader = paths.loader();
    view! {
        <link rel="stylesheet" id="leptos" href=paths.css />
        <link rel="modulepreload" href=paths.js crossorigin="" />
        <link rel="preload" href=paths.wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=nonce>{loader}</script>
    }
}
