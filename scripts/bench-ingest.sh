#!/usr/bin/env bash
# Usage: scripts/bench-ingest.sh [--duration SECONDS] [--connections N] [--threads N] [--warmup SECONDS]
#                                [--database postgres://USER:PASS@HOST:PORT/DB] [--instances N] [--history N]
#                                [--skip-build] [--binary PATH] [--help]
#
# Ingest benchmark for doralake (loopback only, 127.0.0.1):
#   (a) POST /bench/decode-only                                   parse + decode a deployment, store nothing
#   (b) POST /api/rest/plugins/webhook/connections/<id>/deployments  the real durable insert (group-commit writer)
# Builds a release binary in .build-release (the debug build in .build is left alone), starts
# `doralake serve --bench-decode-only-route` on a free port with a throw-away database, creates a
# connection, then runs wrk (warm-up, then the measured run) against each route.
# Every request carries a unique deployment id, so every request on (b) is a real insert.
#
# Database: by default a throw-away SQLite file in a temp dir. With --database postgres://…, the
# script connects to that server with psql (same credentials; the URL's database, or `postgres`
# if it names none, is used only to run CREATE DATABASE), creates a fresh database
# doralake_bench_<random>, points every doralake process at it, and drops it at exit (also on
# failure or Ctrl-C). The role needs CREATEDB; the password must be in the URL (doralake reads
# no ~/.pgpass). DORALAKE_KEY_SECRET and DORALAKE_ADMIN_TOKEN are random (64 characters) per run;
# DORALAKE_POSTGRES_POOL_SIZE, if set in the environment, is passed on to the servers.
#
# Several instances (--instances N > 1, PostgreSQL only): N servers are started together on the
# same database (they migrate it under the advisory lock), each on its own port. One wrk process
# drives all of them: its Lua setup() assigns wrk's threads round-robin to the instances'
# addresses (so --threads must be a multiple of N, and each instance gets connections/N
# connections), and wrk's own totals are the combined req/s and latency of all instances.
# Both routes, (a) and (b), are spread the same way.
#
# Prints wrk's latency distribution, one parsable line per run:
#   RESULT name=durable conns=50 rps=12345.6 p50_ms=1.23 p99_ms=4.56 requests=... non2xx=... socket_errors=...
#          ... database=sqlite instances=1
# and a final SUMMARY (database kind, instances, rps, p50/p99, ratio b/a, peak RSS of the
# doralake server processes; a PostgreSQL server's own memory is not included), with the
# derivation backlog's peak during (b) (GET /health every 0.25 s), the time from the end of (b)
# until the backlog is empty, and the latency of GET /api/v1/metrics (all scope, through the read
# barrier) sent once a second during (b):
#   RESULT name=derivation backlog_peak=... drain_s=...
#   RESULT name=metrics-during-load requests=... median_ms=... max_ms=... codes=200
# and the bytes the servers wrote per request during each run (/proc/PID/io wchar: SQLite's log):
#   RESULT name=durable-writes written_mb=... bytes_per_request=...
#
# Options (defaults in brackets):
#   --duration SECONDS     measured run per route [10]
#   --connections N        wrk connections, over all instances [50]
#   --threads N            wrk threads, a multiple of --instances [2]
#   --warmup SECONDS       warm-up run before each measured run [2]
#   --database URL         postgres://USER:PASS@HOST:PORT/DB[?sslmode=…] server to create the bench
#                          database on [a throw-away SQLite file]
#   --instances N          doralake servers sharing the database; more than 1 needs --database [1]
#   --history N            before the runs, post N resolved incidents and N merged pull requests
#                          (spread over 2023, before every benchmark deployment) to the connection,
#                          so each deployment write takes the full derived-data path (incident
#                          links, rework, pull request attribution) instead of the no-incident
#                          short cut [0]
#   --skip-build           use the existing .build-release binary
#   --binary PATH          run this doralake binary instead (no build): e.g. an older build, to
#                          measure before and after side by side in one session
#   --perf DIR             record a CPU profile of the (first) server during each measured run with
#                          `perf record -g` (DIR/perf-<run>.data; read with `perf report -i FILE`)
#   --help                 this text
# Environment: DORALAKE_STATEMENT_PROFILE=1 (SQLite) prints the writer's statements at the end, by
# total time (runs, µs per run, rows), for finding where a write's time goes.
# Needs: swift, curl, python3 (and psql with --database); installs wrk from Debian's packages if
# it is missing.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

duration=10
connections=50
threads=2
warmup=2
database=""
instances=1
history=0
skip_build=0
binary=""
perf_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
        --duration=*) duration="${1#*=}"; shift ;;
        --connections) connections="${2:?--connections needs a value}"; shift 2 ;;
        --connections=*) connections="${1#*=}"; shift ;;
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --threads=*) threads="${1#*=}"; shift ;;
        --warmup) warmup="${2:?--warmup needs a value}"; shift 2 ;;
        --warmup=*) warmup="${1#*=}"; shift ;;
        --database) database="${2:?--database needs a value}"; shift 2 ;;
        --database=*) database="${1#*=}"; shift ;;
        --instances) instances="${2:?--instances needs a value}"; shift 2 ;;
        --instances=*) instances="${1#*=}"; shift ;;
        --history) history="${2:?--history needs a value}"; shift 2 ;;
        --history=*) history="${1#*=}"; shift ;;
        --skip-build) skip_build=1; shift ;;
        --perf) perf_dir="${2:?--perf needs a directory}"; shift 2 ;;
        --binary) binary="${2:?--binary needs a path}"; skip_build=1; shift 2 ;;
        --binary=*) binary="${1#*=}"; skip_build=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for pair in "duration:$duration" "connections:$connections" "threads:$threads" "warmup:$warmup" "instances:$instances" "history:$history"; do
    if ! [[ "${pair#*:}" =~ ^[0-9]+$ ]]; then
        echo "--${pair%%:*} must be a non-negative integer, got '${pair#*:}'" >&2
        exit 2
    fi
done
if ((duration < 1 || connections < 1 || threads < 1)); then
    echo "--duration, --connections and --threads must be at least 1" >&2
    exit 2
fi
if ((threads > connections)); then
    echo "--threads ($threads) must not exceed --connections ($connections)" >&2
    exit 2
fi
db_kind=sqlite
if [[ -n "$database" ]]; then
    case "$database" in
        postgres://* | postgresql://*) db_kind=postgres ;;
        *) echo "--database must be a postgres:// URL, got '$database' (without it a throw-away SQLite file is used)" >&2; exit 2 ;;
    esac
fi
if ((instances < 1 || instances > 16)); then
    echo "--instances must be between 1 and 16, got $instances" >&2
    exit 2
fi
if ((instances > 1)) && [[ "$db_kind" != postgres ]]; then
    echo "--instances $instances needs --database postgres://… (several instances cannot share a SQLite file)" >&2
    exit 2
fi
if ((threads % instances != 0)); then
    echo "--threads ($threads) must be a multiple of --instances ($instances): wrk's threads are spread over the instances" >&2
    exit 2
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-common.sh"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# --- tools -----------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk from Debian's packages"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null
fi
tools=(wrk python3 curl)
if [[ "$db_kind" == postgres ]]; then tools+=(psql); fi
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required but not installed" >&2; exit 1; }
done

# --- build -----------------------------------------------------------------------------------------
scratch=".build-release"
if ((skip_build == 0)); then
    log "building release binary (swift build -c release --product doralake --scratch-path $scratch)"
    swift build -c release --product doralake --scratch-path "$scratch"
fi
if [[ -n "$binary" ]]; then
    bin="$binary"
else
    bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/doralake"
fi
[[ -x "$bin" ]] || { echo "no release binary at $bin (drop --skip-build?)" >&2; exit 1; }

# --- temp dir, cleanup -----------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/doralake-bench.XXXXXX")"
server_pids=()
sampler_pid=""
server_exits=()
pg_admin_url=""
pg_created=()

stop_servers() {
    if [[ -n "$sampler_pid" ]]; then
        kill "$sampler_pid" 2>/dev/null || true
        wait "$sampler_pid" 2>/dev/null || true
        sampler_pid=""
    fi
    ((${#server_pids[@]} > 0)) || return 0
    local pid alive
    for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
        alive=0
        for pid in "${server_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    server_exits=()
    for pid in "${server_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "server $pid did not stop within 10 s of SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        local rc=0
        wait "$pid" 2>/dev/null || rc=$?
        server_exits+=("$rc")
    done
    server_pids=()
}
cleanup() {
    local rc=$?
    stop_servers
    if ((rc != 0)); then
        local f
        for f in "$tmp"/server-*.log; do
            [[ -f "$f" ]] || continue
            echo "---- last lines of $(basename "$f") ----" >&2
            tail -n 30 "$f" >&2 || true
        done
    fi
    # BENCH_KEEP_LOGS=DIR keeps the servers' logs (e.g. with DORALAKE_LOG_LEVEL=debug).
    if [[ -n "${BENCH_KEEP_LOGS:-}" ]]; then mkdir -p "$BENCH_KEEP_LOGS" && cp "$tmp"/server-*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true; fi
    drop_databases
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- database --------------------------------------------------------------------------------------
if [[ "$db_kind" == postgres ]]; then
    use_postgres_server "$database"
    bench_db="doralake_bench_$(random_hex 6)"
    create_bench_database "$bench_db"
    database_url="$(url_with_database "$database" "$bench_db")"
    database_shown="$(mask_url "$database_url")"
else
    database_url="sqlite:$tmp/bench.sqlite"
    database_shown="$database_url"
fi

# --- start the servers -----------------------------------------------------------------------------
admin_token="$(random_hex 32)"
key_secret="$(random_hex 32)"
ports=()
bases=()
for i in $(seq 1 "$instances"); do
    port="$(free_port)"
    while [[ " ${ports[*]} " == *" $port "* ]]; do port="$(free_port)"; done
    ports+=("$port")
    bases+=("http://127.0.0.1:$port")
done
base="${bases[0]}"

# All instances start together (on PostgreSQL they migrate the new database under the advisory lock).
for i in $(seq 1 "$instances"); do
    log "starting $bin serve on 127.0.0.1:${ports[i - 1]} (instance $i of $instances, database $database_shown)"
    DORALAKE_ADMIN_TOKEN="$admin_token" DORALAKE_KEY_SECRET="$key_secret" \
        "$bin" serve --host 127.0.0.1 --port "${ports[i - 1]}" --bench-decode-only-route \
        --database "$database_url" >"$tmp/server-$i.log" 2>&1 &
    server_pids+=($!)
done

for i in $(seq 1 "$instances"); do
    ready=0
    for _ in $(seq 1 150); do # at most ~30 s
        if ! kill -0 "${server_pids[i - 1]}" 2>/dev/null; then
            echo "server $i exited during start-up" >&2
            exit 1
        fi
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${bases[i - 1]}/readyz" || true)" == 200 ]]; then
            ready=1
            break
        fi
        sleep 0.2
    done
    ((ready == 1)) || { echo "server $i did not answer GET /readyz with 200 within 30 s" >&2; exit 1; }
done
log "servers are up (pids ${server_pids[*]})"

# Sum of a /proc/PID/status field over all servers, in kB.
rss_sum_kb() {
    local pid kb total=0
    for pid in "${server_pids[@]}"; do
        kb="$(rss_kb "$pid" "$1")"
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}
idle_rss_kb="$(rss_sum_kb VmRSS)"

# Bytes the servers have written (write(2), pwrite(2): SQLite's log and file), summed.
written_bytes_sum() {
    local sum=0 value pid
    for pid in "${server_pids[@]}"; do
        value="$(awk '/^wchar:/ { print $2 }' "/proc/$pid/io" 2>/dev/null || echo 0)"
        sum=$((sum + ${value:-0}))
    done
    echo "$sum"
}

# RSS sampler: one line "phase kB" (sum over the servers) every 0.2 s while they run.
echo idle >"$tmp/phase"
(
    while kill -0 "${server_pids[0]}" 2>/dev/null; do
        kb="$(rss_sum_kb VmRSS)"
        [[ "$kb" != 0 ]] && echo "$(cat "$tmp/phase" 2>/dev/null || echo '?') $kb"
        sleep 0.2
    done
) >"$tmp/rss.log" 2>/dev/null &
sampler_pid=$!

# --- create a connection ---------------------------------------------------------------------------
conn_name="bench-$(random_hex 4)"
http_code="$(curl -s -o "$tmp/connection.json" -w '%{http_code}' --max-time 10 \
    -X POST "$base/api/rest/plugins/webhook/connections" \
    -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$conn_name\"}")"
if [[ "$http_code" != 200 ]]; then
    echo "creating the connection failed: HTTP $http_code: $(cat "$tmp/connection.json")" >&2
    exit 1
fi
read -r conn_id api_key < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["id"], c["apiKey"]["apiKey"])' "$tmp/connection.json")
if ! [[ "${conn_id:-}" =~ ^[0-9]+$ && -n "${api_key:-}" ]]; then
    echo "could not read id and apiKey.apiKey from: $(cat "$tmp/connection.json")" >&2
    exit 1
fi
log "connection $conn_name created (id $conn_id)"
ingest_path="/api/rest/plugins/webhook/connections/$conn_id/deployments"

# --- history: incidents and merged pull requests before the benchmark's deployments ------------------
if ((history > 0)); then
    log "posting $history incidents and $history merged pull requests (2023) to connection $conn_id"
    python3 - "$base" "$api_key" "$conn_id" "$history" <<'PY' || { echo "posting the history failed" >&2; exit 1; }
import json, sys, time, urllib.request
base, key, cid, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def iso(t): return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
def post(route, body):
    request = urllib.request.Request(
        f"{base}/api/rest/plugins/webhook/connections/{cid}/{route}", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as reply:
        if reply.status != 200: raise SystemExit(f"{route}: HTTP {reply.status}")
start, step = 1672531200, (365 * 86400) // n  # 2023-01-01, spread over the year
for i in range(n):
    t = start + i * step
    post("issues", {"issueKey": f"INC-{i}", "title": f"incident {i}", "type": "INCIDENT", "status": "DONE",
                    "createdDate": iso(t), "resolutionDate": iso(t + 7200)})
    repo = "https://github.com/acme/shop" if i % 2 == 0 else "https://github.com/acme/payments"
    post("pull_requests", {"id": f"pr-{i}", "pullRequestKey": i + 1, "title": f"change {i}", "status": "MERGED",
                           "url": f"{repo}/pull/{i + 1}", "repoUrl": repo, "createdDate": iso(t - 3600),
                           "mergedDate": iso(t), "mergeCommitSha": f"{i:040x}"})
PY
fi

# --- wrk script ------------------------------------------------------------------------------------
# Body: two deploymentCommits in two repos, RFC 3339 dates (both "Z" and "+00:00" forms), PRODUCTION.
# Id "bench-<run>-<thread>-<n>": unique per request across warm-up and measured runs.
# BENCH_PORTS (several instances): setup() gives thread k the address of instance ((k-1) mod N)+1.
cat >"$tmp/ingest.lua" <<'LUA'
local thread_counter = 0
local addrs = nil

function setup(thread)
    thread_counter = thread_counter + 1
    thread:set("tid", thread_counter)
    local ports = os.getenv("BENCH_PORTS") or ""
    if addrs == nil then
        addrs = {}
        for port in string.gmatch(ports, "%d+") do
            table.insert(addrs, wrk.lookup("127.0.0.1", port)[1])
        end
    end
    if #addrs > 1 then
        thread.addr = addrs[(thread_counter - 1) % #addrs + 1]
    end
end

function init(args)
    n = 0
    run = os.getenv("BENCH_RUN") or "run"
    path = os.getenv("BENCH_PATH")
    headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or ""),
    }
    -- deployments are posted as they finish: both threads walk forward from the same base, so the
    -- finish times of all requests are (nearly) in posting order, as from real CI pipelines
    base = 1704067200 -- 2024-01-01T00:00:00Z
    template = [[{"id":"bench-%s-%d-%d","name":"deploy shop %d","displayTitle":"release %d",]] ..
        [["createdDate":"%s","startedDate":"%s","finishedDate":"%s","environment":"PRODUCTION","result":"SUCCESS",]] ..
        [["deploymentCommits":[]] ..
        [[{"repoUrl":"https://github.com/acme/shop","refName":"refs/heads/main","commitSha":"%04x%08x7d3e9a1c5b2f8e4d6a0c3b9f5e1d",]] ..
        [["commitMsg":"feat: checkout flow","startedDate":"%s","finishedDate":"%s"},]] ..
        [[{"repoUrl":"https://github.com/acme/payments","refName":"refs/heads/main","commitSha":"%04x%08xc2a8f6e0d4b1a9c7e5f3d1b8a6c4",]] ..
        [["commitMsg":"fix: retry declined cards","startedDate":"%s","finishedDate":"%s"}]}]]
end

local function z(t) return os.date("!%Y-%m-%dT%H:%M:%SZ", t) end
local function off(t) return os.date("!%Y-%m-%dT%H:%M:%S+00:00", t) end

function request()
    n = n + 1
    local started = base + n * 120 + (tid or 0) * 60
    local body = string.format(template, run, tid or 0, n, n, n,
        z(started - 600), z(started), z(started + 300),
        tid or 0, n, off(started), off(started + 240),
        tid or 0, n, off(started + 10), off(started + 290))
    return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "RESULT name=%s conns=%s rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d socket_errors=%d" ..
        " connect=%d read=%d write=%d timeout=%d database=%s instances=%s\n",
        os.getenv("BENCH_NAME") or "run", os.getenv("BENCH_CONNS") or "?",
        summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
        e.connect, e.read, e.write, e.timeout,
        os.getenv("BENCH_DATABASE") or "?", os.getenv("BENCH_INSTANCES") or "1"))
end
LUA

# --- sanity check: one request per route must succeed before wrk runs ------------------------------
sample_body='{"id":"bench-sanity","createdDate":"2024-01-01T09:50:00Z","startedDate":"2024-01-01T10:00:00Z","finishedDate":"2024-01-01T10:05:00Z","environment":"PRODUCTION","result":"SUCCESS","deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"0000000000000000000000000000000000000001","startedDate":"2024-01-01T10:00:00+00:00","finishedDate":"2024-01-01T10:04:00+00:00"},{"repoUrl":"https://github.com/acme/payments","commitSha":"0000000000000000000000000000000000000002","startedDate":"2024-01-01T10:00:10+00:00","finishedDate":"2024-01-01T10:04:50+00:00"}]}'
# (on every instance: the key created through the first one must work on all of them)
for b in "${bases[@]}"; do
    for path in /bench/decode-only "$ingest_path"; do
        code="$(curl -s -o "$tmp/sanity.json" -w '%{http_code}' --max-time 10 -X POST "$b$path" \
            -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' -d "$sample_body")"
        if [[ "$code" != 200 ]]; then
            echo "sanity POST $b$path answered HTTP $code: $(cat "$tmp/sanity.json")" >&2
            exit 1
        fi
    done
done

# --- runs ------------------------------------------------------------------------------------------
# run_wrk NAME RUN_TAG PATH SECONDS OUTFILE
run_wrk() {
    local name="$1" tag="$2" path="$3" seconds="$4" out="$5"
    BENCH_NAME="$name" BENCH_RUN="$tag" BENCH_PATH="$path" BENCH_KEY="$api_key" BENCH_CONNS="$connections" \
        BENCH_PORTS="${ports[*]}" BENCH_DATABASE="$db_kind" BENCH_INSTANCES="$instances" \
        timeout --signal=INT --kill-after=5 "$((seconds + 15))" \
        wrk --latency -t "$threads" -c "$connections" -d "${seconds}s" --timeout 5s \
        -s "$tmp/ingest.lua" "$base$path" >"$out" 2>&1 || {
        echo "wrk failed for $name ($tag):" >&2
        cat "$out" >&2
        exit 1
    }
}

check_alive() {
    local pid
    for pid in "${server_pids[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "a server (pid $pid) died during $1" >&2
            exit 1
        fi
    done
}

bench() { # bench LABEL NAME PATH
    local label="$1" name="$2" path="$3"
    if ((warmup > 0)); then
        echo "warm-$name" >"$tmp/phase"
        log "($label) warm-up ${warmup}s: POST $path"
        run_wrk "$name-warmup" "w$name" "$path" "$warmup" "$tmp/$name-warmup.txt"
        grep '^RESULT' "$tmp/$name-warmup.txt" | sed 's/^/  warm-up: /' >&2 || true
        check_alive "the $name warm-up"
    fi
    echo "$name" >"$tmp/phase"
    log "($label) measured ${duration}s, $threads threads, $connections connections, $instances instance(s): POST $path"
    local perf_pid=""
    if [[ -n "$perf_dir" ]]; then
        mkdir -p "$perf_dir"
        perf record -F 499 -g -e cpu-clock -p "${server_pids[0]}" -o "$perf_dir/perf-$name.data" \
            -- sleep "$duration" >"$perf_dir/perf-$name.log" 2>&1 &
        perf_pid=$!
    fi
    local written_before written_after
    written_before="$(written_bytes_sum)"
    run_wrk "$name" "m$name" "$path" "$duration" "$tmp/$name.txt"
    written_after="$(written_bytes_sum)"
    [[ -n "$perf_pid" ]] && wait "$perf_pid" || true
    python3 - "$tmp/$name.txt" "$written_before" "$written_after" "$name" >>"$tmp/$name.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^RESULT .* requests=(\d+)", text, re.M)
before, after = int(sys.argv[2] or 0), int(sys.argv[3] or 0)
requests = int(m.group(1)) if m else 0
per = (after - before) / requests if requests else 0
print("RESULT name=%s-writes written_mb=%.1f bytes_per_request=%.0f" % (sys.argv[4], (after - before) / 1e6, per))
PY
    echo "idle" >"$tmp/phase"
    echo
    echo "===== ($label) $name: POST $path ====="
    cat "$tmp/$name.txt"
    check_alive "the $name run"
    grep -q '^RESULT' "$tmp/$name.txt" || { echo "no RESULT line from wrk for $name" >&2; exit 1; }
}

# --- derivation during and after the durable run --------------------------------------------------
# While (b) runs: /health's derivation backlog every 0.25 s, and a metrics request (all scope, the
# read barrier included) once a second, timed. After (b): the time until the backlog is empty.
health_pending() {
    curl -s --max-time 5 "$base/health" | python3 -c '
import json, sys
try:
    print((json.load(sys.stdin).get("derivation") or {}).get("pending", ""))
except Exception:
    print("")' 2>/dev/null || true
}
monitor_derivation() {
    : >"$tmp/pending.log"
    : >"$tmp/metrics-latency.log"
    local tick=0
    while [[ "$(cat "$tmp/phase" 2>/dev/null)" != durable ]]; do
        [[ -d "$tmp" ]] || return 0
        sleep 0.05
    done
    while [[ "$(cat "$tmp/phase" 2>/dev/null)" == durable ]]; do
        health_pending >>"$tmp/pending.log"
        if ((tick % 4 == 2)); then
            curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 \
                -H "Authorization: Bearer $admin_token" "$base/api/v1/metrics" >>"$tmp/metrics-latency.log" || true
        fi
        tick=$((tick + 1))
        sleep 0.25
    done
}
monitor_derivation &
monitor_pid=$!

bench a decode-only /bench/decode-only
bench b durable "$ingest_path"
drain_started="$(date +%s.%N)"
drain_seconds="timeout"
for _ in $(seq 1 1200); do
    pending="$(health_pending)"
    if [[ "$pending" == 0 ]]; then
        drain_seconds="$(python3 -c "import time; print('%.2f' % (time.time() - $drain_started))")"
        break
    fi
    sleep 0.05
done
wait "$monitor_pid" 2>/dev/null || true

# --- after run (b): the server must still answer reads ---------------------------------------------
after_code="$(curl -s -o "$tmp/after.json" -w '%{http_code}' --max-time 10 \
    -H "Authorization: Bearer $admin_token" "$base/api/v1/deployments?limit=1" || true)"
after_note="$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    items = (d.get("data") or {}).get("items") or []
    print("success=%s items=%d first=%s" % (d.get("success"), len(items), items[0].get("id") if items else "-"))
except Exception as e:
    print("unparsable answer: %s" % e)' "$tmp/after.json" 2>/dev/null || echo "no answer")"

peak_kb="$(rss_sum_kb VmHWM)"
peak_each=""
for pid in "${server_pids[@]}"; do
    kb="$(rss_kb "$pid" VmHWM)"
    peak_each+="${peak_each:+,}$(python3 -c "print('%.1f' % (int('${kb:-0}') / 1024.0))")"
done
server_errors="$(cat "$tmp"/server-*.log | grep -ciE 'error|critical|fatal' || true)"
stop_servers
server_exit="$(IFS=,; echo "${server_exits[*]}")"
# DORALAKE_STATEMENT_PROFILE=1 (SQLite): the writer's statement profile, logged as the server stops.
if [[ -n "${DORALAKE_STATEMENT_PROFILE:-}" ]]; then
    echo "===== statement profile of server 1 (decode-only, warm-ups and durable runs together)"
    grep -o 'statement profile.*\|[0-9]* ms  [0-9]* runs.*' "$tmp/server-1.log" || echo "(none logged)"
fi

# --- summary ---------------------------------------------------------------------------------------
python3 - "$tmp/decode-only.txt" "$tmp/durable.txt" "$tmp/rss.log" "${peak_kb:-0}" "${idle_rss_kb:-0}" \
    "$after_code" "$after_note" "$server_errors" "$server_exit" "$duration" "$threads" "$connections" "$warmup" \
    "$db_kind" "$instances" "$peak_each" "$tmp/pending.log" "$tmp/metrics-latency.log" "$drain_seconds" <<'PY'
import sys

def result(path):
    for line in open(path):
        if line.startswith("RESULT "):
            return dict(kv.split("=", 1) for kv in line.split()[1:])
    raise SystemExit("no RESULT line in " + path)

(a_file, b_file, rss_file, peak_kb, idle_kb, after_code, after_note, server_errors, server_exit,
 duration, threads, conns, warmup, db_kind, instances, peak_each, pending_file, metrics_file, drain_seconds) = sys.argv[1:]
a, b = result(a_file), result(b_file)
sampled = {}
for line in open(rss_file):
    parts = line.split()
    if len(parts) == 2 and parts[1].isdigit():
        sampled[parts[0]] = max(sampled.get(parts[0], 0), int(parts[1]))
mb = lambda kb: int(kb) / 1024.0

print()
print("================ SUMMARY (%s, %s instance%s, %ss measured, %ss warm-up, %s threads, %s connections, 127.0.0.1) ================"
      % (db_kind, instances, "" if instances == "1" else "s", duration, warmup, threads, conns))
for label, r in (("(a) decode-only", a), ("(b) durable    ", b)):
    print("%s  rps=%10s  p50_ms=%7s  p99_ms=%7s  requests=%s  non2xx=%s  socket_errors=%s (connect %s, read %s, write %s, timeout %s)"
          % (label, r["rps"], r["p50_ms"], r["p99_ms"], r["requests"], r["non2xx"], r["socket_errors"],
             r["connect"], r["read"], r["write"], r["timeout"]))
ra, rb = float(a["rps"]), float(b["rps"])
print("ratio b/a rps    %.3f   (p50 b/a %.2fx, p99 b/a %.2fx)" % (
    rb / ra if ra else float("nan"),
    float(b["p50_ms"]) / float(a["p50_ms"]) if float(a["p50_ms"]) else float("nan"),
    float(b["p99_ms"]) / float(a["p99_ms"]) if float(a["p99_ms"]) else float("nan")))
print("peak RSS (VmHWM) %.1f MB   (idle %.1f MB; sampled VmRSS max: decode-only %.1f MB, durable %.1f MB)%s" % (
    mb(peak_kb), mb(idle_kb), mb(sampled.get("decode-only", 0)), mb(sampled.get("durable", 0)),
    "" if instances == "1" else "   sums over %s doralake processes (each peak: %s MB)" % (instances, peak_each.replace(",", ", "))))
for label, path in (("decode-only", a_file), ("durable", b_file)):
    for line in open(path):
        if line.startswith("RESULT name=%s-writes " % label):
            w = dict(kv.split("=", 1) for kv in line.split()[1:])
            print("written by the server during %-11s %8s MB, %6s bytes per request (write/pwrite, /proc/PID/io wchar)"
                  % (label, w["written_mb"], w["bytes_per_request"]))
            print(line.strip())
pending = [int(x) for x in open(pending_file).read().split() if x.isdigit()]
print("derivation       backlog peak during (b) %s changes (%d samples); empty %s s after (b) ended"
      % (max(pending) if pending else "-", len(pending), drain_seconds))
latencies = []
for line in open(metrics_file):
    parts = line.split()
    if len(parts) == 2:
        latencies.append((parts[0], float(parts[1]) * 1000))
if latencies:
    ms = sorted(l for _, l in latencies)
    codes = sorted(set(c for c, _ in latencies))
    print("metrics during (b) GET /api/v1/metrics x%d: median %.1f ms, max %.1f ms (HTTP %s)"
          % (len(ms), ms[len(ms) // 2], ms[-1], ",".join(codes)))
    print("RESULT name=metrics-during-load requests=%d median_ms=%.1f max_ms=%.1f codes=%s"
          % (len(ms), ms[len(ms) // 2], ms[-1], ",".join(codes)))
print("RESULT name=derivation backlog_peak=%s drain_s=%s" % (max(pending) if pending else "-", drain_seconds))
print("after (b)        GET /api/v1/deployments?limit=1 -> HTTP %s (%s)" % (after_code, after_note))
print("server%s          log lines matching error/critical/fatal: %s; exit status after SIGTERM: %s"
      % ("s" if instances != "1" else " ", server_errors, server_exit))
for r in (a, b):
    print("RESULT " + " ".join("%s=%s" % kv for kv in r.items()))
PY

problems=0
for f in decode-only durable; do
    if grep -q '^RESULT' "$tmp/$f.txt" && ! grep '^RESULT' "$tmp/$f.txt" | grep -q 'non2xx=0 socket_errors=0'; then
        problems=1
    fi
done
if [[ "$after_code" != 200 || -n "$(tr -d '0,' <<<"$server_exit")" || "$server_errors" != 0 ]]; then problems=1; fi
if ((problems)); then
    echo
    echo "WARNING: non-2xx responses, socket errors, server log errors or an unclean shutdown (see above)."
    if [[ "$server_errors" != 0 ]]; then
        echo "---- server log lines matching error/critical/fatal (first 20) ----"
        grep -iE 'error|critical|fatal' "$tmp"/server-*.log | head -n 20 || true
    fi
fi
