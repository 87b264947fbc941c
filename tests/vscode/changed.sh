#!/usr/bin/env bash
# Did the last commit change the VS Code extension or its test? For CI scripts that run the
# vscode suite only then (it always fits the time budget, so .ci/test may simply always run it).
#   bash tests/vscode/changed.sh [BASE]   (BASE defaults to HEAD~1)
# Exit 0 = changed (or cannot tell: no git, no BASE, shallow clone), 1 = unchanged.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
base=${1:-HEAD~1}
command -v git >/dev/null 2>&1 || exit 0
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || exit 0
if git diff --quiet "$base" HEAD -- editors/vscode tests/vscode examples; then
  exit 1
fi
exit 0
