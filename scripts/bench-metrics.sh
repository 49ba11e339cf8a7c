#!/usr/bin/env bash
# Usage: scripts/bench-metrics.sh [--scale S] [--runs N] [--seed N] [--write-count N] [--write-max-seconds S]
#                                 [--database postgres://USER:PASS@HOST:PORT/DB] [--skip-build] [--help]
#
# Metrics benchmark for doralake (loopback only, 127.0.0.1):
#   1. load    `doralake-bench load` generates the deterministic data set (at scale 1.0: 200 000
#              deployments x 5 commits = 1 000 000 deployment commits over 2 years in 50 repos,
#              60 connections, 20 projects, 100 000 incidents, 200 000 pull requests, 50 000
#              issues, 100 000 commits with line counts) and loads it through the Store API into a
#              fresh database (a SQLite file in a temp dir, or see --database); prints the load
#              time and rows/s per entity kind.
#   2. metrics starts `doralake serve` on that database (free loopback port) and requests
#              GET /api/v1/projects/bench-project-00/metrics?from=2025-01-01&to=2025-06-30&series=month
#              (all twelve metrics, 6 months, monthly series) once cold (first request after start)
#              and then --runs times warm; prints p50/p99 (curl %{time_total}) and the server's
#              peak RSS (VmHWM).
#   3. writes  `doralake-bench write-latency`: single incident and deployment writes, one at a
#              time, into the loaded database and into an empty one; prints p50/p99.
# Ends with a SUMMARY block and parsable RESULT lines (each with database=sqlite|postgres). The
# temp dir is removed on exit.
#
# Database: by default throw-away SQLite files in a temp dir. With --database postgres://…, the
# script connects to that server with psql (same credentials; the URL's database, or `postgres`
# if it names none, is used only to run CREATE DATABASE), creates two fresh databases,
# doralake_bench_<random> (loaded) and doralake_bench_<random>_empty, points the loader, the
# server and the write-latency probe at them, and drops both at exit (also on failure or Ctrl-C).
# The role needs CREATEDB; the password must be in the URL (doralake reads no ~/.pgpass).
# DORALAKE_KEY_SECRET and DORALAKE_ADMIN_TOKEN are random (64 characters) per run;
# DORALAKE_POSTGRES_POOL_SIZE, if set in the environment, is passed on to the server.
#
# Options (defaults in brackets):
#   --scale S              multiplies every count of the data set; 0.01 for a quick check [1.0]
#   --runs N               warm metrics requests, at least 20 for a meaningful p99 [20]
#   --seed N               seed of the data set [42]
#   --write-count N        single writes per kind and database [200]
#   --write-max-seconds S  stop a write kind early after S seconds (at least 5 writes) [120]
#   --database URL         postgres://USER:PASS@HOST:PORT/DB[?sslmode=…] server to create the bench
#                          databases on [throw-away SQLite files]
#   --loaded-database URL  measure an already loaded database instead of loading one (it is
#                          neither created nor dropped): postgres://… (with --database, which
#                          still gets the throw-away empty database) or sqlite:PATH (without
#                          --database); needs --load-output
#   --load-output FILE     the saved output of the `doralake-bench load` run that filled
#                          --loaded-database (its LOAD and BENCH lines: load figures, project, range,
#                          and scale and seed, which replace --scale and --seed in the summary)
#   --skip-build           use the existing .build-release binaries
#   --help                 this text
# Needs: swift, curl, python3 (and psql with --database). The "cold" request is the server
# process's first; neither the OS page cache nor PostgreSQL's buffers are dropped (the data was
# just written by the loader).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

scale=1.0
runs=20
seed=42
write_count=200
write_max_seconds=120
database=""
loaded_database=""
load_output=""
skip_build=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) scale="${2:?--scale needs a value}"; shift 2 ;;
        --scale=*) scale="${1#*=}"; shift ;;
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) runs="${1#*=}"; shift ;;
        --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) seed="${1#*=}"; shift ;;
        --write-count) write_count="${2:?--write-count needs a value}"; shift 2 ;;
        --write-count=*) write_count="${1#*=}"; shift ;;
        --write-max-seconds) write_max_seconds="${2:?--write-max-seconds needs a value}"; shift 2 ;;
        --write-max-seconds=*) write_max_seconds="${1#*=}"; shift ;;
        --database) database="${2:?--database needs a value}"; shift 2 ;;
        --database=*) database="${1#*=}"; shift ;;
        --loaded-database) loaded_database="${2:?--loaded-database needs a value}"; shift 2 ;;
        --loaded-database=*) loaded_database="${1#*=}"; shift ;;
        --load-output) load_output="${2:?--load-output needs a value}"; shift 2 ;;
        --load-output=*) load_output="${1#*=}"; shift ;;
        --skip-build) skip_build=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for pair in "runs:$runs" "seed:$seed" "write-count:$write_count" "write-max-seconds:$write_max_seconds"; do
    if ! [[ "${pair#*:}" =~ ^[0-9]+$ ]]; then
        echo "--${pair%%:*} must be a non-negative integer, got '${pair#*:}'" >&2
        exit 2
    fi
done
if ! [[ "$scale" =~ ^[0-9]*\.?[0-9]+$ ]] || ! python3 -c "import sys; sys.exit(0 if 0 < float('$scale') <= 10 else 1)"; then
    echo "--scale must be a number in (0, 10], got '$scale'" >&2
    exit 2
fi
if ((runs < 1 || write_count < 1 || write_max_seconds < 1)); then
    echo "--runs, --write-count and --write-max-seconds must be at least 1" >&2
    exit 2
fi
db_kind=sqlite
if [[ -n "$database" ]]; then
    case "$database" in
        postgres://* | postgresql://*) db_kind=postgres ;;
        *) echo "--database must be a postgres:// URL, got '$database' (without it throw-away SQLite files are used)" >&2; exit 2 ;;
    esac
fi
if [[ -n "$loaded_database" || -n "$load_output" ]]; then
    [[ -n "$loaded_database" && -n "$load_output" ]] || { echo "--loaded-database and --load-output go together" >&2; exit 2; }
    case "$db_kind:$loaded_database" in
        postgres:postgres://* | postgres:postgresql://*) ;;
        sqlite:sqlite:*) [[ -r "${loaded_database#sqlite:}" ]] || { echo "--loaded-database: no file ${loaded_database#sqlite:}" >&2; exit 2; } ;;
        *) echo "--loaded-database must be postgres://… with --database postgres://…, or sqlite:PATH without --database; got '$loaded_database'" >&2; exit 2 ;;
    esac
    [[ -r "$load_output" ]] || { echo "--load-output $load_output is not a readable file" >&2; exit 2; }
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-common.sh"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

tools=(swift python3 curl)
if [[ "$db_kind" == postgres ]]; then tools+=(psql); fi
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required but not installed" >&2; exit 1; }
done
((runs >= 20)) || log "note: --runs $runs is below 20; the p99 is then little more than the maximum"

# Rough load estimate, from measurements on a 2-core machine (see the summary's LOAD lines for
# the real figures): scale 0.2 (290 000 rows) loaded in ~140 s, so ~12 minutes at scale 1.0 (the project phase grows faster
# than linearly: each project recomputes its derived data from all its rows once).
estimate_s="$(python3 -c "print(round(float('$scale') * 700))")"
log "estimated load time at scale $scale: about $((estimate_s / 60)) min $((estimate_s % 60)) s (SQLite on a 2-core reference machine)"
if ((estimate_s > 900)); then
    log "that is more than 15 minutes; use --scale 0.2 (or 0.05) for a quicker run"
fi

# --- build -----------------------------------------------------------------------------------------
scratch=".build-release"
if ((skip_build == 0)); then
    for product in doralake doralake-bench; do
        log "building release binary (swift build -c release --product $product --scratch-path $scratch)"
        swift build -c release --product "$product" --scratch-path "$scratch"
    done
fi
bin_dir="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
server_bin="$bin_dir/doralake"
bench_bin="$bin_dir/doralake-bench"
for b in "$server_bin" "$bench_bin"; do
    [[ -x "$b" ]] || { echo "no release binary at $b (drop --skip-build?)" >&2; exit 1; }
done

# --- temp dir, cleanup -----------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/doralake-bench-metrics.XXXXXX")"
server_pid=""
server_exit=""
pg_admin_url=""
pg_created=()

stop_server() {
    if [[ -n "$server_pid" ]]; then
        if kill -0 "$server_pid" 2>/dev/null; then
            kill -TERM "$server_pid" 2>/dev/null || true
            for _ in $(seq 1 100); do
                kill -0 "$server_pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$server_pid" 2>/dev/null; then
                log "server did not stop within 10 s of SIGTERM; sending SIGKILL"
                kill -KILL "$server_pid" 2>/dev/null || true
            fi
        fi
        server_exit=0
        wait "$server_pid" 2>/dev/null || server_exit=$?
        server_pid=""
    fi
}
cleanup() {
    local rc=$?
    stop_server
    if ((rc != 0)) && [[ -f "$tmp/server.log" ]]; then
        echo "---- last lines of the server log ----" >&2
        tail -n 30 "$tmp/server.log" >&2 || true
    fi
    drop_databases
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every doralake and doralake-bench process gets the same random secrets (required with PostgreSQL).
DORALAKE_ADMIN_TOKEN="$(random_hex 32)"
DORALAKE_KEY_SECRET="$(random_hex 32)"
export DORALAKE_ADMIN_TOKEN DORALAKE_KEY_SECRET
admin_token="$DORALAKE_ADMIN_TOKEN"

if [[ "$db_kind" == postgres ]]; then
    use_postgres_server "$database"
    bench_db="doralake_bench_$(random_hex 6)"
    if [[ -n "$loaded_database" ]]; then
        loaded_db="$loaded_database"
    else
        create_bench_database "$bench_db"
        loaded_db="$(url_with_database "$database" "$bench_db")"
    fi
    create_bench_database "${bench_db}_empty"
    empty_db="$(url_with_database "$database" "${bench_db}_empty")"
    loaded_shown="$(mask_url "$loaded_db")"
else
    loaded_db="${loaded_database:-sqlite:$tmp/loaded.sqlite}"
    empty_db="sqlite:$tmp/empty.sqlite"
    loaded_shown="${loaded_db#sqlite:}"
fi

# --- 1. load ---------------------------------------------------------------------------------------
# Bounded: at most 4 h (scale 1.0 takes minutes; --scale above 1 grows the time accordingly).
if [[ -n "$load_output" ]]; then
    log "not loading: measuring $loaded_shown, loaded earlier (load figures from $load_output)"
    grep -E '^(LOAD|BENCH) ' "$load_output" >"$tmp/load.txt" || true
    # The summary names the loaded data set's scale and seed.
    loaded_scale="$(grep -oE '^BENCH .*scale=[0-9.]+' "$tmp/load.txt" | sed -E 's/.*scale=//' || true)"
    loaded_seed="$(grep -oE '^BENCH .*seed=[0-9]+' "$tmp/load.txt" | sed -E 's/.*seed=//' || true)"
    scale="${loaded_scale:-$scale}"
    seed="${loaded_seed:-$seed}"
else
    log "loading the data set (scale $scale, seed $seed) into $loaded_shown"
    timeout --signal=INT --kill-after=30 14400 \
        "$bench_bin" load --database "$loaded_db" --scale "$scale" --seed "$seed" >"$tmp/load.txt"
fi
cat "$tmp/load.txt"
read -r project from to < <(awk '$1 == "BENCH" {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["project"], v["from"], v["to"] }' "$tmp/load.txt")
[[ -n "${project:-}" && -n "${from:-}" && -n "${to:-}" ]] || { echo "no BENCH line from the loader" >&2; exit 1; }
if [[ "$db_kind" == postgres ]]; then
    db_bytes="$(PGCONNECT_TIMEOUT=10 psql -X -q -w -At -d "$loaded_db" -c 'SELECT pg_database_size(current_database())')"
else
    db_bytes="$(( $(stat -c %s "${loaded_db#sqlite:}") + $(stat -c %s "${loaded_db#sqlite:}-wal" 2>/dev/null || echo 0) ))"
fi

# --- 2. server and metrics requests ---------------------------------------------------------------
port="$(free_port)"
base="http://127.0.0.1:$port"

log "starting $server_bin serve on 127.0.0.1:$port"
"$server_bin" serve --host 127.0.0.1 --port "$port" --database "$loaded_db" >"$tmp/server.log" 2>&1 &
server_pid=$!

ready=0
for _ in $(seq 1 150); do # at most ~30 s
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "server exited during start-up" >&2
        exit 1
    fi
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/ping" || true)" == 200 ]]; then
        ready=1
        break
    fi
    sleep 0.2
done
((ready == 1)) || { echo "server did not answer GET /ping with 200 within 30 s" >&2; exit 1; }
log "server is up (pid $server_pid)"

idle_rss_kb="$(rss_kb "$server_pid" VmRSS)"

metrics_url="$base/api/v1/projects/$project/metrics?from=$from&to=$to&series=month"
# get_metrics OUTFILE -> prints the seconds of the request; fails unless HTTP 200
get_metrics() {
    local out="$1" result code seconds
    result="$(curl -s -o "$out" -w '%{http_code} %{time_total}' --max-time 600 \
        -H "Authorization: Bearer $admin_token" "$metrics_url")" || { echo "curl failed: $metrics_url" >&2; exit 1; }
    read -r code seconds <<<"$result"
    if [[ "$code" != 200 ]]; then
        echo "GET $metrics_url answered HTTP $code: $(head -c 500 "$out")" >&2
        exit 1
    fi
    echo "$seconds"
}

log "cold request: GET $metrics_url"
cold_s="$(get_metrics "$tmp/metrics-cold.json")"
after_cold_rss_kb="$(rss_kb "$server_pid" VmRSS)"
log "cold: ${cold_s}s; now $runs warm requests"
: >"$tmp/warm.txt"
for _ in $(seq 1 "$runs"); do
    get_metrics "$tmp/metrics-warm.json" >>"$tmp/warm.txt"
done
peak_kb="$(rss_kb "$server_pid" VmHWM)"
final_rss_kb="$(rss_kb "$server_pid" VmRSS)"
metrics_note="$(python3 - "$tmp/metrics-cold.json" "$tmp/metrics-warm.json" <<'PY'
import json, sys
cold, warm = (json.load(open(p)) for p in sys.argv[1:3])
metrics = (cold.get("data") or {}).get("metrics") or {}
same = (cold.get("data") or {}).get("metrics") == (warm.get("data") or {}).get("metrics")
parts = []
for key, m in metrics.items():
    size = m.get("n") if m.get("n") is not None else "%s/%s" % (m.get("numerator"), m.get("denominator"))
    parts.append("%s=%s(%s)" % (key, m.get("status"), size))
print("%d metrics, series months %d, cold==warm %s: %s" % (
    len(metrics), max((len(m.get("series") or []) for m in metrics.values()), default=0), same, " ".join(parts)))
PY
)"
server_errors="$(grep -ciE 'error|critical|fatal' "$tmp/server.log" || true)"
stop_server

# --- 3. single-write latency -----------------------------------------------------------------------
log "write latency on the loaded database ($write_count writes per kind, at most ${write_max_seconds}s per kind)"
timeout --signal=INT --kill-after=30 "$((2 * write_max_seconds + 600))" \
    "$bench_bin" write-latency --database "$loaded_db" --count "$write_count" \
    --max-seconds "$write_max_seconds" --project "$project" --label loaded >"$tmp/writes.txt"
log "write latency on an empty database"
timeout --signal=INT --kill-after=30 "$((2 * write_max_seconds + 600))" \
    "$bench_bin" write-latency --database "$empty_db" --count "$write_count" \
    --max-seconds "$write_max_seconds" --project "$project" --label empty >>"$tmp/writes.txt"
cat "$tmp/writes.txt"

# --- summary ---------------------------------------------------------------------------------------
python3 - "$tmp/load.txt" "$tmp/warm.txt" "$tmp/writes.txt" "$cold_s" "${peak_kb:-0}" "${idle_rss_kb:-0}" \
    "${after_cold_rss_kb:-0}" "${final_rss_kb:-0}" "$db_bytes" "$metrics_note" "$server_errors" "$server_exit" \
    "$scale" "$seed" "$runs" "$project" "$from" "$to" "$db_kind" <<'PY'
import math, sys

(load_file, warm_file, writes_file, cold_s, peak_kb, idle_kb, cold_kb, final_kb, db_bytes, note, server_errors,
 server_exit, scale, seed, runs, project, frm, to, db_kind) = sys.argv[1:]

def fields(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)

def pct(values, p):  # nearest rank
    s = sorted(values)
    return s[min(max(math.ceil(p / 100 * len(s)), 1), len(s)) - 1]

loads = [fields(l) for l in open(load_file) if l.startswith("LOAD ")]
warm = [float(l) * 1000 for l in open(warm_file) if l.strip()]
writes = [fields(l) for l in open(writes_file) if l.startswith("RESULT ")]
mb = lambda kb: int(kb) / 1024.0

print()
print("================ SUMMARY (%s, scale %s, seed %s, 127.0.0.1) ================" % (db_kind, scale, seed))
print("load")
for r in loads:
    print("  %-20s %9s rows in %8ss = %7s rows/s  (%s writes)" % (r["kind"], r["rows"], r["seconds"], r["rows_per_s"], r["items"]))
print("  database %s      %.1f MB%s" % ("file" if db_kind == "sqlite" else "size", int(db_bytes) / 1e6,
    "" if db_kind == "sqlite" else " (pg_database_size)"))
print("metrics  GET /api/v1/projects/%s/metrics?from=%s&to=%s&series=month" % (project, frm, to))
print("  cold (1st request)  %.1f ms" % (float(cold_s) * 1000))
print("  warm (%d runs)      p50 %.1f ms   p99 %.1f ms   (min %.1f, max %.1f)" % (
    len(warm), pct(warm, 50), pct(warm, 99), min(warm), max(warm)))
print("  answer              %s" % note)
print("server RSS           peak (VmHWM) %.1f MB; idle after start %.1f MB, after the cold request %.1f MB, at the end %.1f MB" % (
    mb(peak_kb), mb(idle_kb), mb(cold_kb), mb(final_kb)))
print("  log lines matching error/critical/fatal: %s; exit status after SIGTERM: %s" % (server_errors, server_exit))
print("single writes (sequential, each awaited; p50 / p99 / max in ms, n samples)")
for kind in ("incident", "deployment"):
    row = []
    for db in ("loaded", "empty"):
        w = next((w for w in writes if w.get("write") == kind and w.get("db") == db), None)
        row.append("%s: p50 %s  p99 %s  max %s  (n=%s)" % (db, w["p50_ms"], w["p99_ms"], w["max_ms"], w["n"]) if w else "%s: -" % db)
    print("  %-11s %s   |   %s" % (kind, row[0], row[1]))
print("RESULT name=metrics scale=%s cold_ms=%.1f warm_p50_ms=%.1f warm_p99_ms=%.1f runs=%d peak_rss_mb=%.1f database=%s" % (
    scale, float(cold_s) * 1000, pct(warm, 50), pct(warm, 99), len(warm), mb(peak_kb), db_kind))
total = next((r for r in loads if r["kind"] == "total"), None)
if total:
    print("RESULT name=load scale=%s rows=%s seconds=%s rows_per_s=%s database=%s" % (
        scale, total["rows"], total["seconds"], total["rows_per_s"], db_kind))
for w in writes:
    print("RESULT name=write kind=%s db=%s n=%s p50_ms=%s p99_ms=%s max_ms=%s database=%s" % (
        w["write"], w["db"], w["n"], w["p50_ms"], w["p99_ms"], w["max_ms"], db_kind))
PY

if [[ "$server_exit" != 0 || "$server_errors" != 0 ]]; then
    echo
    echo "WARNING: server log errors or an unclean shutdown (see above)."
    grep -iE 'error|critical|fatal' "$tmp/server.log" | head -n 20 || true
fi
