#!/usr/bin/env bash
# Usage: scripts/schemathesis.sh [--max-examples N] [--time-limit SECONDS] [--binary PATH] [--seed N]
#                                [-- EXTRA SCHEMATHESIS ARGS...]
#
# Property-based API test: starts `doralake serve` (the debug build in .build, or --binary) on a
# free loopback port with a fresh SQLite file and a random admin token, seeds one connection
# (`shop-ci`, id 1), its key-owning data (a deployment, an incident, a pull request, commits) and
# a project (`shop`), then runs schemathesis against http://127.0.0.1:PORT/api/v1/openapi.json
# with the admin token, phases examples, coverage and fuzzing. It fails on any 5xx, any request
# slower than the request timeout (a hang), any response whose status, content type or body does
# not match the document, and on 405 answers without a correct Allow header.
# schemathesis is installed from PyPI into .build/schemathesis-venv on first use.
#
# Options (defaults in brackets):
#   --max-examples N       generated cases per operation and phase [5]
#   --time-limit SECONDS   overall bound of the schemathesis run; over it the script fails [420]
#   --binary PATH          doralake binary to serve [.build/debug/doralake, built if missing]
#   --seed N               schemathesis seed, to reproduce a run [random; printed by schemathesis]
#   -- ARGS                passed on to `schemathesis run` (e.g. --include-path-regex '^/api/v1')
# Needs: python3 (venv), curl. Reports (JUnit, a VCR cassette and a HAR file of every request)
# and the server log go to .build/schemathesis/; the server log's tail is printed when the run fails.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

root="$(cd "$(dirname "$0")/.." && pwd)"
max_examples=5
time_limit=420
binary="$root/.build/debug/doralake"
seed=""
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-examples) max_examples="${2:?--max-examples needs a value}"; shift 2 ;;
    --time-limit) time_limit="${2:?--time-limit needs a value}"; shift 2 ;;
    --binary) binary="${2:?--binary needs a value}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
    --help | -h) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

log() { printf '[schemathesis.sh] %s\n' "$*" >&2; }

venv="$root/.build/schemathesis-venv"
schemathesis_version="4.32.5"
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$schemathesis_version')" 2>/dev/null; then
  log "installing schemathesis $schemathesis_version into .build/schemathesis-venv"
  mkdir -p "$root/.build"
  timeout 120 python3 -m venv "$venv"
  timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

if [ ! -x "$binary" ]; then
  log "building doralake (debug)"
  (cd "$root" && timeout 2700 swift build --product doralake)
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
admin="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
base="http://127.0.0.1:$port"

# The token reaches the server through its environment only; it is never printed.
DORALAKE_ADMIN_TOKEN="$admin" "$binary" serve --database "sqlite:$work/doralake.sqlite" --host 127.0.0.1 --port "$port" \
  >"$work/server.log" 2>&1 </dev/null &
server=$!
for _ in $(seq 1 200); do
  curl -fs "$base/ping" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { log "doralake serve exited:"; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs "$base/ping" >/dev/null || { log "doralake serve did not answer /ping within 20 s"; cat "$work/server.log" >&2; exit 1; }

# Seed data the document's parameter examples name (connection 1 `shop-ci`, project `shop`, ...).
post() {
  local status
  status="$(curl -s -o "$work/answer.json" -w '%{http_code}' --max-time 10 "$base$1" -H "Authorization: Bearer $admin" -d "$2")"
  case "$status" in
    2??) ;;
    *) log "seeding POST $1 answered $status: $(head -c 400 "$work/answer.json")"; exit 1 ;;
  esac
}
hook=/api/rest/plugins/webhook
post "$hook/connections" '{"name":"shop-ci"}'
post "$hook/connections/1/deployments" '{"id":"required-id","startedDate":"2020-01-01T12:00:00Z","finishedDate":"2020-01-01T12:30:00Z",
  "deploymentCommits":[{"repoUrl":"https://github.com/acme/shop","commitSha":"c1","includedCommitShas":["c0"]}]}'
post "$hook/connections/1/issues" '{"issueKey":"DLK-1234","title":"checkout 500s","type":"INCIDENT","status":"TODO","createdDate":"2020-01-01T13:00:00Z"}'
post "$hook/connections/1/pull_requests" '{"id":"gh-42","pullRequestKey":42,"displayTitle":"x","status":"MERGED","url":"https://github.com/acme/shop/pull/42",
  "createdDate":"2019-12-31T12:00:00Z","mergedDate":"2020-01-01T09:00:00Z","mergeCommitSha":"c1"}'
post "$hook/connections/1/commits" '{"commits":[{"sha":"c1","repoUrl":"https://github.com/acme/shop","authoredDate":"2019-12-31T10:00:00Z","additions":10}]}'
post /api/v1/projects '{"name":"shop","connectionIds":[1]}'
log "server on $base seeded; running schemathesis $schemathesis_version (max $max_examples examples per operation, at most $time_limit s)"

report="$root/.build/schemathesis"
rm -rf "$report"
mkdir -p "$report"
common=(
  run "$base/api/v1/openapi.json"
  --header "Authorization: Bearer $admin"
  --phases examples,coverage,fuzzing
  --max-examples "$max_examples"
  # One worker: with several, hypothesis parses lambda sources from several threads at once, which
  # CPython before 3.11.8 can fail with "SystemError: AST constructor recursion depth mismatch".
  --workers 1
  --request-timeout 10
  --checks all
  # The decoders are lenient by design (spec §9.3–§9.6): a string field accepts a number, an
  # integer a numeric string, a list a single object, and unknown keys are warnings. Data that
  # violates the document's canonical schema is therefore often accepted, as specified.
  --exclude-checks negative_data_rejection
  # Schema-valid data can still be rejected by rules JSON Schema does not express (a finishedDate
  # before startedDate, a name with `/`, an id that names no stored row): a 4xx is correct there.
  --exclude-checks positive_data_acceptance
  # Needs several principals' credentials; the auth tests (AuthenticationTests.swift) cover scopes.
  --exclude-checks object_level_authorization
  --generation-database none
  --no-color
)
[ -n "$seed" ] && common+=(--seed "$seed")

# Two passes over one server, so that the seed data lives through most of the run: first every
# method that keeps connections and projects (GET, HEAD, POST, PUT), then the ones that rename or
# delete them (PATCH, DELETE).
passes=("keep:--exclude-method-regex=^(PATCH|DELETE)$" "change:--include-method-regex=^(PATCH|DELETE)$")
start=$(date +%s)
status=0
for pass in "${passes[@]}"; do
  name="${pass%%:*}"
  filter="${pass#*:}"
  left=$((time_limit - ($(date +%s) - start)))
  if [ "$left" -le 10 ]; then
    log "no time left for pass $name"; status=124; break
  fi
  log "pass $name ($filter)"
  set +e
  (cd "$work" && timeout --kill-after=15 "$left" "$venv/bin/schemathesis" "${common[@]}" "$filter" \
    --report junit,vcr,har --report-dir "$report/$name" "${extra[@]}" </dev/null)
  status=$?
  set -e
  [ "$status" -ne 0 ] && break
done
elapsed=$(($(date +%s) - start))
if ! kill -0 "$server" 2>/dev/null; then
  set +e
  wait "$server"
  server_status=$?
  set -e
  server=""
  log "doralake serve died during the run (exit status $server_status); the HAR report lists every request"
  status=1
fi
cp "$work/server.log" "$report/server.log"
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  log "schemathesis did not finish within $time_limit s"
fi
if [ "$status" -ne 0 ]; then
  log "schemathesis failed (status $status, ${elapsed} s); last lines of the server log:"
  tail -n 60 "$work/server.log" >&2
  exit 1
fi
log "schemathesis passed in ${elapsed} s"
