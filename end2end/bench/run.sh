#!/usr/bin/env bash
# Join-latency benchmark in its own network namespace with a fresh server (not part of CI's tests).
#
# Usage: end2end/bench/run.sh <server-binary> <site-root> [script, default join-latency.mjs]
#   e.g. cargo leptos build --release && end2end/bench/run.sh target/release/classroom target/site
#        end2end/bench/run.sh target/release/classroom target/site join-burst.mjs
# Env: BENCH_ROUNDS (default 10). Measure release builds: debug WASM is several times slower.
set -euo pipefail
if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 <server-binary> <site-root> [script]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$here/scripts/with-server.sh" "$1" "$2" node "bench/${3:-join-latency.mjs}"
