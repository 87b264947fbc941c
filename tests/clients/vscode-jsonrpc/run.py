#!/usr/bin/env python3
"""Microsoft's vscode-jsonrpc (the JSON-RPC layer of VS Code's language client) drives
`nodehint --stdio` (see client.js for the sessions and checks).

usage: run.py NODEHINT DEPS_DIR

Installs the pinned vscode-jsonrpc into DEPS_DIR (a folder in the build tree: meson
passes BUILD/tests/clients-npm/vscode-jsonrpc) by copying package.json and
package-lock.json there and running `npm ci`; nothing is written into the source tree.
A second run reuses the install while the lockfile is unchanged. Then runs
`node client.js NODEHINT DEPS_DIR`.
Exit status: 0 passed, 1 failed, 77 (meson's SKIP) when node/npm are missing or
`npm ci` fails (offline, no cache). Python 3 standard library only.
"""

import filecmp
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77
INSTALL_TIMEOUT_S = 300
RUN_TIMEOUT_S = 300


def install(deps):
    """npm ci into deps unless an install from the same lockfile is there. Returns an error
    string, or None when ready."""
    os.makedirs(deps, exist_ok=True)
    stamp = os.path.join(deps, "node_modules", ".package-lock.json")
    lock = os.path.join(deps, "package-lock.json")
    inputs = ("package.json", "package-lock.json")
    if os.path.exists(stamp) and all(
            os.path.exists(os.path.join(deps, n)) and
            filecmp.cmp(os.path.join(HERE, n), os.path.join(deps, n), shallow=False)
            for n in inputs):
        return None
    for name in inputs:
        shutil.copyfile(os.path.join(HERE, name), os.path.join(deps, name))
    print("run.py: npm ci in %s" % deps, flush=True)
    try:
        proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                              cwd=deps, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "npm ci timed out after %d s" % INSTALL_TIMEOUT_S
    if proc.returncode != 0 or not os.path.exists(stamp):
        os.remove(lock)  # a later run retries
        return "npm ci failed (status %d):\n%s" % (
            proc.returncode, proc.stdout.decode("utf-8", "replace")[-3000:])
    return None


def main():
    if len(sys.argv) != 3:
        print("usage: run.py NODEHINT DEPS_DIR")
        return 2
    nodehint, deps = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            print("SKIP: %s not found on PATH; this test needs Node.js >= 18 and npm "
                  "(Debian: apt-get install nodejs npm)" % tool)
            return SKIP
    error = install(deps)
    if error:
        print("SKIP: could not install vscode-jsonrpc (offline?): " + error)
        return SKIP
    try:
        proc = subprocess.run(["node", os.path.join(HERE, "client.js"), nodehint, deps],
                              stdin=subprocess.DEVNULL, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print("0 passed, 1 failed\nFAIL: client.js timed out after %d s" % RUN_TIMEOUT_S)
        return 1
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
