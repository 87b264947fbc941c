#!/usr/bin/env bash
# Fetch the benchmark corpus pinned in corpus.lock.
#
# usage: tests/bench/fetch-corpus.sh [CORPUS_DIR]     (default: tests/bench/corpus)
#        CORPUS_LOCK=FILE overrides the lock file (default: corpus.lock beside this script)
#
# For every "name@version sha512-..." line of corpus.lock:
#   - skip it if CORPUS_DIR/<name>/ exists and its stamp records the same line;
#   - otherwise `npm pack name@version` (only downloads the tarball: nothing is
#     installed and no package script runs), check the tarball's sha512 against
#     the lock (a mismatch is refused: nothing is unpacked, exit 1), and unpack
#     it into CORPUS_DIR/<name>/ (scoped names: "@scope/pkg" -> "@scope+pkg").
# Stamps live in CORPUS_DIR/.stamps/ (a hidden folder, which the linter skips).
# Needs: bash, npm, tar, and python3 or sha512sum+xxd+base64. No stdin.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="${CORPUS_LOCK:-$here/corpus.lock}"   # override for tests
dest="${1:-$here/corpus}"

die() { echo "fetch-corpus: error: $*" >&2; exit 1; }
log() { echo "fetch-corpus: $*" >&2; }

[ -f "$lock" ] || die "lock file not found: $lock"
command -v npm >/dev/null 2>&1 || die "npm is required"
command -v tar >/dev/null 2>&1 || die "tar is required"

# sha512 of a file as "sha512-<base64>", the npm integrity format.
sri_sha512() {
    if [ -z "${FETCH_CORPUS_NO_PYTHON:-}" ] && command -v python3 >/dev/null 2>&1; then
        python3 - "$1" <<'PY'
import base64, hashlib, sys
h = hashlib.sha512()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
print("sha512-" + base64.b64encode(h.digest()).decode())
PY
    else
        printf 'sha512-%s\n' "$(sha512sum "$1" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
    fi
}

mkdir -p "$dest/.stamps"
dest="$(cd "$dest" && pwd)"
tmp="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Keep npm quiet, non-interactive and away from any project config.
export npm_config_yes=false npm_config_fund=false npm_config_audit=false \
       npm_config_update_notifier=false npm_config_loglevel=warn

fetched=0 skipped=0 seen=" "
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line="${line%%#*}"                      # strip comments
    line="$(echo "$line" | tr -s ' \t' ' ' | sed 's/^ //; s/ $//')"
    [ -n "$line" ] || continue
    spec="${line%% *}"
    integrity="${line#* }"
    [ "$spec" != "$line" ] || die "corpus.lock:$lineno: expected 'name@version sha512-...', got: $line"
    case "$integrity" in
        sha512-*) ;;
        *) die "corpus.lock:$lineno: integrity must be sha512-<base64>, got: $integrity" ;;
    esac
    name="${spec%@*}"                       # split on the last '@' (scoped names start with '@')
    version="${spec##*@}"
    [ -n "$name" ] && [ -n "$version" ] && [ "$name" != "$spec" ] \
        || die "corpus.lock:$lineno: expected name@version, got: $spec"
    case "$name" in
        */*/* | *..* | .* ) die "corpus.lock:$lineno: bad package name: $name" ;;
    esac
    dir_name="${name/\//+}"
    case "$seen" in *" $dir_name "*) die "corpus.lock:$lineno: $name listed twice" ;; esac
    seen="$seen$dir_name "

    pkg_dir="$dest/$dir_name"
    stamp="$dest/.stamps/$dir_name"
    want="$name@$version $integrity"
    if [ -d "$pkg_dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        skipped=$((skipped + 1))
        continue
    fi

    log "fetching $name@$version"
    work="$tmp/$dir_name"
    rm -rf "$work"
    mkdir -p "$work/pack" "$work/unpack"
    # --ignore-scripts: belt and braces; packing a registry spec runs no scripts anyway.
    if ! (cd "$work" && npm pack "$name@$version" --ignore-scripts \
              --pack-destination "$work/pack" </dev/null >"$work/npm.log" 2>&1); then
        cat "$work/npm.log" >&2
        die "npm pack $name@$version failed"
    fi
    tarballs=("$work"/pack/*.tgz)
    [ "${#tarballs[@]}" -eq 1 ] && [ -f "${tarballs[0]}" ] \
        || die "npm pack $name@$version did not leave exactly one .tgz"
    tarball="${tarballs[0]}"

    got="$(sri_sha512 "$tarball")" || die "cannot compute the sha512 of $tarball"
    if [ "$got" != "$integrity" ]; then
        echo "fetch-corpus: error: INTEGRITY MISMATCH for $name@$version" >&2
        echo "  expected (corpus.lock): $integrity" >&2
        echo "  got      (tarball):     $got" >&2
        echo "  refusing to unpack it; if the lock is wrong, fix corpus.lock deliberately." >&2
        exit 1
    fi

    # Unpack as a plain user would: no owners or odd modes from the archive.
    tar -xzf "$tarball" -C "$work/unpack" --no-same-owner --no-same-permissions \
        || die "cannot unpack $tarball"
    chmod -R u+rwX,go+rX "$work/unpack"
    tops=("$work"/unpack/*)
    # npm tarballs hold one top folder, normally "package/".
    [ "${#tops[@]}" -eq 1 ] && [ -d "${tops[0]}" ] \
        || die "$name@$version: expected one top-level folder in the tarball"

    rm -f "$stamp"
    rm -rf "$pkg_dir"
    mkdir -p "$(dirname "$pkg_dir")"
    mv "${tops[0]}" "$pkg_dir"
    printf '%s\n' "$want" >"$stamp"
    fetched=$((fetched + 1))
done <"$lock"

# Folders left over from packages no longer in the lock are only reported.
for d in "$dest"/*/; do
    [ -d "$d" ] || continue
    b="$(basename "$d")"
    case "$seen" in *" $b "*) ;; *) log "warning: $dest/$b is not in corpus.lock (left alone)" ;; esac
done

log "corpus ready in $dest ($fetched fetched, $skipped already present)"
