# Sourced by the other scripts: paths shared by the build, the server and the tests.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# One target dir per pipeline: cargo-leptos and plain cargo build with different flags and would
# otherwise rebuild each other's artifacts.
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
TEST_TARGET=$TARGET/test
SERVER_BIN=$TARGET/release/classroom
SITE_ROOT=$ROOT/target/site
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# What the server needs at run time to find the site built by cargo-leptos. (Release builds name the
# browser's files by content; the server finds the names in hash.txt next to its binary.)
export LEPTOS_OUTPUT_NAME=classroom LEPTOS_SITE_ROOT=$SITE_ROOT LEPTOS_SITE_PKG_DIR=pkg

# The project's one nightly, pinned (scripts/setup.sh installs it with the standard library's
# source). The release WASM is built on it, with the standard library rebuilt for size
# (`-Zbuild-std`, std's `optimize_for_size`) and panics that keep their message but not their file
# and line: ~38 KB less gzipped (docs/BENCHMARKS.md, "Size of the hydrate WASM"). The server stays
# on stable (`bin-cargo-command` in Cargo.toml; stable cargo ignores the unstable settings).
# scripts/fuzz.sh runs cargo-fuzz on it too.
RUST_NIGHTLY=nightly-2026-05-20

# `--split` is not optional: the call's code and the administrator's pages are `#[lazy]` (WASM
# modules of their own, fetched when needed), and only cargo-leptos's split step links them.
build_release() {
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET RUSTUP_TOOLCHAIN=$RUST_NIGHTLY \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zlocation-detail=none \
    cargo leptos build --release --precompress --split)
}
