#!/usr/bin/env bash
# Install the test-only Node.js tooling in tests/tools (SARIF schema + validator).
#
#   bash tests/tools/install.sh
#
# Runs `npm ci` from the committed package-lock.json, but only when
# tests/tools/node_modules is missing or older than package-lock.json / package.json,
# so it is cheap to call before every test run. Needs node and npm on PATH; reads no
# standard input. Exit status: 0 ready, non-zero with a message on stderr otherwise.
set -euo pipefail

src="${BASH_SOURCE[0]}"
case "$src" in */*) here="${src%/*}" ;; *) here=. ;; esac
here="$(cd "$here" && pwd)"
cd "$here"

err() { printf 'tests/tools/install.sh: %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
    err "npm not found on PATH; install Node.js and npm (Debian: apt-get install -y nodejs npm)"
    exit 127
fi
if ! command -v node >/dev/null 2>&1; then
    err "node not found on PATH; install Node.js (Debian: apt-get install -y nodejs)"
    exit 127
fi
if [[ ! -f package-lock.json ]]; then
    err "missing $here/package-lock.json"
    exit 1
fi

# npm writes node_modules/.package-lock.json as the last step of a successful install,
# so it serves as the "installed at" stamp.
stamp=node_modules/.package-lock.json
if [[ -f "$stamp" && ! package-lock.json -nt "$stamp" && ! package.json -nt "$stamp" ]]; then
    exit 0
fi

echo "tests/tools/install.sh: installing test tooling (npm ci) in $here" >&2
if ! npm ci --no-audit --no-fund </dev/null >&2; then
    err "npm ci failed in $here"
    exit 1
fi
if [[ ! -f "$stamp" ]]; then
    err "npm ci finished but $stamp is missing"
    exit 1
fi
# Make the stamp strictly newer than the inputs even on coarse-mtime filesystems.
touch "$stamp"
