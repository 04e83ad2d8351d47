#!/usr/bin/env bash
# Status page benchmark: a release build of `sitewatch serve` with SITES public sites (in
# GROUP_COUNT public groups) checked on loopback, loaded with wrk at CONNECTIONS concurrent
# anonymous clients on GET /status for DURATION. Prints p50, p99 and requests/s of /status, and
# the check round's median time (ROUNDS rounds) without load and while the load runs.
#
#   benches/status.sh                          # both backends
#   BACKENDS=sqlite benches/status.sh
#   SITES=500 CONNECTIONS=64 DURATION=30s ROUNDS=7 benches/status.sh
#   PIN=0 benches/status.sh                    # no CPU pinning (see below)
#
# Needs wrk (apt-get install wrk), python3 (the watched sites' HTTP server on loopback) and, for PostgreSQL,
# BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432) where it may create the
# database sitewatch_status_bench. Work files go to $BENCH_DIR (default /tmp/sitewatch-status-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

SITES=${SITES:-500}
GROUP_COUNT=${GROUP_COUNT:-5}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-30s}
ROUNDS=${ROUNDS:-7}
BACKENDS=${BACKENDS:-"sqlite postgres"}
BENCH_DIR=${BENCH_DIR:-/tmp/sitewatch-status-bench}
PG=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18490}
SITES_PORT=${SITES_PORT:-18491}
mkdir -p "$BENCH_DIR"
# On a small machine the load generator and the server would take every core from the round,
# which would then measure CPU contention rather than what the page costs the database. With
# PIN=1 (the default when there are 2 or more cores) the web server and wrk share CPU 1, the
# round and the sites' server CPU 0; the databases are not pinned. PIN=0 leaves all unpinned.
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
if [ "$PIN" = 1 ]; then WEB_CPU="taskset -c 1"; ROUND_CPU="taskset -c 0"; else WEB_CPU=""; ROUND_CPU=""; fi

command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet --bin sitewatch --bin check
SW=$PWD/target/release/sitewatch
CHECK=$PWD/target/release/check

for v in $(env | grep -o '^SITEWATCH_[A-Z_]*'); do unset "$v"; done
export SITEWATCH_CHECK_SANDBOX_URLS=""

# The watched sites: one threaded local HTTP server answering 200 to every path, with a listen
# backlog deep enough for the round's concurrent probes.
cat > "$BENCH_DIR/sites.py" <<'PY'
import http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_GET = do_HEAD
    def log_message(self, *args):
        pass
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
$ROUND_CPU python3 "$BENCH_DIR/sites.py" "$SITES_PORT" &
www=$!
server=""
cleanup() { kill $www ${server:+$server} 2>/dev/null || true; }
trap cleanup EXIT

{
    for g in $(seq 0 $((GROUP_COUNT - 1))); do
        printf '[[groups]]\nname = "Public %02d"\nslug = "public-%02d"\n\n' "$g" "$g"
    done
    for i in $(seq 0 $((SITES - 1))); do
        printf '[[sites]]\nurl = "http://127.0.0.1:%s/s%s"\nname = "Service %04d"\ngroup = "public-%02d"\n\n' \
            "$SITES_PORT" "$i" "$i" $((i % GROUP_COUNT))
    done
} > "$BENCH_DIR/sites.toml"

# The round's time as `check` prints it ("...; 0.42 s").
one_round() { $ROUND_CPU "$CHECK" | sed -n 's/.*; \([0-9.]*\) s$/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for BACKEND in $BACKENDS; do
    case $BACKEND in
        sqlite) URL="sqlite://$BENCH_DIR/sitewatch.db"; rm -f "$BENCH_DIR"/sitewatch.db* ;;
        postgres)
            URL="$PG/sitewatch_status_bench"
            psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS sitewatch_status_bench" -c "CREATE DATABASE sitewatch_status_bench"
            ;;
        *) echo "unknown backend $BACKEND" >&2; exit 2 ;;
    esac
    export SITEWATCH_DATABASE_URL=$URL
    "$SW" import "$BENCH_DIR/sites.toml" >/dev/null
    for g in $(seq 0 $((GROUP_COUNT - 1))); do "$SW" group public "$(printf 'public-%02d' "$g")" on >/dev/null; done
    for _ in 1 2 3; do one_round >/dev/null; done

    SITEWATCH_BIND=127.0.0.1:$PORT SITEWATCH_LOG=warn $WEB_CPU "$SW" serve >"$BENCH_DIR/serve-$BACKEND.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/status"
    plain=$(curl -s "http://127.0.0.1:$PORT/status" | wc -c)
    gzipped=$(curl -s -H "Accept-Encoding: gzip" "http://127.0.0.1:$PORT/status" | wc -c)
    echo "$BACKEND: /status is $plain bytes, $gzipped gzipped, for $SITES public sites" >&2

    quiet=$(for _ in $(seq 1 "$ROUNDS"); do one_round; done | median)

    $WEB_CPU wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Accept-Encoding: gzip" "http://127.0.0.1:$PORT/status" \
        >"$BENCH_DIR/wrk-$BACKEND.txt" &
    load=$!
    sleep 2
    loaded=$(for _ in $(seq 1 "$ROUNDS"); do one_round; done | median)
    wait $load
    out=$(cat "$BENCH_DIR/wrk-$BACKEND.txt")
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/{print $NF}')
    growth=$(awk -v a="$quiet" -v b="$loaded" 'BEGIN { if (a > 0) printf "%+.1f %%", (b - a) / a * 100; else print "n/a" }')
    echo "| backend | /status p50 | /status p99 | requests/s | round, idle | round, under load | change |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    printf '| %s | %s | %s | %s | %s s | %s s | %s |\n' "$BACKEND" "$p50" "$p99" "$rps${errors:+ ($errors non-2xx)}" \
        "$quiet" "$loaded" "$growth"
    kill $server; wait $server 2>/dev/null || true
    server=""
done
