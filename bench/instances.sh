#!/usr/bin/env bash
# Several-instances benchmark (not a test): one instance on SQLite, one on PostgreSQL, and two on PostgreSQL
# behind nginx (round robin), in one run, each on the same generated corpus. Measures the feed (wrk) and an
# editor workload (bench/editors.py: N simulated editors each creating an article, opening it, autosaving
# three times and submitting it, over and over), and prints the ratios side by side.
#   bench/instances.sh     (needs the .NET SDK, python3, curl, wrk, nginx, and PostgreSQL's server package:
#                           apt-get install -y wrk nginx postgresql)
# Environment: DOCS (1000), EDITORS (8), EDIT_SECONDS (20, editor workload per configuration; not SECONDS, which bash
# keeps as its own clock), DURATION (10 s of
# wrk per configuration), CONNECTIONS (32), THREADS (2), PORT (5190; +1 the second instance, +2 nginx),
# BENCH_DIR (/tmp/contentportal-instances). Uses CONTENTPORTAL_TEST_POSTGRES when set (the role needs
# CREATEDB), else starts a throwaway cluster with tests/postgres.
# ONLY=converge runs just part 4 (issue 31): three instances on one PostgreSQL database, ROUNDS (10)
# publishes through the first, and how long until all three serve each new snapshot (bench/converge.py),
# with polling at POLL_SECONDS (60) so only LISTEN/NOTIFY can be that fast. ONLY=throughput: parts 1-3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCS="${DOCS:-1000}" EDITORS="${EDITORS:-8}" SECONDS_EDITING="${EDIT_SECONDS:-20}" DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}" THREADS="${THREADS:-2}" PORT="${PORT:-5190}"
WORK="${BENCH_DIR:-/tmp/contentportal-instances}"
ONLY="${ONLY:-all}" ROUNDS="${ROUNDS:-10}" POLL_SECONDS="${POLL_SECONDS:-60}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

say() { printf 'bench: %s\n' "$*" >&2; }
for tool in dotnet python3 curl wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing (apt-get install -y wrk nginx curl python3)"; exit 1; }
done

# shellcheck source=tests/postgres
. "$ROOT/tests/postgres"
PIDS=() NGINX_PID=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  postgres_stop
}
trap cleanup EXIT
if [ -z "${CONTENTPORTAL_TEST_POSTGRES:-}" ]; then
  postgres_missing && { say "PostgreSQL's server is missing: apt-get install -y postgresql"; exit 1; }
  postgres_start
fi
PSQL="$(postgres_bindir)/psql"

rm -rf "$WORK" && mkdir -p "$WORK/logs"
say "publishing the app in Release to $WORK/app"
dotnet publish "$ROOT/src/ContentPortal.Web" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/logs/publish.log" 2>&1 \
  || { cat "$WORK/logs/publish.log"; exit 1; }
python3 "$ROOT/bench/generate-corpus.py" "$WORK/corpus" "$DOCS" >/dev/null

pg_connection() { # pg_connection DBNAME: the server's connection string pointed at DBNAME
  sed "s/Database=[^;]*/Database=$1/" <<<"$CONTENTPORTAL_TEST_POSTGRES"
}

# start PORT PROVIDER CONNECTION: an instance in Development (demo accounts; the corpus imported once).
start() {
  local port="$1" provider="$2" connection="$3"
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" \
      Database__Provider="$provider" ConnectionStrings__Default="$connection" Seed__Path="$WORK/corpus" \
      Webhooks__Background=false Logging__LogLevel__Default=Warning FeedFollower__PollSeconds="${FOLLOWER_POLL:-1}" \
      dotnet ContentPortal.Web.dll >"$WORK/logs/app-$port-$provider.log" 2>&1) &
  PIDS+=($!)
}

wait_ready() {
  local port="$1"
  for _ in $(seq 1 1200); do
    curl -fs "http://127.0.0.1:$port/api/v1/feed" -o /dev/null && return 0
    sleep 0.5
  done
  say "the instance on $port did not serve the feed"; tail -20 "$WORK"/logs/app-"$port"-*.log >&2; exit 1
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  PIDS=()
  [ -n "$NGINX_PID" ] && { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; }
  NGINX_PID=""
}

rps() { # rps URL: requests/s of wrk after a 2 s warm-up; fails on any non-2xx/3xx answer
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$1" >/dev/null
  local out; out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$1")"
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then say "errors from $1:"; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ { print $2 }' <<<"$out"
}

editors() { python3 "$ROOT/bench/editors.py" "$@" --editors "$EDITORS" --seconds "$SECONDS_EDITING"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

if [ "$ONLY" != converge ]; then
# --- 1. SQLite, one instance ----------------------------------------------------------------------
say "SQLite, one instance: importing $DOCS documents"
start "$PORT" Sqlite "Data Source=$WORK/sqlite.db"; wait_ready "$PORT"
SQLITE_FEED="$(rps "http://127.0.0.1:$PORT/api/v1/feed")"
SQLITE_EDIT="$(editors "http://127.0.0.1:$PORT")"
stop_all

# --- 2. PostgreSQL, one instance ------------------------------------------------------------------
"$PSQL" "$CONTENTPORTAL_TEST_POSTGRES_URI" -qc "CREATE DATABASE bench_one" >/dev/null
say "PostgreSQL, one instance: importing $DOCS documents"
start "$PORT" PostgreSQL "$(pg_connection bench_one)"; wait_ready "$PORT"
PG1_FEED="$(rps "http://127.0.0.1:$PORT/api/v1/feed")"
PG1_EDIT="$(editors "http://127.0.0.1:$PORT")"
stop_all

# --- 3. PostgreSQL, two instances behind nginx ----------------------------------------------------
"$PSQL" "$CONTENTPORTAL_TEST_POSTGRES_URI" -qc "CREATE DATABASE bench_two" >/dev/null
say "PostgreSQL, two instances started together behind nginx: importing $DOCS documents (once)"
start "$PORT" PostgreSQL "$(pg_connection bench_two)"; start "$((PORT + 1))" PostgreSQL "$(pg_connection bench_two)"
wait_ready "$PORT"; wait_ready "$((PORT + 1))"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log;
daemon off;
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
events { worker_connections 1024; }
http {
  access_log off;
  upstream portal { server 127.0.0.1:$PORT; server 127.0.0.1:$((PORT + 1)); keepalive 64; }
  server {
    listen 127.0.0.1:$((PORT + 2));
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
nginx -p "$WORK" -c "$WORK/nginx.conf" & NGINX_PID=$!
sleep 1
PG2_FEED="$(rps "http://127.0.0.1:$((PORT + 2))/api/v1/feed")"
PG2_EDIT="$(editors "http://127.0.0.1:$((PORT + 2))")"
IDS="$("$PSQL" "$(sed 's#/postgres$#/bench_two#' <<<"$CONTENTPORTAL_TEST_POSTGRES_URI")" -Atc 'SELECT count(*) FROM "Snapshots"')"
stop_all

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
echo "ContentPortal instances benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $DOCS documents, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $EDITORS editors for ${SECONDS_EDITING}s)"
printf '  %-36s %12s %14s %8s %8s %8s\n' "configuration" "feed req/s" "edit tasks/s" "p50 ms" "p95 ms" "5xx"
for row in "SQLite, one instance|$SQLITE_FEED|$SQLITE_EDIT" "PostgreSQL, one instance|$PG1_FEED|$PG1_EDIT" "PostgreSQL, two instances + nginx|$PG2_FEED|$PG2_EDIT"; do
  IFS='|' read -r name feed edit <<<"$row"
  printf '  %-36s %12s %14s %8s %8s %8s\n' "$name" "$feed" "$(field "$edit" tasksPerSecond)" "$(field "$edit" p50ms)" "$(field "$edit" p95ms)" "$(field "$edit" serverErrors)"
done
printf '  ratios: feed PG1/SQLite %s, PG2/PG1 %s; editing PG1/SQLite %s, PG2/PG1 %s\n' \
  "$(ratio "$PG1_FEED" "$SQLITE_FEED")" "$(ratio "$PG2_FEED" "$PG1_FEED")" \
  "$(ratio "$(field "$PG1_EDIT" tasksPerSecond)" "$(field "$SQLITE_EDIT" tasksPerSecond)")" \
  "$(ratio "$(field "$PG2_EDIT" tasksPerSecond)" "$(field "$PG1_EDIT" tasksPerSecond)")"
printf '  editor errors: SQLite %s; PG1 %s; PG2 %s\n' "$(field "$SQLITE_EDIT" editorErrors)" "$(field "$PG1_EDIT" editorErrors)" "$(field "$PG2_EDIT" editorErrors)"
printf '  snapshots in the two-instance database after both started together: %s (expected 1: seeded once)\n' "$IDS"
fi

# --- 4. Three PostgreSQL instances: from a publish's commit to all three serving it (issue 31) ------
if [ "$ONLY" != throughput ]; then
"$PSQL" "$CONTENTPORTAL_TEST_POSTGRES_URI" -qc "CREATE DATABASE bench_three" >/dev/null
say "PostgreSQL, three instances: importing $DOCS documents (once), then $ROUNDS publishes"
start "$PORT" PostgreSQL "$(pg_connection bench_three)"; wait_ready "$PORT"
FOLLOWER_POLL="$POLL_SECONDS" start "$((PORT + 1))" PostgreSQL "$(pg_connection bench_three)"
FOLLOWER_POLL="$POLL_SECONDS" start "$((PORT + 2))" PostgreSQL "$(pg_connection bench_three)"
wait_ready "$((PORT + 1))"; wait_ready "$((PORT + 2))"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
CONVERGE="$(python3 "$ROOT/bench/converge.py" "http://127.0.0.1:$PORT" "http://127.0.0.1:$PORT" "http://127.0.0.1:$((PORT + 1))" "http://127.0.0.1:$((PORT + 2))" --rounds "$ROUNDS")"
stop_all
echo
echo "ContentPortal convergence ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg), $DOCS documents, 3 instances, $ROUNDS publishes, followers polling every ${POLL_SECONDS}s)"
printf '  all three serving, after the first one (~ the commit): median %s ms, max %s ms\n' \
  "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["allServingAfterFirstMs"]["median"])' "$CONVERGE")" \
  "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["allServingAfterFirstMs"]["max"])' "$CONVERGE")"
printf '  all three serving, after the publish request answered: median %s ms, max %s ms; the publish request took median %s ms\n' \
  "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["allServingAfterPublishAnswerMs"]["median"])' "$CONVERGE")" \
  "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["allServingAfterPublishAnswerMs"]["max"])' "$CONVERGE")" \
  "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["publishRequestMs"]["median"])' "$CONVERGE")"
fi
