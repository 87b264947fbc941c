#!/usr/bin/env python3
"""grammars/fetch.py refuses what it must refuse, with a message that says why.

- a tarball whose sha512 differs from the pinned integrity: refused, and deleted;
- no cached tarball and no npm on PATH: a clear "npm is not installed" error;
- a path to a tarball that does not exist: refused.
It never needs the network: the good path is exercised by every build.
Prints "N passed, N failed".
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FETCH = os.path.join(ROOT, "grammars", "fetch.py")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import done, ok  # noqa: E402



def run(args, env=None):
    p = subprocess.run([sys.executable, FETCH] + args, capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout, p.stderr


with tempfile.TemporaryDirectory() as tmp:
    bogus = os.path.join(tmp, "bogus.tgz")
    with open(bogus, "wb") as f:
        f.write(b"not the grammar")
    dest = os.path.join(tmp, "dest")
    rc, out, err = run([dest, bogus])
    ok(rc == 1, "tampered tarball: exit 1", err)
    ok("integrity check failed" in err and "sha512-" in err, "tampered tarball: says why", err)
    ok(not os.path.exists(os.path.join(dest, "tree-sitter-javascript-0.23.1.tgz")),
       "tampered tarball: deleted")
    ok(not os.path.exists(os.path.join(dest, "tree-sitter-javascript", "src", "parser.c")),
       "tampered tarball: nothing unpacked")

    env = dict(os.environ, PATH=os.path.join(tmp, "empty-bin"))
    rc, out, err = run([os.path.join(tmp, "dest2")], env=env)
    ok(rc == 1 and "npm is not installed" in err, "no npm: clear error", err)

    rc, out, err = run([os.path.join(tmp, "dest3"), os.path.join(tmp, "missing.tgz")])
    ok(rc == 1 and "does not exist" in err, "missing tarball: refused", err)

sys.exit(done())
