#!/usr/bin/env bash
# Join-latency benchmark in its own network namespace with a fresh server (not part of CI's tests).
#
# Usage: end2end/bench/run.sh <server-binary> <site-root>
#   e.g. cargo leptos build --release && end2end/bench/run.sh target/release/classroom target/site
# Env: BENCH_ROUNDS (default 10). Measure release builds: debug WASM is several times slower.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <server-binary> <site-root>" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$here/scripts/with-server.sh" "$1" "$2" node bench/join-latency.mjs
