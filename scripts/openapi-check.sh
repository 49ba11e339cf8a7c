#!/usr/bin/env bash
# Usage: scripts/openapi-check.sh
# Checks the OpenAPI document: docs/openapi.json and its served copy
# (Sources/DoralakeServer/OpenAPI/OpenAPIDocument.swift) are what scripts/openapi-generate.py
# generates, and docs/openapi.json is a valid OpenAPI 3.1 document by openapi-spec-validator
# (installed from PyPI into .build/openapi-venv on first use). CI runs it after `swift test`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.build/openapi-venv"
validator_version="0.9.0"
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('openapi-spec-validator') != '$validator_version')" 2>/dev/null; then
  echo "installing openapi-spec-validator $validator_version into .build/openapi-venv"
  mkdir -p "$root/.build"
  timeout 120 python3 -m venv "$venv"
  timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$validator_version"
fi
timeout 60 python3 scripts/openapi-generate.py --check
timeout 120 "$venv/bin/openapi-spec-validator" docs/openapi.json
