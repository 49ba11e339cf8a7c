#!/usr/bin/env bash
# Usage: scripts/bench-import.sh [--events N] [--connections N] [--parallel N] [--database postgres://…]
#                                [--skip-build] [--binary PATH] [--help]
#
# Import benchmark (issue "Data operations"): generates a realistic history with
# scripts/lib/import_history.py (default 1 000 000 items over 2 years and 20 connections, one
# project each: deployments with 1-3 commits, merged pull requests whose merge commits are
# deployed, incidents opened then closed, commits with line counts), then imports it twice into
# fresh databases:
#   (a) over HTTP: `doralake import --url` into a running release server's batch route, N
#       connections at a time (--parallel, default 4); then waits until GET /health reports no
#       derivation backlog;
#   (b) straight into the database: `doralake import --database`, one connection after the other
#       (each import returns once derived data is complete).
# Prints, per mode, one parsable line:
#   RESULT mode=http items=… seconds=… items_per_s=… derivation_s=… server_peak_rss_mb=… importer_peak_rss_mb=… rejected=…
# Database: a throw-away SQLite file, or with --database a fresh database on that PostgreSQL server
# (created and dropped by the script; the role needs CREATEDB).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

events=1000000
connections=20
parallel=4
database=""
skip_build=0
binary=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --events) events="${2:?--events needs a value}"; shift 2 ;;
        --connections) connections="${2:?--connections needs a value}"; shift 2 ;;
        --parallel) parallel="${2:?--parallel needs a value}"; shift 2 ;;
        --database) database="${2:?--database needs a value}"; shift 2 ;;
        --skip-build) skip_build=1; shift ;;
        --binary) binary="${2:?--binary needs a path}"; skip_build=1; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for pair in "events:$events" "connections:$connections" "parallel:$parallel"; do
    if ! [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]]; then echo "--${pair%%:*} must be a positive integer" >&2; exit 2; fi
done
db_kind=sqlite
if [[ -n "$database" ]]; then
    case "$database" in
        postgres://* | postgresql://*) db_kind=postgres ;;
        *) echo "--database must be a postgres:// URL" >&2; exit 2 ;;
    esac
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-common.sh"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
if [[ -z "$binary" ]]; then
    binary="$repo_root/.build-release/release/doralake"
    if ((skip_build == 0)); then
        log "building the release binary"
        swift build -c release --product doralake --scratch-path .build-release >&2
    fi
fi
[[ -x "$binary" ]] || { echo "no doralake binary at $binary" >&2; exit 1; }

work="$(mktemp -d -t doralake-bench-import-XXXXXX)"
server_pid=""
pg_created=()
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [[ "$db_kind" == postgres ]]; then drop_databases; fi
    rm -rf "$work"
}
trap cleanup EXIT
export DORALAKE_KEY_SECRET="$(random_hex 32)" DORALAKE_ADMIN_TOKEN="$(random_hex 32)"
[[ "$db_kind" == postgres ]] && use_postgres_server "$database"

log "generating $events items over $connections connections in $work/history"
python3 scripts/lib/import_history.py "$work/history" "$events" "$connections" > "$work/files"
total_items=$(cat "$work"/history/*.ndjson | wc -l)

# A fresh database URL for one mode.
fresh_database() {
    if [[ "$db_kind" == postgres ]]; then
        local name="doralake_bench_import_$(random_hex 6)"
        create_bench_database "$name"
        url_with_database "$database" "$name"
    else
        echo "sqlite:$work/$1.sqlite"
    fi
}

# Peak RSS (MB) of a command run under /usr/bin/time, from its report file.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1" 2>/dev/null || echo "?"; }
now() { date +%s.%N; }
setup_connections() {  # $1 = database URL; creates connections 1..N and projects p1..pN
    local c
    for c in $(seq 1 "$connections"); do
        "$binary" webhook create --name "c$c" --database "$1" > /dev/null
        "$binary" project create "p$c" --connection "$c" --database "$1" > /dev/null
    done
}

# ---- (a) over HTTP ---------------------------------------------------------------------------
url_a="$(fresh_database http)"
"$binary" migrate --database "$url_a" > /dev/null
setup_connections "$url_a"
port="$(free_port)"
"$binary" serve --port "$port" --database "$url_a" --log-level warning 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/ping" > /dev/null && break; sleep 0.1; done
log "(a) importing over HTTP, $parallel connections at a time"
start=$(now)
seq 1 "$connections" | xargs -P "$parallel" -I{} /usr/bin/time -v -o "$work/time-http-{}.txt" \
    "$binary" import --connection {} "$work/history/connection-{}.ndjson" --url "http://127.0.0.1:$port" \
    --token "$DORALAKE_ADMIN_TOKEN" --allow-rejected > "$work/http-summaries.txt" 2> /dev/null
end=$(now)
while :; do
    pending=$(curl -s "http://127.0.0.1:$port/health" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("derivation",{}).get("pending",0))')
    [[ "$pending" == 0 ]] && break
    sleep 0.2
done
derived=$(now)
server_peak=$(( $(rss_kb "$server_pid" VmHWM) / 1024 ))
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
importer_peak=$(for f in "$work"/time-http-*.txt; do peak_mb "$f"; echo; done | sort -n | tail -1)
rejected=$(grep -o '[0-9]* rejected' "$work/http-summaries.txt" | awk '{ s += $1 } END { print s + 0 }')
seconds=$(echo "$end - $start" | bc)
echo "RESULT mode=http database=$db_kind items=$total_items seconds=$seconds items_per_s=$(echo "$total_items / $seconds" | bc) derivation_s=$(echo "$derived - $end" | bc) server_peak_rss_mb=$server_peak importer_peak_rss_mb=$importer_peak rejected=$rejected"

# ---- (b) straight into the database ------------------------------------------------------------
url_b="$(fresh_database direct)"
"$binary" migrate --database "$url_b" > /dev/null
setup_connections "$url_b"
log "(b) importing straight into the database, one connection after the other"
start=$(now)
: > "$work/direct-summaries.txt"
for c in $(seq 1 "$connections"); do
    /usr/bin/time -v -o "$work/time-direct-$c.txt" "$binary" import --connection "$c" "$work/history/connection-$c.ndjson" \
        --database "$url_b" --allow-rejected >> "$work/direct-summaries.txt" 2> /dev/null
done
end=$(now)
importer_peak=$(for f in "$work"/time-direct-*.txt; do peak_mb "$f"; echo; done | sort -n | tail -1)
rejected=$(grep -o '[0-9]* rejected' "$work/direct-summaries.txt" | awk '{ s += $1 } END { print s + 0 }')
derivation=$(grep -o 'complete [0-9.]* s' "$work/direct-summaries.txt" | awk '{ s += $2 } END { printf "%.1f", s }')
seconds=$(echo "$end - $start" | bc)
echo "RESULT mode=direct database=$db_kind items=$total_items seconds=$seconds items_per_s=$(echo "$total_items / $seconds" | bc) derivation_s=$derivation importer_peak_rss_mb=$importer_peak rejected=$rejected (derivation included in seconds)"
