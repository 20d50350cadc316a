#!/usr/bin/env bash
# Feed benchmark (not a test): the app in Release with a generated corpus, measured with wrk on loopback
# against nginx serving the same bytes as a static file in the same run.
#   bench/feed.sh            (needs the .NET SDK, python3, curl, wrk, nginx: apt-get install -y wrk nginx)
# Environment: DOCS (1000), BIG_DOCS (10000, publish time only; 0 skips), DURATION (10 s per run), ROUNDS (3:
# app and nginx measured alternately, the median reported, since a shared machine drifts),
# CONNECTIONS (32), THREADS (2), PORT (5090; nginx uses PORT+1), BENCH_DIR (/tmp/contentportal-bench).
# Prints requests/s for GET /api/v1/feed (200), the same with If-None-Match (304), nginx for both, the
# ratios to nginx (goal >= 0.9), publish time for DOCS and BIG_DOCS documents, and the app's peak memory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCS="${DOCS:-1000}"
BIG_DOCS="${BIG_DOCS:-10000}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-5090}"
NGINX_PORT=$((PORT + 1))
WORK="${BENCH_DIR:-/tmp/contentportal-bench}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

say() { printf 'bench: %s\n' "$*" >&2; }
for tool in dotnet python3 curl wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing (apt-get install -y wrk nginx curl python3)"; exit 1; }
done

APP_PID="" NGINX_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK/www" "$WORK/logs"
say "publishing the app in Release to $WORK/app"
dotnet publish "$ROOT/src/ContentPortal.Web" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/logs/publish.log" 2>&1 \
  || { cat "$WORK/logs/publish.log"; exit 1; }

# serve_app DOCS: the app in Production (as deployed) on the database start_app seeded; sets APP_PID.
serve_app() {
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
      ConnectionStrings__Default="Data Source=$WORK/cp-$1.db" Logging__LogLevel__Default=Warning DataProtection__AllowUnprotectedKeys=true \
      dotnet ContentPortal.Web.dll >"$WORK/logs/serve-$1.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/api/v1/feed" -o /dev/null && return 0
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/logs/serve-$1.log"; say "the app exited"; exit 1; }
    sleep 0.5
  done
  say "the app did not serve the feed"; exit 1
}

# start_app DOCS: a fresh database seeded (Development import) with a generated corpus; sets APP_PID, PUBLISH_MS, FEED_BYTES.
start_app() {
  local docs="$1" log="$WORK/logs/app-$1.log"
  python3 "$ROOT/bench/generate-corpus.py" "$WORK/corpus-$docs" "$docs"
  rm -f "$WORK"/cp-"$docs".db*
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
      ConnectionStrings__Default="Data Source=$WORK/cp-$docs.db" Seed__Path="$WORK/corpus-$docs" \
      Logging__LogLevel__Default=Warning Logging__LogLevel__ContentPortal.Web=Information \
      dotnet ContentPortal.Web.dll >"$log" 2>&1) &
  APP_PID=$!
  local line=""
  for _ in $(seq 1 600); do
    line="$(grep -o 'published snapshot 1 ([0-9]* bytes) in [0-9]* ms' "$log" || true)"
    if [ -n "$line" ] && curl -fs "http://127.0.0.1:$PORT/health" >/dev/null; then break; fi
    kill -0 "$APP_PID" 2>/dev/null || { cat "$log"; say "the app exited"; exit 1; }
    sleep 0.5
  done
  [ -n "$line" ] || { say "no publish line in $log"; exit 1; }
  PUBLISH_MS="$(sed 's/.* in \([0-9]*\) ms/\1/' <<<"$line")"
  FEED_BYTES="$(sed 's/.*(\([0-9]*\) bytes).*/\1/' <<<"$line")"
}

stop_app() {
  kill "$APP_PID" && wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# rps URL [HEADER]: requests/s from wrk after a short warm-up; fails on any non-2xx/3xx answer.
rps() {
  local url="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$@" "$url" >/dev/null
  local out; out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$url")"
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then say "errors from $url:"; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ { print $2 }' <<<"$out"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# --- publish time and memory for BIG_DOCS ---------------------------------------------------------
if [ "$BIG_DOCS" -gt 0 ]; then
  say "publishing $BIG_DOCS generated documents"
  start_app "$BIG_DOCS"
  BIG_MS="$PUBLISH_MS" BIG_BYTES="$FEED_BYTES" BIG_PEAK="$(peak_mb "$APP_PID")"
  stop_app
fi

# --- DOCS: publish, then the feed against nginx ---------------------------------------------------
say "publishing $DOCS generated documents"
start_app "$DOCS"
PUBLISH_PEAK="$(peak_mb "$APP_PID")"
stop_app
# Measured as deployed: Production, serving what the import published (read back from the database).
serve_app "$DOCS"
curl -fs "http://127.0.0.1:$PORT/api/v1/feed" -o "$WORK/www/feed.json"
APP_ETAG="$(curl -fsI "http://127.0.0.1:$PORT/api/v1/feed" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')"

cat >"$WORK/nginx.conf" <<NGINX
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log;
daemon off;
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { default_type application/json; etag on; }
  }
}
NGINX
nginx -p "$WORK" -c "$WORK/nginx.conf" &
NGINX_PID=$!
sleep 1
NGINX_URL="http://127.0.0.1:$NGINX_PORT/feed.json"
NGINX_ETAG="$(curl -fsI "$NGINX_URL" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')"
cmp -s "$WORK/www/feed.json" <(curl -fs "$NGINX_URL") || { say "nginx serves different bytes"; exit 1; }
[ "$(status_of -H "If-None-Match: $APP_ETAG" "http://127.0.0.1:$PORT/api/v1/feed")" = 304 ] || { say "the app did not answer 304"; exit 1; }
[ "$(status_of -H "If-None-Match: $NGINX_ETAG" "$NGINX_URL")" = 304 ] || { say "nginx did not answer 304"; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
say "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s each, $ROUNDS rounds, app and nginx alternating"
A200=() N200=() A304=() N304=() C200=()
for round in $(seq 1 "$ROUNDS"); do
  CPU_BEFORE="$(cpu_ticks "$APP_PID")"
  A200+=("$(rps "http://127.0.0.1:$PORT/api/v1/feed")")
  # The app's CPU (user + system) over the warm-up and the run, per 1,000 answers of the run's rate.
  C200+=("$(awk -v t="$(( $(cpu_ticks "$APP_PID") - CPU_BEFORE ))" -v hz="$(getconf CLK_TCK)" -v r="${A200[-1]}" -v d="$DURATION" 'BEGIN { printf "%.1f", t / hz * 1000 / (r * (d + 2)) * 1000 }')")
  N200+=("$(rps "$NGINX_URL")")
  A304+=("$(rps "http://127.0.0.1:$PORT/api/v1/feed" -H "If-None-Match: $APP_ETAG")")
  N304+=("$(rps "$NGINX_URL" -H "If-None-Match: $NGINX_ETAG")")
  say "round $round: app 200 ${A200[-1]}, nginx 200 ${N200[-1]}, app 304 ${A304[-1]}, nginx 304 ${N304[-1]}"
done
APP_200="$(median "${A200[@]}")" NGINX_200="$(median "${N200[@]}")"
APP_304="$(median "${A304[@]}")" NGINX_304="$(median "${N304[@]}")"
APP_PEAK="$(peak_mb "$APP_PID")"
stop_app

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "ContentPortal feed benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, median of $ROUNDS, loopback)"
printf '  feed: %s documents, %s bytes (identity)\n' "$DOCS" "$FEED_BYTES"
printf '  %-34s %12s req/s\n' "app    GET /api/v1/feed (200)" "$APP_200" "nginx  same bytes, static (200)" "$NGINX_200" \
  "app    If-None-Match (304)" "$APP_304" "nginx  If-None-Match (304)" "$NGINX_304"
printf '  ratio app/nginx: 200 = %s, 304 = %s (goal >= 0.90)\n' "$(ratio "$APP_200" "$NGINX_200")" "$(ratio "$APP_304" "$NGINX_304")"
printf '  app CPU per 1,000 answers (200): %s ms (median)\n' "$(median "${C200[@]}")"
printf '  publish %s documents: %s ms (import + publish peak memory %s MB); serving peak memory (VmHWM) %s MB\n' "$DOCS" "$PUBLISH_MS" "$PUBLISH_PEAK" "$APP_PEAK"
if [ "$BIG_DOCS" -gt 0 ]; then
  printf '  publish %s documents: %s ms (%s bytes); import + publish peak memory (VmHWM) %s MB\n' "$BIG_DOCS" "$BIG_MS" "$BIG_BYTES" "$BIG_PEAK"
fi
