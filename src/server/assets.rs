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
        let assets = Assets::parse(&text, &options.site_pkg_dir, &options.output_name);
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
            .filter(|(kind, _)| matches!(*kind, "js" | "wasm" | "css"))
            .map(|(kind, hash)| (kind, format!("/{pkg_dir}/{output_name}.{hash}.{kind}")))
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
mod tests {
    use super::*;

    const HASH_FILE: &str = "js: AbC-1_x\nwasm: Zz9\ncss: Qq\nmanifest: nope\n";

    #[test]
    fn the_pages_load_the_hashed_names() {
        let assets = Assets::parse(HASH_FILE, "pkg", "classroom");
        let options = LeptosOptions::builder().output_name("classroom").build();
        let paths = assets.paths(&options);
        assert_eq!(paths.js, "/pkg/classroom.AbC-1_x.js");
        assert_eq!(paths.wasm, "/pkg/classroom.Zz9.wasm");
        assert_eq!(paths.css, "/pkg/classroom.Qq.css");
        // No hash file: the plain names.
        assert_eq!(Assets::default().paths(&options).css, "/pkg/classroom.css");
    }

    #[test]
    fn the_hash_files_names_are_immutable_and_the_rest_revalidates() {
        let assets = Assets::parse(HASH_FILE, "pkg", "classroom");
        let cc = |p| assets.cache_control(p, "pkg");
        assert_eq!(cc("/pkg/classroom.AbC-1_x.js"), Some(IMMUTABLE));
        assert_eq!(cc("/pkg/classroom.Zz9.wasm"), Some(IMMUTABLE));
        assert_eq!(cc("/pkg/classroom.Qq.css"), Some(IMMUTABLE));
        // Another build's name, an unhashed name: the browser must ask.
        assert_eq!(cc("/pkg/classroom.Old.wasm"), Some(REVALIDATE));
        assert_eq!(cc("/pkg/classroom.wasm"), Some(REVALIDATE));
        assert_eq!(cc("/pkgs/classroom.Zz9.wasm"), None);
        assert_eq!(cc("/r/room"), None);
        assert_eq!(cc("/favicon.svg"), None);
    }

    /// A site with `pkg/` holding `files`, options for it, and the folder for the hash file.
    fn site(files: &[&str], hash_files: bool) -> (tempfile::TempDir, LeptosOptions) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
        for f in files {
            std::fs::write(dir.path().join("site/pkg").join(f), "x").unwrap();
        }
        let options = LeptosOptions::builder()
            .output_name("classroom")
            .site_root(dir.path().join("site").to_str().unwrap())
            .hash_files(hash_files)
            .build();
        (dir, options)
    }

    #[test]
    fn a_site_and_hash_file_that_disagree_stop_the_start() {
        let (dir, options) = site(&["classroom.AbC-1_x.js", "classroom.Zz9.wasm"], true);
        let load = || Assets::load(&options, dir.path());
        assert!(matches!(load(), Err(AssetError::NoHashFile(..))));
        std::fs::write(dir.path().join("hash.txt"), HASH_FILE).unwrap();
        // The CSS of the hash file is not in the site.
        assert!(matches!(load(), Err(AssetError::Missing(p)) if p.ends_with("classroom.Qq.css")));
        std::fs::write(dir.path().join("site/pkg/classroom.Qq.css"), "x").unwrap();
        assert_eq!(load().unwrap().hashed.len(), 3);
    }

    #[test]
    fn a_hashed_site_without_hashing_on_is_refused() {
        let (dir, options) = site(&["classroom.Zz9.wasm"], false);
        assert!(Assets::load(&options, dir.path())
            .unwrap()
            .hashed
            .is_empty());
        std::fs::write(dir.path().join("hash.txt"), HASH_FILE).unwrap();
        assert!(matches!(
            Assets::load(&options, dir.path()),
            Err(AssetError::HashedSite(_))
        ));
    }

    #[test]
    fn without_hashing_everything_in_pkg_revalidates() {
        let assets = Assets::default();
        assert_eq!(
            assets.cache_control("/pkg/classroom.js", "pkg"),
            Some(REVALIDATE)
        );
        assert_eq!(assets.cache_control("/", "pkg"), None);
    }
}
