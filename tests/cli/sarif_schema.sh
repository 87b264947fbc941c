#!/usr/bin/env bash
# Validates nodehint's SARIF output against the SARIF 2.1.0 JSON schema, which
# tests/tools/install.sh fetches from the npm registry at test time (never committed).
# Usage: sarif_schema.sh NODEHINT
set -euo pipefail
nodehint=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash "$root/tests/tools/install.sh"
node "$root/tests/tools/validate-sarif.mjs" --self-test

status=0
(cd "$here/project" && "$nodehint" lint -q --format sarif . > "$tmp/project.sarif") || status=$?
[ "$status" -le 1 ] || { echo "nodehint failed with $status"; exit 1; }
(cd "$root" && "$nodehint" lint -q --format sarif examples > "$tmp/examples.sarif") || status=$?
[ "$status" -le 1 ] || { echo "nodehint failed with $status"; exit 1; }
# A clean run (no results) and a run with unreadable input must be valid too.
(cd "$here/project" && "$nodehint" lint -q --format sarif --rule callback-hell=off \
   --rule sync-call-in-handler=off lib > "$tmp/clean.sarif") || true
(cd "$here/project" && "$nodehint" lint -q --format sarif no-such-file.js binary.js > "$tmp/errors.sarif") || true
node "$root/tests/tools/validate-sarif.mjs" "$tmp/project.sarif" "$tmp/examples.sarif" \
  "$tmp/clean.sarif" "$tmp/errors.sarif"
echo "4 passed, 0 failed"
