#!/usr/bin/env bash
# Admin pages at scale: 10,000 rooms and 100,000 attendance rows; time to first byte of the room list
# (p50/p99 over sequential requests) and the time to export a 1,000-row room as CSV.
#
# Usage: end2end/bench/admin.sh <server-binary> <site-root>
# Env: BENCH_REQUESTS (default 200 per page). Loopback only; needs curl and sqlite3. Not part of CI.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 <server-binary> <site-root>" >&2
  exit 2
fi
server="$(realpath "$1")"
site="$(realpath "$2")"
requests=${BENCH_REQUESTS:-200}
tmp="$(mktemp -d -t classroom-bench-admin.XXXXXX)"
db="$tmp/bench.db"
addr=127.0.0.1:3917
url="http://$addr"
password="bench-admin-$RANDOM$RANDOM"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

start() {
  CLASSROOM_ADMIN_PASSWORD="$password" LEPTOS_SITE_ROOT="$site" LEPTOS_OUTPUT_NAME=classroom \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="$addr" RUST_LOG=warn \
    "$server" --bind "$addr" --database-url "sqlite://$db" >>"$tmp/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -fsS -o /dev/null --max-time 1 "$url/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 1
}
stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

# 1. The schema, from the server's own migrations.
start
stop

# 2. The data: 10,000 rooms with one session each; 99,000 stays spread over 9,999 of them (≈10 per
#    room, a teacher and students), and one room of 1,000 stays (500 students who came twice).
sqlite3 "$db" <<'SQL'
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO rooms (id, name, teacher_key_hash, created_at, closed_at)
SELECT printf('bench%05d', i), printf('수학 %d반 Math', i), 'x', 1764000000000 + i * 60000,
       CASE WHEN i % 3 = 0 THEN 1764000000000 + i * 60000 + 7200000 END
FROM n;
INSERT INTO class_sessions (room_id, started_at, ended_at, end_reason)
SELECT id, created_at, created_at + 3600000, 'empty' FROM rooms ORDER BY created_at;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 98999)
INSERT INTO participations (room_id, session_id, display_name, role, attendee, joined_at, left_at)
SELECT r.id, s.id, printf('학생 %d', n.i / 9999), CASE WHEN n.i < 9999 THEN 'teacher' ELSE 'student' END,
       printf('%064d', n.i), r.created_at + (n.i / 9999) * 1000, r.created_at + 3000000
FROM n JOIN rooms r ON r.id = printf('bench%05d', 1 + n.i % 9999)
JOIN class_sessions s ON s.room_id = r.id;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO participations (room_id, session_id, display_name, role, attendee, joined_at, left_at)
SELECT r.id, s.id, CASE WHEN n.i % 50 = 0 THEN printf('=HYPERLINK("x%d")', n.i) ELSE printf('민지 %d', n.i % 500) END,
       'student', printf('%064d', 1000000 + n.i % 500),
       r.created_at + (n.i / 500) * 1800000, r.created_at + (n.i / 500) * 1800000 + 1500000
FROM n JOIN rooms r ON r.id = 'bench10000' JOIN class_sessions s ON s.room_id = r.id;
COMMIT;
SQL
echo "seeded: $(sqlite3 "$db" 'SELECT count(*) FROM rooms') rooms," \
  "$(sqlite3 "$db" 'SELECT count(*) FROM participations') attendance rows"

# 3. Serve it, log in.
start
jar="$tmp/cookies"
# The login form's own action: the server function's path, whatever its hash.
login_path=$(curl -fsS "$url/admin/login" | grep -o 'action="/api/[^"]*"' | head -1 | cut -d'"' -f2)
curl -fsS -o /dev/null -c "$jar" -H 'Accept: text/html' --data-urlencode "password=$password" \
  "$url$login_path" || true
if ! grep -q classroom_admin "$jar"; then
  echo "could not log in (see $tmp/server.log)" >&2
  exit 1
fi

# p50/p99 of time to first byte (ms) over $requests sequential GETs of $1.
ttfb() {
  local path="$1" out="$tmp/times"
  : >"$out"
  for _ in $(seq "$requests"); do
    curl -fsS -o /dev/null -b "$jar" -w '%{time_starttransfer}\n' "$url$path" >>"$out"
  done
  sort -n "$out" | awk -v path="$path" '{ t[NR] = $1 * 1000 }
    END { p50 = t[int(NR * 0.50 + 0.5)]; p99 = t[int(NR * 0.99 + 0.5)];
          printf "%-40s n=%d  TTFB p50 %.1f ms  p99 %.1f ms\n", path, NR, p50, p99 }'
}

# Each page must be the real thing (a 200 with the rooms), not a redirect to the login page.
check() {
  local path="$1" want="$2" body
  body=$(curl -fsS -b "$jar" -w '\n%{http_code}' "$url$path")
  [[ "${body##*$'\n'}" == 200 && "$body" == *"$want"* ]] || {
    echo "error: $path is not the page expected (wanted \"$want\")" >&2
    exit 1
  }
}
check "/admin" "수학 10000반 Math"
check "/admin?page=100" "수학 5050반 Math"
check "/admin?q=12%EB%B0%98" "수학 9912반 Math"
check "/admin/rooms/bench10000" "수학 10000반 Math"

ttfb "/admin"
ttfb "/admin?page=100"
ttfb "/admin?q=12%EB%B0%98"
ttfb "/admin/rooms/bench10000"

# 4. The CSV of the 1,000-row room.
csv="$tmp/room.csv"
for _ in 1 2 3; do
  curl -fsS -b "$jar" -o "$csv" -w 'CSV of a 1,000-row room: %{time_total}s total, %{size_download} bytes\n' \
    "$url/admin/rooms/bench10000/attendance.csv"
done
echo "CSV lines (header included): $(wc -l <"$csv")"
echo "RSS of the server: $(awk '/VmRSS/ { print $2 " " $3 }' "/proc/$pid/status")"
