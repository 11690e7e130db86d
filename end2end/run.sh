#!/usr/bin/env bash
# End-to-end tests for CI.
#
# Usage: end2end/run.sh <server-binary> <site-root> [playwright args...]
#   e.g. end2end/run.sh target/release/classroom target/site
#        end2end/run.sh target/debug/classroom target/site tests/lobby.spec.ts
#
# Re-runs itself inside a fresh network namespace (unshare -n, only `lo` up), makes the Y4M fake-camera
# clips, starts the server with --room-capacity 3 and a throw-away SQLite database, waits for /healthz,
# runs Playwright from end2end/, stops the server and exits with Playwright's code (server log on failure).
# Everything except the namespace step lives in scripts/with-server.sh, shared with bench/run.sh.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 <server-binary> <site-root> [playwright args...]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server="$1"
site="$2"
shift 2
exec "$here/scripts/with-server.sh" "$server" "$site" npx --no-install playwright test "$@"
