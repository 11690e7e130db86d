#!/usr/bin/env bash
# Page throughput (issue 11): requests per second and latency of the room page and the home page
# under wrk, against a release server with a throw-away database and one room.
#
# Usage: end2end/bench/pages.sh <server-binary> <site-root>
# Env: BENCH_SECS (default 10), BENCH_CONNECTIONS (64), BENCH_THREADS (2). Needs wrk and curl.
# BENCH_PIN=1: the server on CPU 0 and wrk on CPU 1 (taskset), so the load generator does not take
# the server's CPU; on this VM it also avoids waking threads across the two vCPUs, which is where
# the unpinned runs' p99 of 60-90 ms comes from (docs/BENCHMARKS.md).
# Loopback only; not part of CI. Run with the other core as quiet as you can get it.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <server-binary> <site-root>" >&2
  exit 2
fi
server="$(realpath "$1")"
site="$(realpath "$2")"
secs=${BENCH_SECS:-10}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
pin_server=()
pin_wrk=()
if [[ "${BENCH_PIN:-0}" == 1 ]]; then
  pin_server=(taskset -c 0)
  pin_wrk=(taskset -c 1)
fi
tmp="$(mktemp -d -t classroom-bench-pages.XXXXXX)"
addr=127.0.0.1:3918
url="http://$addr"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The hash file (`hash-files`) lives next to the binary, where cargo-leptos writes it.
hashed=false
[[ -f "$(dirname "$server")/hash.txt" ]] && hashed=true
LEPTOS_SITE_ROOT="$site" LEPTOS_OUTPUT_NAME=classroom LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_HASH_FILES=$hashed LEPTOS_SITE_ADDR="$addr" RUST_LOG=warn \
  "${pin_server[@]}" "$server" --bind "$addr" --database-url "sqlite://$tmp/bench.db" --udp-port 0 \
  >>"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -sf "$url/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
room=$(curl -sf -X POST "$url/api/rooms" -H 'content-type: application/json' \
  -d '{"name":"Bench 1-1"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
status=$(curl -s -o /dev/null -w '%{http_code}' "$url/r/$room")
[[ "$status" == 200 ]] || { echo "room page answered $status" >&2; cat "$tmp/server.log" >&2; exit 1; }

for path in "/r/$room" "/"; do
  echo "==> $path (wrk -t$threads -c$conns -d${secs}s${pin_wrk:+, pinned}, load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  "${pin_wrk[@]}" wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$url$path" |
    grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx'
done
