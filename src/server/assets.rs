//! The browser's files under `/pkg` (WASM, JavaScript, CSS) and how long browsers may keep them.
//!
//! Release builds name them by content (cargo-leptos `hash-files`: `classroom.<md5>.wasm`, listed
//! in the hash file it writes next to the server binary), so a name never changes meaning: those
//! get `Cache-Control: public, max-age=31536000, immutable` and a returning visitor downloads
//! nothing. Anything else under `/pkg` (a build without hashing) gets `no-cache`: the browser keeps
//! it but asks first, and an unchanged file costs a 304 (the file handler sends `Last-Modified`).
//! Browsers may not keep pages (each carries a fresh CSP nonce); the server keeps room pages for a
//! second (`page_cache`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::LeptosOptions;

use crate::components::asset_tags::AssetPaths;
use crate::server::AppState;

/// A year: the longest `max-age` browsers honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// What the start-up check found wrong with the site's files.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("LEPTOS_HASH_FILES is on but the hash file {0} cannot be read (cargo-leptos writes it next to the server binary): {1}")]
    NoHashFile(PathBuf, std::io::Error),
    #[error("the hash file lists {0}, which is not in the site (LEPTOS_SITE_ROOT); the site and the binary are from different builds")]
    Missing(PathBuf),
    #[error(
        "the site has no {0} but has a hash file next to the binary: set LEPTOS_HASH_FILES=true"
    )]
    HashedSite(PathBuf),
    #[error("the split manifest {0} cannot be read: {1}")]
    BadManifest(PathBuf, String),
}

/// The content-hashed paths the server serves (`/pkg/classroom.<hash>.wasm`, …).
#[derive(Debug, Default)]
pub struct Assets {
    hashed: HashSet<String>,
    /// The hashed paths of the glue, the WASM and the stylesheet, for the pages' tags.
    paths: Option<AssetPaths>,
}

impl Assets {
    /// Turns `options.hash_files` on when a hash file lies next to the binary (where cargo-leptos
    /// writes it and where Leptos reads it), unless `LEPTOS_HASH_FILES` says otherwise; then
    /// [`Assets::load`]s.
    pub fn configure(options: &mut LeptosOptions) -> Result<Self, AssetError> {
        let exe_dir = exe_dir();
        if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
            options.hash_files = exe_dir.join(options.hash_file.as_ref()).is_file();
        }
        Assets::load(options, &exe_dir)
    }

    /// Reads the hash file in `exe_dir` if `options.hash_files` is on, and checks that every file
    /// it names is in the site: a mismatch would serve pages whose scripts are missing, so it stops
    /// the start.
    pub fn load(options: &LeptosOptions, exe_dir: &Path) -> Result<Self, AssetError> {
        let hash_file = exe_dir.join(options.hash_file.as_ref());
        let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        if !options.hash_files {
            let plain = pkg.join(format!("{}.wasm", options.output_name));
            if hash_file.is_file() && pkg.is_dir() && !plain.exists() {
                return Err(AssetError::HashedSite(plain));
            }
            return Ok(Assets::default());
        }
        let text = std::fs::read_to_string(&hash_file)
            .map_err(|e| AssetError::NoHashFile(hash_file.clone(), e))?;
        let mut assets = Assets::parse(&text, &options.site_pkg_dir, &options.output_name);
        assets.add_split_modules(options)?;
        for path in &assets.hashed {
            let file = Path::new(options.site_root.as_ref()).join(path.trim_start_matches('/'));
            if !file.is_file() {
                return Err(AssetError::Missing(file));
            }
        }
        Ok(assets)
    }

    /// The paths named by a cargo-leptos hash file (`js: <hash>` lines, one per kind of file).
    pub fn parse(hash_file: &str, pkg_dir: &str, output_name: &str) -> Self {
        let named: Vec<(&str, String)> = hash_file
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim(), hash.trim()))
            .filter_map(|(kind, hash)| {
                let name = match kind {
                    "js" | "wasm" | "css" => format!("{output_name}.{hash}.{kind}"),
                    // The loader and the list of the modules `--split` cuts off (`#[lazy]`).
                    "split" => format!("__wasm_split.{hash}.js"),
                    "manifest" => format!("__wasm_split_manifest.{hash}.json"),
                    _ => return None,
                };
                Some((kind, format!("/{pkg_dir}/{name}")))
            })
            .collect();
        let path_of = |kind: &str| {
            named
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, p)| p.clone())
        };
        let paths = match (path_of("js"), path_of("wasm"), path_of("css")) {
            (Some(js), Some(wasm), Some(css)) => Some(AssetPaths { js, wasm, css }),
            _ => None,
        };
        let hashed = named.into_iter().map(|(_, path)| path).collect();
        Assets { hashed, paths }
    }

    /// Adds the lazily loaded WASM modules the split manifest names (`split_<fn>.<hash>.wasm`,
    /// named by content like the rest), if the hash file names a manifest.
    fn add_split_modules(&mut self, options: &LeptosOptions) -> Result<(), AssetError> {
        let pkg_dir = &options.site_pkg_dir;
        let Some(manifest) = self
            .hashed
            .iter()
            .find(|p| p.starts_with(&format!("/{pkg_dir}/__wasm_split_manifest.")))
        else {
            return Ok(());
        };
        let file = Path::new(options.site_root.as_ref()).join(manifest.trim_start_matches('/'));
        let text = std::fs::read_to_string(&file)
            .map_err(|e| AssetError::BadManifest(file.clone(), e.to_string()))?;
        // `{"<fn>": ["<module>", …], …}`: each function's module and the ones it needs first.
        let modules: std::collections::HashMap<String, Vec<String>> =
            serde_json::from_str(&text)
                .map_err(|e| AssetError::BadManifest(file, e.to_string()))?;
        let chunks = modules.into_values().flatten();
        self.hashed
            .extend(chunks.map(|m| format!("/{pkg_dir}/{m}.wasm")));
        Ok(())
    }

    /// The paths the pages load: the hashed ones, or the plain names of a build without hashes.
    pub fn paths(&self, options: &LeptosOptions) -> AssetPaths {
        self.paths
            .clone()
            .unwrap_or_else(|| AssetPaths::plain(options))
    }

    /// The `Cache-Control` for a request to `path`; `None` outside `/pkg`.
    pub fn cache_control(&self, path: &str, pkg_dir: &str) -> Option<&'static str> {
        let in_pkg = path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(pkg_dir))
            .is_some_and(|rest| rest.starts_with('/'));
        match (in_pkg, self.hashed.contains(path)) {
            (false, _) => None,
            (true, true) => Some(IMMUTABLE),
            (true, false) => Some(REVALIDATE),
        }
    }
}

/// The folder of the running binary.
fn exe_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default()
}

/// Middleware: the cache header of files under `/pkg`, on successful answers only (a 404 for a
/// name from an older build must not be kept).
pub async fn cache_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let pkg_dir = &state.leptos_options.site_pkg_dir;
    let value = state.assets.cache_control(req.uri().path(), pkg_dir);
    let mut res = next.run(req).await;
    if let Some(value) = value {
        if res.status().is_success() || res.status().as_u16() == 304 {
            res.headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static(value));
        }
    }
    res
}

#[cfg(test)]
mod tests;
