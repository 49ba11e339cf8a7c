#!/usr/bin/env bash
# Usage: scripts/readme-smoke.sh
# Runs the README's "Try it with curl" block, as written, against a freshly started
# `doralake serve` (debug build, default port 8080, temp directory) and fails unless every
# answer is a success envelope. CI runs it so the README stays true.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="$root/.build/debug/doralake"
[ -x "$binary" ] || (cd "$root" && swift build --product doralake)
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
"$binary" serve > server.log 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:8080/ping > /dev/null 2>&1 && break
  sleep 0.1
done
python3 - "$root/README.md" > readme-block.sh <<'PY'
import re, sys
text = open(sys.argv[1]).read()
section = text.split("### Try it with curl", 1)[1]
print(re.search(r"```sh\n(.*?)```", section, re.S).group(1))
PY
# Each curl answer is one JSON document; put each on its own line.
bash -e readme-block.sh | sed 's/}{"code"/}\n{"code"/g' > answers.txt
echo >> answers.txt
count=$(grep -c '"success":true' answers.txt || true)
if grep -q '"success":false' answers.txt || [ "$count" -lt 7 ]; then
  echo "README smoke test failed; answers:"; cat answers.txt; echo "server log:"; cat server.log
  exit 1
fi
echo "README smoke test: $count success envelopes"
