#!/usr/bin/env bash
# Web benchmark: a release build of `sitewatch serve` against 10,000 sites in 50 groups with
# 10 M views (and their hourly rollups), on SQLite and on PostgreSQL, loaded with wrk at
# 8 concurrent connections for 20 s per route. Prints p50, p99 and requests/s per route.
#
#   benches/web.sh                      # both backends
#   BACKENDS=sqlite benches/web.sh      # one
#   SITES=10000 GROUP_COUNT=50 VIEWS_PER_SITE=1000 DURATION=20s benches/web.sh
#   ROUNDS=1 CLIENTS=16 benches/web.sh  # while `check` rounds run back to back on the same data
#
# With ROUNDS=1 every site is pointed at a farm of loopback listeners (examples/bench_farm.rs)
# and `check` runs round after round, at its default settings, for as long as the routes are
# loaded; the rounds' count and median time are printed after each backend's table.
#
# Needs wrk (apt-get install wrk) and, for PostgreSQL, SITEWATCH_BENCH_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/test), a server where it may create the database
# sitewatch_bench (the same variable the cargo benchmarks read).
# Generated data is kept in $BENCH_DIR (default /tmp/sitewatch-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."

SITES=${SITES:-10000}
GROUP_COUNT=${GROUP_COUNT:-50}
VIEWS_PER_SITE=${VIEWS_PER_SITE:-1000}
DURATION=${DURATION:-20s}
CLIENTS=${CLIENTS:-8}
ROUNDS=${ROUNDS:-0}
BACKENDS=${BACKENDS:-"sqlite postgres"}
BENCH_DIR=${BENCH_DIR:-/tmp/sitewatch-bench}
# The server part of the URL: its database is replaced by sitewatch_bench (and postgres).
PG=$(printf '%s' "${SITEWATCH_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" | sed -E 's#^(postgres(ql)?://[^/]+).*#\1#')
PORT=${PORT:-18480}
mkdir -p "$BENCH_DIR"

command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet --example bench_data --example bench_farm --bin sitewatch --bin check
SW=target/release/sitewatch
GEN=target/release/examples/bench_data
CHECK=$(pwd)/target/release/check
FARM=target/release/examples/bench_farm

for v in $(env | grep -o '^SITEWATCH_[A-Z_]*'); do unset "$v"; done
export SITEWATCH_CHECK_SANDBOX_URLS=""

cat > "$BENCH_DIR/site.lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/sites/site-%05d/data.json", math.random(0, $SITES - 1)))
end
LUA

# wrk --latency prints "50%  1.23ms" lines and "Requests/sec: 123.4"; report milliseconds.
measure() {
    local label=$1 url=$2; shift 2
    local out
    out=$(wrk -t2 -c"$CLIENTS" -d"$DURATION" --latency "$@" "$url")
    local p50 p99 rps
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    local errors
    errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    printf '| %s | %s | %s | %s | %s |\n' "$BACKEND" "$label" "$p50" "$p99" "$rps${errors:+ ($errors non-2xx)}"
}

for BACKEND in $BACKENDS; do
    case $BACKEND in
        sqlite) URL="sqlite://$BENCH_DIR/sitewatch.db" ;;
        postgres) URL="$PG/sitewatch_bench" ;;
        *) echo "unknown backend $BACKEND" >&2; exit 2 ;;
    esac
    export SITEWATCH_DATABASE_URL=$URL
    marker="$BENCH_DIR/$BACKEND-$SITES-$GROUP_COUNT-$VIEWS_PER_SITE.done"
    if [ ! -f "$marker" ]; then
        if [ "$BACKEND" = postgres ]; then
            psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS sitewatch_bench" -c "CREATE DATABASE sitewatch_bench"
        else
            rm -f "$BENCH_DIR"/sitewatch.db*
        fi
        echo "generating $SITES sites, $GROUP_COUNT groups, $((SITES * VIEWS_PER_SITE)) views on $BACKEND..." >&2
        start=$(date +%s)
        "$GEN" "$URL" "$SITES" "$GROUP_COUNT" "$VIEWS_PER_SITE"
        echo "bench-password" | "$SW" user add bench --password-stdin >/dev/null
        [ "$BACKEND" = postgres ] && psql "$URL" -qc "VACUUM ANALYZE"
        echo "generated in $(( $(date +%s) - start )) s" >&2
        touch "$marker"
    fi
    TOKEN=$("$SW" token add bench --label bench 2>/dev/null)

    SITEWATCH_BIND=127.0.0.1:$PORT SITEWATCH_LOG=warn "$SW" serve >"$BENCH_DIR/serve-$BACKEND.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

    jar="$BENCH_DIR/cookies-$BACKEND"
    csrf=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n1 | sed 's/.*value="//;s/"$//')
    curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$csrf&username=bench&password=bench-password&next=/" "http://127.0.0.1:$PORT/login" || true
    cookie=$(awk '$6=="sitewatch_session"{print $6"="$7}' "$jar")
    [ -n "$cookie" ] || { echo "error: could not sign in" >&2; exit 1; }

    # Warm the dashboard cache once, as the first visitor after a round would.
    curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$PORT/"
    size=$(curl -s -H "Cookie: $cookie" -H "Accept-Encoding: gzip" "http://127.0.0.1:$PORT/" | wc -c)
    echo "dashboard: $(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$PORT/" | wc -c) bytes, $size gzipped" >&2

    rounds_log="$BENCH_DIR/rounds-$BACKEND.log"
    if [ "$ROUNDS" = 1 ]; then
        # The farm answers for every site until its stdin closes; rounds run until `stop` exists.
        rm -f "$BENCH_DIR/stop" "$rounds_log"
        mkfifo "$BENCH_DIR/farm-in" 2>/dev/null || true
        "$FARM" "$URL" < "$BENCH_DIR/farm-in" > "$BENCH_DIR/farm-out" &
        farm=$!
        exec 3>"$BENCH_DIR/farm-in"
        for _ in $(seq 1 300); do grep -q ready "$BENCH_DIR/farm-out" 2>/dev/null && break; sleep 0.2; done
        (
            while [ ! -f "$BENCH_DIR/stop" ]; do
                start=$(date +%s.%N)
                "$CHECK" --quiet >>"$BENCH_DIR/rounds-$BACKEND.err" 2>&1 || echo "check failed" >&2
                echo "$(date +%s.%N) - $start" | bc >>"$rounds_log"
            done
        ) &
        rounds=$!
        trap 'touch "$BENCH_DIR/stop"; kill $server $farm 2>/dev/null || true' EXIT
        sleep 2
    fi

    echo "| backend | route | p50 | p99 | requests/s |"
    echo "| --- | --- | --- | --- | --- |"
    measure "/ (gzip)" "http://127.0.0.1:$PORT/" -H "Cookie: $cookie" -H "Accept-Encoding: gzip"
    measure "/sites/{slug}/data.json" "http://127.0.0.1:$PORT" -H "Authorization: Bearer $TOKEN" -s "$BENCH_DIR/site.lua"
    measure "/outages" "http://127.0.0.1:$PORT/outages" -H "Cookie: $cookie" -H "Accept-Encoding: gzip"
    measure "/metrics" "http://127.0.0.1:$PORT/metrics" -H "Authorization: Bearer $TOKEN"
    if [ "$ROUNDS" = 1 ]; then
        touch "$BENCH_DIR/stop"
        wait $rounds
        exec 3>&-
        wait $farm 2>/dev/null || true
        n=$(wc -l <"$rounds_log")
        median=$(sort -n "$rounds_log" | awk '{a[NR]=$1} END{printf "%.2f", a[int((NR+1)/2)]}')
        echo "rounds while loading: $n back to back, median $median s each (check at default settings)"
    fi
    kill $server; wait $server 2>/dev/null || true
    trap - EXIT
done
