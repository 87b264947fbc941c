#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server 4.100.3 = VS Code
# 1.100.3, offline, on 127.0.0.1) driven by Debian's Chromium through playwright-core:
#   1. packages editors/vscode as a .vsix exactly as a release does (npm ci, tsc, esbuild, vsce),
#      bundling the nodehint binary under test;
#   2. installs it into a fresh code-server profile and opens a copy of examples/;
#   3. checks the Problems panel, the hover, the Explain command, Restart and crash recovery,
#      nodehint.rules / hoverLanguage / enable changes and the message for a wrong nodehint.path
#      (e2e.mjs), keeping a screenshot of each step in WORK_DIR/screenshots.
# Before that it runs the unit tests of the binary discovery (binary.test.mjs).
# Usage: run_e2e.sh NODEHINT_BINARY SOURCE_ROOT WORK_DIR
# Exits 77 (meson: skipped) when a prerequisite is missing, saying which. Needs Node.js >= 20 and
# npm, Debian packages chromium and fonts-wqy-microhei (CJK text in screenshots), and, the first
# time (to install code-server into ~/.cache/nodehint-vscode), ripgrep, libkrb5-dev and a C++
# compiler. NODEHINT_SKIP_VSCODE=1 skips it; CHROMIUM=path overrides /usr/bin/chromium;
# NODEHINT_VSCODE_CACHE overrides the cache folder.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 NODEHINT_BINARY SOURCE_ROOT WORK_DIR" >&2
  exit 2
fi
nodehint=$(realpath "$1")
src=$(realpath "$2")
work=$3
mkdir -p "$work"
work=$(realpath "$work")

skip() {
  echo "SKIP: vscode e2e: $*" >&2
  exit 77
}
step_start=$(date +%s)
t0=$step_start
step() { # step NAME: prints how long the previous step took
  local now
  now=$(date +%s)
  echo "== $1 (+$((now - step_start)) s)"
  step_start=$now
}

[ -n "${NODEHINT_SKIP_VSCODE:-}" ] && skip "NODEHINT_SKIP_VSCODE is set"
command -v node >/dev/null 2>&1 || skip "node not found (install Debian's nodejs, Node.js >= 20)"
command -v npm >/dev/null 2>&1 || skip "npm not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || skip "Node.js $node_major is too old (code-server 4.100.3 needs 20)"
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || skip "no Chromium at $chromium (apt-get install chromium)"
if ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy'; then
  echo "note: fonts-wqy-microhei is not installed: Chinese text shows as boxes in the screenshots" >&2
fi

# npm: quiet, no audit/fund, and build native modules against the installed Node headers.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=warn
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr

npm_or_skip() { # npm_or_skip LOG ARGS...: runs npm; a registry that cannot be reached is a skip
  local log=$1
  shift
  if ! npm "$@" >"$log" 2>&1; then
    if grep -qE 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH' "$log"; then
      tail -5 "$log" >&2
      skip "the npm registry cannot be reached (npm $*)"
    fi
    tail -40 "$log" >&2
    echo "FAIL: npm $* (log: $log)" >&2
    exit 1
  fi
}

# --- code-server, installed once into a cache outside the source tree -----------------------
code_server_version=4.100.3
cache=${NODEHINT_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nodehint-vscode}
cs_dir=$cache/code-server-$code_server_version
code_server=$cs_dir/node_modules/.bin/code-server
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$cs_dir/.installed" ]; then
  step "installing code-server $code_server_version into $cs_dir (once)"
  command -v rg >/dev/null 2>&1 || skip "ripgrep not found (apt-get install ripgrep): code-server's @vscode/ripgrep would download it"
  command -v c++ >/dev/null 2>&1 || skip "no C++ compiler (apt-get install g++): code-server builds native modules"
  dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q "install ok installed" ||
    [ -f /usr/include/gssapi/gssapi.h ] || skip "libkrb5-dev is missing (apt-get install libkrb5-dev): code-server builds the kerberos module"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # @vscode/ripgrep 1.15.11 (pinned by code-server 4.100.3) downloads rg unless this cache exists.
  rg_tmp=$(mktemp -d)
  mkdir -p "$rg_tmp/vscode-ripgrep-cache-1.15.11"
  tar czf "$rg_tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
    -C "$(dirname "$(command -v rg)")" rg
  echo '{"name": "code-server-cache", "private": true}' >"$cs_dir/package.json"
  TMPDIR=$rg_tmp npm_config_unsafe_perm=true npm_config_yes=true \
    npm_or_skip "$cache/code-server-install.log" install --prefix "$cs_dir" --no-save \
    "code-server@$code_server_version"
  rm -rf "$rg_tmp"
  "$code_server" --version >/dev/null || { echo "FAIL: code-server does not start" >&2; exit 1; }
  touch "$cs_dir/.installed"
fi
flock -u 9

# --- package the extension as a release does, in a copy of editors/vscode ------------------
step "packaging editors/vscode (npm ci, tsc, esbuild, vsce)"
ext_src=$work/extension
# node_modules is reused while package-lock.json stays the same (its hash is kept inside it).
lock_sum=$(sha256sum "$src/editors/vscode/package-lock.json" | cut -d' ' -f1)
lock_stamp=$ext_src/node_modules/.nodehint-lock-sha256
if [ "$(cat "$lock_stamp" 2>/dev/null)" != "$lock_sum" ]; then
  rm -rf "$ext_src"
fi
mkdir -p "$ext_src"
find "$ext_src" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
tar -C "$src/editors/vscode" --exclude=./node_modules --exclude=./dist --exclude=./server \
  --exclude='*.vsix' -cf - . | tar -C "$ext_src" -xf -
if [ ! -f "$lock_stamp" ]; then
  (cd "$ext_src" && npm_or_skip "$work/npm-ci-extension.log" ci)
  echo "$lock_sum" >"$lock_stamp"
fi
vsix=$work/nodehint.vsix
rm -f "$vsix"
(cd "$ext_src" && npm run --silent package -- --server "$nodehint" --out "$vsix") >"$work/package.log" 2>&1 ||
  { cat "$work/package.log" >&2; echo "FAIL: npm run package" >&2; exit 1; }
grep -E 'package:|DONE' "$work/package.log" || true
# The lockfile must not name a registry host (the npm client here writes none; keep it so).
if grep -q '"resolved"' "$src/editors/vscode/package-lock.json" "$src/tests/vscode/package-lock.json"; then
  echo "FAIL: a package-lock.json records download addresses (\"resolved\"): regenerate it without them" >&2
  exit 1
fi

# --- unit tests of the binary discovery (no VS Code needed) -----------------------------------
step "unit tests: binary discovery"
"$ext_src/node_modules/.bin/esbuild" "$ext_src/src/binary.ts" --bundle --platform=node --format=cjs \
  --outfile="$work/binary.js" --log-level=warning
BINARY_JS=$work/binary.js node --test "$src/tests/vscode/binary.test.mjs" >"$work/binary-test.log" 2>&1 ||
  { cat "$work/binary-test.log" >&2; echo "FAIL: binary discovery unit tests" >&2; exit 1; }
grep -E '^# (pass|fail)' "$work/binary-test.log"

# --- the driver: playwright-core ---------------------------------------------------------------
step "installing the driver (playwright-core)"
driver=$work/driver
mkdir -p "$driver"
if ! cmp -s "$src/tests/vscode/package-lock.json" "$driver/package-lock.json" || [ ! -d "$driver/node_modules" ]; then
  cp "$src/tests/vscode/package.json" "$src/tests/vscode/package-lock.json" "$driver/"
  (cd "$driver" && npm_or_skip "$work/npm-ci-driver.log" ci)
fi
cp "$src/tests/vscode/e2e.mjs" "$driver/"

# --- a fresh profile and a copy of the demo project -------------------------------------------
step "running the end-to-end test in code-server"
rm -rf "$work/profile" "$work/workspace" "$work/screenshots"
mkdir -p "$work/profile" "$work/screenshots"
cp -r "$src/examples" "$work/workspace"
status=0
node "$driver/e2e.mjs" --code-server "$code_server" --vsix "$vsix" --nodehint "$nodehint" \
  --workspace "$work/workspace" --profile "$work/profile" --shots "$work/screenshots" \
  --chromium "$chromium" || status=$?
step "done"
echo "vscode e2e: $(( $(date +%s) - t0 )) s in all; screenshots in $work/screenshots"
exit $status
