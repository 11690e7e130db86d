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

build_release() {
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo leptos build --release --precompress)
}
