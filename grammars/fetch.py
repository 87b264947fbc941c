#!/usr/bin/env python3
"""Fetch the JavaScript grammar from the npm registry and unpack its C sources.

Usage: fetch.py DEST_DIR [TARBALL]

Runs `npm pack tree-sitter-javascript@VERSION` (no install scripts run) into DEST_DIR, checks
the tarball's sha512 integrity against the pinned value below, and unpacks only src/ (parser.c,
scanner.c and the tree_sitter/ headers) plus LICENSE into DEST_DIR/tree-sitter-javascript/.
A tarball already in DEST_DIR (or given as TARBALL, for offline builds) is reused once it passes
the same check. Any problem is one line on stderr naming it, and exit status 1.
"""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile

PACKAGE = "tree-sitter-javascript"
VERSION = "0.23.1"  # ABI 14: the newest release that loads into Debian 12's libtree-sitter 0.20.7
INTEGRITY = ("sha512-/bnhbrTD9frUYHQTiYnPcxyHORIw157ERBa6dqzaKxvR/"
             "x3PC4Yzd+D1pZIMS6zNg2v3a8BZ0oK7jHqsQo9fWA==")
WANTED = ("package/LICENSE", "package/src/parser.c", "package/src/scanner.c",
          "package/src/tree_sitter/parser.h", "package/src/tree_sitter/alloc.h",
          "package/src/tree_sitter/array.h")


def fail(message):
    sys.stderr.write("grammars/fetch.py: %s\n" % message)
    sys.exit(1)


def integrity_of(path):
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def npm_pack(dest):
    npm = shutil.which("npm")
    if npm is None:
        fail("npm is not installed; it is needed once to fetch %s@%s "
             "(Debian: apt-get install npm), or pass a downloaded tarball with "
             "-Dgrammar_tarball=PATH" % (PACKAGE, VERSION))
    cmd = [npm, "pack", "%s@%s" % (PACKAGE, VERSION), "--pack-destination", dest,
           "--silent", "--ignore-scripts"]
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    except subprocess.CalledProcessError as e:
        fail("`%s` failed with exit status %d (is the npm registry reachable?)"
             % (" ".join(cmd[1:3]), e.returncode))


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: fetch.py DEST_DIR [TARBALL]")
    dest = os.path.abspath(sys.argv[1])
    os.makedirs(dest, exist_ok=True)
    tarball = os.path.join(dest, "%s-%s.tgz" % (PACKAGE, VERSION))
    given = sys.argv[2] if len(sys.argv) == 3 and sys.argv[2] else None
    if given:
        if not os.path.isfile(given):
            fail("grammar tarball %s does not exist" % given)
        shutil.copyfile(given, tarball)
    elif not os.path.isfile(tarball) or integrity_of(tarball) != INTEGRITY:
        npm_pack(dest)
    if not os.path.isfile(tarball):
        fail("npm pack did not produce %s" % tarball)
    actual = integrity_of(tarball)
    if actual != INTEGRITY:
        os.unlink(tarball)
        fail("integrity check failed for %s@%s: expected %s, got %s (tarball deleted)"
             % (PACKAGE, VERSION, INTEGRITY, actual))
    out = os.path.join(dest, PACKAGE)
    with tarfile.open(tarball, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers()}
        for name in WANTED:
            member = members.get(name)
            if member is None or not member.isfile():
                fail("%s is missing from the tarball" % name)
            target = os.path.join(out, name[len("package/"):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with tar.extractfile(member) as src, open(target + ".tmp", "wb") as dst:
                shutil.copyfileobj(src, dst)
            os.replace(target + ".tmp", target)
    print(out)


if __name__ == "__main__":
    main()
