#!/usr/bin/env bash
# Runs a command against a fresh Classroom server, isolated in its own network namespace.
#
# Usage: end2end/scripts/with-server.sh <server-binary> <site-root> <command> [args...]
#   The command runs in end2end/ with CLASSROOM_URL and CLASSROOM_Y4M_DIR set (and CLASSROOM_SERVER_BIN,
#   CLASSROOM_SITE_ROOT and CLASSROOM_DB, for specs that start a second server or edit the database);
#   its exit code is ours.
#
# Why a namespace: only `lo` exists there, so the server and every Chromium can reach nothing but
# loopback (ICE candidates included), and port 3000 is always free. Needs root (unshare -n).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 <server-binary> <site-root> <command> [args...]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" # end2end/

if [[ "${CLASSROOM_E2E_NETNS:-}" != 1 ]]; then
  server="$(realpath "$1")"
  site="$(realpath "$2")"
  shift 2
  [[ -x "$server" ]] || { echo "error: server binary not executable: $server" >&2; exit 2; }
  [[ -d "$site" ]] || { echo "error: site root is not a directory: $site" >&2; exit 2; }
  # npm needs the registry, which the namespace cannot reach: install before entering it.
  if [[ ! -x "$here/node_modules/.bin/playwright" ]]; then
    (cd "$here" && npm ci --no-audit --no-fund)
  fi
  export CLASSROOM_E2E_NETNS=1
  exec unshare -n -- bash "${BASH_SOURCE[0]}" "$server" "$site" "$@"
fi

server="$1"
site="$2"
shift 2
ip link set lo up

tmp="$(mktemp -d -t classroom-e2e.XXXXXX)"
log="$tmp/server.log"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A benchmark may bring clips of its own (other frame rates); the tests use the generated ones.
if [[ -z "${CLASSROOM_Y4M_DIR:-}" ]]; then
  export CLASSROOM_Y4M_DIR="$tmp/y4m"
  node "$here/scripts/make-y4m.mjs" "$CLASSROOM_Y4M_DIR" >/dev/null
fi

addr=127.0.0.1:3000
export CLASSROOM_URL="http://$addr"
# Every spec creates rooms from 127.0.0.1: --rooms-per-minute 600 keeps the default (30) from failing a
# long or repeated run (--repeat-each); tests/limits*.spec.ts test the limit on a server of their own.
# For specs that need a second server with other flags (lib/server.ts) or that edit the database.
export CLASSROOM_SERVER_BIN="$server" CLASSROOM_SITE_ROOT="$site" CLASSROOM_DB="$tmp/e2e.db"
# The administrator password of this throw-away server (admin specs log in with it).
export CLASSROOM_E2E_ADMIN_PASSWORD="e2e-admin-password-$RANDOM$RANDOM"
CLASSROOM_ADMIN_PASSWORD="$CLASSROOM_E2E_ADMIN_PASSWORD" LEPTOS_SITE_ROOT="$site" LEPTOS_OUTPUT_NAME=classroom LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="$addr" \
  "$server" --bind "$addr" --database-url "sqlite://$tmp/e2e.db" --room-capacity 3 \
  --rooms-per-minute 600 >"$log" 2>&1 &
server_pid=$!

# On failure: print the server log's end and keep a copy in test-results/ (the temp dir is removed).
show_log() {
  mkdir -p "$here/test-results" && cp "$log" "$here/test-results/server.log" || true
  echo "----- server log (copy in end2end/test-results/server.log) -----" >&2
  tail -n 120 "$log" >&2 || true
  echo "----- end of server log -----" >&2
}

ready=0
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "error: server exited before answering /healthz" >&2
    show_log
    exit 1
  fi
  if curl -fsS -o /dev/null --max-time 1 "$CLASSROOM_URL/healthz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if [[ $ready != 1 ]]; then
  echo "error: $CLASSROOM_URL/healthz did not answer within 30 s" >&2
  show_log
  exit 1
fi

cd "$here"
# Written by lib/summary-reporter.ts; a copy left by an earlier run must not be taken for this one's.
failures="$here/test-results/failures.txt"
flaky="$here/test-results/flaky.txt"
rm -f "$failures" "$flaky"
set +e
"$@"
code=$?
set -e
if [[ $code != 0 ]]; then
  echo "command failed with exit code $code" >&2
  show_log
  # Again after the log: a CI log is often read (or kept) from its end only.
  if [[ -f "$failures" ]]; then
    echo "----- failed tests (end2end/test-results/failures.txt) -----" >&2
    cat "$failures" >&2
  fi
fi
# Tests that passed only on a retry are named whether or not the run is green.
if [[ -f "$flaky" ]]; then
  echo "----- tests that passed on a retry (end2end/test-results/flaky.txt) -----" >&2
  cat "$flaky" >&2
fi
exit "$code"
