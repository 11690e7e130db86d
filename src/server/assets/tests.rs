//! The hash file's names, the start-up check and the cache headers.

use super::*;

const HASH_FILE: &str = "js: AbC-1_x\nwasm: Zz9\ncss: Qq\nother: nope\n";

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

/// A `--split` build: the loader, the manifest and every module it names are the build's own.
const SPLIT_HASH_FILE: &str = "js: J\nwasm: W\ncss: C\nmanifest: M\nsplit: S\n";

#[test]
fn the_split_modules_are_named_by_content_and_must_be_there() {
    let files = [
        "classroom.J.js",
        "classroom.W.wasm",
        "classroom.C.css",
        "__wasm_split.S.js",
    ];
    let (dir, options) = site(&files, true);
    std::fs::write(dir.path().join("hash.txt"), SPLIT_HASH_FILE).unwrap();
    let load = || Assets::load(&options, dir.path());
    let manifest = dir.path().join("site/pkg/__wasm_split_manifest.M.json");
    assert!(matches!(load(), Err(AssetError::BadManifest(..))));
    std::fs::write(&manifest, "not json").unwrap();
    assert!(matches!(load(), Err(AssetError::BadManifest(..))));
    std::fs::write(
        &manifest,
        r#"{"call_1": ["split_call_1.H1"], "x_2": ["split_x_2.H2"]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("site/pkg/split_call_1.H1.wasm"), "x").unwrap();
    // A module the manifest names is missing.
    assert!(matches!(load(), Err(AssetError::Missing(p)) if p.ends_with("split_x_2.H2.wasm")));
    std::fs::write(dir.path().join("site/pkg/split_x_2.H2.wasm"), "x").unwrap();
    let assets = load().unwrap();
    let cc = |p| assets.cache_control(p, "pkg");
    assert_eq!(cc("/pkg/split_call_1.H1.wasm"), Some(IMMUTABLE));
    assert_eq!(cc("/pkg/__wasm_split.S.js"), Some(IMMUTABLE));
    assert_eq!(cc("/pkg/__wasm_split_manifest.M.json"), Some(IMMUTABLE));
    assert_eq!(cc("/pkg/split_call_1.Old.wasm"), Some(REVALIDATE));
}
