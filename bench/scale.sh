#!/usr/bin/env bash
# Scale benchmark (not a test): the same measures at several corpus sizes in one run, side by side,
# with the ratio of each size to the first (goal: flat, i.e. ratios near 1).
#   bench/scale.sh                       (needs the .NET SDK, python3, curl)
#   SIZES="1000 10000" REQUESTS=30 PUBLISHES=20 bench/scale.sh
#   IMPORT_WAIT_SECONDS=3600 SIZES="1000 100000" bench/scale.sh   (a loaded machine imports 100,000 slowly)
#   PROVIDER=PostgreSQL bench/scale.sh   (a throwaway cluster as tests/postgres starts it; one database per size)
#   EXPLAIN=bench/explain-search.pg.sql  (statements run against each size's database; output in $WORK/explain-N.txt)
# For each size: a generated corpus (bench/generate-corpus.py) imported and published at start-up
# (Development, Release build; time from the app's log, peak RSS), then bench/scale.py drives the
# demo accounts: median ms of REQUESTS GETs per page, a one-document change through the real forms
# (draft, submit, sign, publish) PUBLISHES times (publish request ms, RSS after the first and the last),
# and a login and a draft save started while the first of those publishes runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-1000 10000}"
REQUESTS="${REQUESTS:-30}"
PUBLISHES="${PUBLISHES:-20}"
PORT="${PORT:-5092}"
PROVIDER="${PROVIDER:-Sqlite}"
WORK="${BENCH_DIR:-/tmp/contentportal-scale}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

say() { printf 'scale: %s\n' "$*" >&2; }
APP_PID=""
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true; }
trap cleanup EXIT
if [ "$PROVIDER" = PostgreSQL ]; then
  # shellcheck source=tests/postgres
  . "$ROOT/tests/postgres"
  trap 'cleanup; postgres_stop' EXIT
  postgres_start
fi

rm -rf "$WORK" && mkdir -p "$WORK/logs"
say "publishing the app in Release to $WORK/app"
dotnet publish "$ROOT/src/ContentPortal.Web" -c Release -o "$WORK/app" --nologo -v quiet >"$WORK/logs/publish.log" 2>&1 \
  || { cat "$WORK/logs/publish.log"; exit 1; }

for docs in $SIZES; do
  say "$docs documents: generating, importing, publishing"
  python3 "$ROOT/bench/generate-corpus.py" "$WORK/corpus-$docs" "$docs"
  log="$WORK/logs/app-$docs.log"
  # The app's database: a SQLite file, or a database of its own on the throwaway cluster.
  if [ "$PROVIDER" = PostgreSQL ]; then
    "$(postgres_bindir)/psql" "$CONTENTPORTAL_TEST_POSTGRES_URI" -qc "CREATE DATABASE cp_scale_$docs" >/dev/null
    db_settings=(Database__Provider=PostgreSQL "ConnectionStrings__Default=${CONTENTPORTAL_TEST_POSTGRES/Database=postgres/Database=cp_scale_$docs}")
  else
    db_settings=("ConnectionStrings__Default=Data Source=$WORK/cp-$docs.db")
  fi
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
      "${db_settings[@]}" Seed__Path="$WORK/corpus-$docs" \
      Scheduling__Background=false Webhooks__Background=false \
      Logging__LogLevel__Default=Warning Logging__LogLevel__ContentPortal.Web=Information \
      dotnet ContentPortal.Web.dll >"$log" 2>&1) &
  APP_PID=$!
  line=""
  for _ in $(seq 1 $((${IMPORT_WAIT_SECONDS:-$((600 + docs / 40))} * 2))); do # 10 minutes and more for a large corpus (100,000: 1 h), or IMPORT_WAIT_SECONDS
    line="$(grep -o 'published snapshot 1 ([0-9]* bytes) in [0-9]* ms' "$log" || true)"
    if [ -n "$line" ] && curl -fs "http://127.0.0.1:$PORT/health" >/dev/null; then break; fi
    kill -0 "$APP_PID" 2>/dev/null || { cat "$log"; say "the app exited"; exit 1; }
    sleep 0.5
  done
  [ -n "$line" ] || { say "no publish line in $log"; exit 1; }
  sed 's/.* in \([0-9]*\) ms/\1/' <<<"$line" >"$WORK/import-ms-$docs"
  grep -o 'documents saved in [0-9]* ms' "$log" | grep -o '[0-9]* ms' | tr -dc 0-9 >"$WORK/import-save-ms-$docs" || true
  awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status" >"$WORK/import-peak-$docs"
  say "$docs documents: driving the pages ($REQUESTS requests each, $PUBLISHES one-change publishes)"
  DOCS="$docs" python3 "$ROOT/bench/scale.py" "http://127.0.0.1:$PORT" "$APP_PID" "$REQUESTS" "$PUBLISHES" "$WORK/result-$docs.json" >/dev/null
  grep -o 'Published snapshot [0-9]*: .*' "$log" | tail -n +2 >"$WORK/publish-phases-$docs.txt" || true
  if [ -n "${EXPLAIN:-}" ]; then
    # EXPLAIN=file.sql: statements (EXPLAIN ANALYZE …) run against this size's database after the pages, output kept.
    if [ "$PROVIDER" = PostgreSQL ]; then
      "$(postgres_bindir)/psql" "${CONTENTPORTAL_TEST_POSTGRES_URI%/postgres}/cp_scale_$docs" -f "$EXPLAIN" >"$WORK/explain-$docs.txt" 2>&1 || true
    else
      sqlite3 "$WORK/cp-$docs.db" <"$EXPLAIN" >"$WORK/explain-$docs.txt" 2>&1 || true
    fi
  fi
  kill "$APP_PID" && wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
done

python3 - "$WORK" $SIZES <<'PY'
import json, sys
work, sizes = sys.argv[1], sys.argv[2:]
rows = {}
for docs in sizes:
    r = json.load(open(f"{work}/result-{docs}.json"))
    saved = open(f"{work}/import-save-ms-{docs}").read().strip()
    flat = {"import: documents saved ms": int(saved) if saved else "",
            "import: first publish ms": int(open(f"{work}/import-ms-{docs}").read()),
            "import peak RSS MB": int(open(f"{work}/import-peak-{docs}").read())}
    flat.update({f"{k} ms (median)": v for k, v in r["pages"].items()})
    for k, v in r.items():
        if k not in ("pages", "during publish", "items"):
            flat[k] = v
    flat.update({f"GET /api/v1/items {k} ms (median)": v for k, v in r.get("items", {}).items()})
    for k, v in r["during publish"].items():
        flat[f"during publish: {k}"] = v
    rows[docs] = flat
names = list(rows[sizes[0]].keys())
head = "| measure | " + " | ".join(f"{int(s):,} docs" for s in sizes) + " | " + " | ".join(f"{int(s):,}/{int(sizes[0]):,}" for s in sizes[1:]) + " |"
print(head)
print("|---|" + "---:|" * (2 * len(sizes) - 1))
for n in names:
    vals = [rows[s].get(n, "") for s in sizes]
    ratios = []
    for v in vals[1:]:
        try:
            ratios.append(f"{float(v) / float(vals[0]):.2f}")
        except (TypeError, ValueError, ZeroDivisionError):
            ratios.append("")
    print(f"| {n} | " + " | ".join(str(v) for v in vals) + " | " + " | ".join(ratios) + " |")
PY
for docs in $SIZES; do echo "one-change publishes at $docs documents (app log, the first and the last three):"; head -1 "$WORK/publish-phases-$docs.txt"; tail -3 "$WORK/publish-phases-$docs.txt"; done
echo "provider: $PROVIDER"
uptime
