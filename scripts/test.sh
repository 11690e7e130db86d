#!/usr/bin/env bash
# The whole test suite: unit, property and integration tests, a short fuzzing run, then end-to-end
# tests in real Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" --with-browser
cd "$ROOT"

echo "==> format check"
cargo fmt --all -- --check

echo "==> browser code: no web-sys clone() that copies capture tracks (clippy.toml)"
CARGO_TARGET_DIR=$TARGET/clippy cargo clippy --lib --features hydrate --target wasm32-unknown-unknown \
  -- -A clippy::all -D clippy::disallowed_methods

echo "==> unit and integration tests"
CARGO_TARGET_DIR=$TEST_TARGET cargo test --features ssr

# The benchmarks are not run here, but they must build: `cargo test` alone skips them, and a change
# to the server's API once left benches/sfu.rs broken for a session unnoticed.
echo "==> benchmarks build"
CARGO_TARGET_DIR=$TEST_TARGET cargo test --features ssr --benches --no-run

echo "==> fuzzing (parser, room, hub, SFU packets: ${FUZZ_SECONDS:-30} s each)"
"$ROOT/scripts/fuzz.sh"

echo "==> release build (server + WASM)"
build_release

echo "==> hydrate WASM size ceiling"
"$ROOT/scripts/check-wasm-size.sh"

echo "==> end-to-end tests (Chromium, loopback-only network namespace)"
"$ROOT/end2end/run.sh" "$SERVER_BIN" "$SITE_ROOT"
