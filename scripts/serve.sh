#!/usr/bin/env bash
# Builds Classroom (release) and runs it on the embedded SQLite default (./data/classroom.db).
# Extra arguments go to the server: scripts/serve.sh --bind 0.0.0.0:3000 --room-capacity 8
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
build_release
cd "$ROOT"
echo "Open http://${CLASSROOM_BIND:-127.0.0.1:3000} (Ctrl-C stops the server)"
exec "$SERVER_BIN" "$@"
