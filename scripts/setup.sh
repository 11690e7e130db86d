#!/usr/bin/env bash
# Installs what building and testing Classroom needs, skipping whatever is already there.
# Usage: scripts/setup.sh [--with-browser]
# Everything comes from package registries (crates.io, npm, Debian) and rustup; nothing else
# downloads prebuilt binaries, which this kind of machine cannot fetch.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc >= 1.96
# wasm-bindgen-cli must match the wasm-bindgen crate exactly (pinned with "=" in Cargo.toml).
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "Rust is missing: install it with rustup (https://rustup.rs) and run this again." >&2
  exit 1
fi
# A C compiler (Rust links with it; aws-lc and jemalloc compile C) and make (jemalloc's build).
if ! command -v cc >/dev/null || ! command -v make >/dev/null; then
  say "installing a C compiler and make"
  as_root apt-get update -qq
  as_root apt-get install -y -qq gcc make
fi
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
# The pinned nightly (scripts/env.sh) with the standard library's source: the release WASM is
# built on it, and the fuzz targets.
RUST_NIGHTLY=$(sed -n 's/^RUST_NIGHTLY=//p' scripts/env.sh)
if ! rustup run "$RUST_NIGHTLY" rustc --version >/dev/null 2>&1 \
  || ! [ -d "$(rustup run "$RUST_NIGHTLY" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  say "installing Rust $RUST_NIGHTLY with rust-src (for the release WASM and fuzzing)"
  rustup toolchain install "$RUST_NIGHTLY" --profile minimal --component rust-src
fi
if ! cargo clippy --version >/dev/null 2>&1; then
  say "adding clippy (the test suite checks the browser code with it)"
  rustup component add clippy
fi
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 13 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! command -v npm >/dev/null; then
  say "installing Node.js and npm"
  as_root apt-get update -qq
  as_root apt-get install -y -qq nodejs npm
fi
# npm deps: Playwright, axe-core and binaryen (wasm-opt 132; Debian's binaryen 108 breaks the WASM).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --prefix end2end --no-audit --no-fund
fi
# Chromium for the end-to-end tests, a Korean font so its Korean screenshots are readable, the
# sqlite3 shell (specs that close a room in the database) and coturn (turn.spec.ts starts its own
# `turnserver` with a throw-away config; the package's own service is not enabled or started).
if [ "${1:-}" = "--with-browser" ] && { ! command -v chromium >/dev/null || ! command -v sqlite3 >/dev/null || ! command -v turnserver >/dev/null || ! fc-list 2>/dev/null | grep -qi "cjk"; }; then
  say "installing Chromium, a Korean font, sqlite3 and coturn"
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium fonts-noto-cjk sqlite3 coturn
  # Debian enables and starts coturn's service on install: a TURN server with the default config
  # has no business running on a build machine.
  if command -v systemctl >/dev/null; then as_root systemctl disable --now coturn >/dev/null 2>&1 || true; fi
fi
