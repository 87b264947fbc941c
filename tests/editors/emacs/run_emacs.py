#!/usr/bin/env python3
"""emacs --batch with eglot drives `nodehint --stdio` on a copy of the demo project.

usage: run_emacs.py NODEHINT SOURCE_ROOT

Copies examples/ into a fresh temporary folder (made a git repository, so project.el sees one
project), puts NODEHINT first on PATH as `nodehint`, sets HOME there, and runs
  emacs --batch -l tests/editors/emacs/test-eglot.el
which loads editors/emacs/nodehint-eglot.el (the snippet the README documents); then prints
what it checked. Exit status: 0 passed, 1 failed, 77 (meson's SKIP) when emacs or eglot is
missing (CI installs Debian's emacs-nox and elpa-eglot). Python 3 standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from headless import run_editor  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77
WAIT_S = int(os.environ.get("NODEHINT_WAIT_MS", "20000")) // 1000
TIMEOUT_S = 240


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    nodehint, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    emacs = shutil.which("emacs")
    if not emacs:
        print("SKIP: emacs not found on PATH (Debian: apt-get install emacs-nox elpa-eglot)")
        return SKIP
    probe = subprocess.run([emacs, "--batch", "--eval",
                            "(progn (require 'eglot) (princ emacs-version))"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    if probe.returncode != 0:
        print("SKIP: eglot cannot be loaded by %s (Debian: apt-get install elpa-eglot)\n%s"
              % (emacs, probe.stdout.decode("utf-8", "replace")[-500:]))
        return SKIP
    print("emacs %s, nodehint %s" % (probe.stdout.decode().strip().splitlines()[-1], nodehint))
    with open(os.path.join(root, "knowledge", "entries.json"), encoding="utf-8") as f:
        q_sync = {e["id"]: e["heading"] for e in json.load(f)}["async-vs-sync"]

    with tempfile.TemporaryDirectory(prefix="nodehint-emacs-") as tmp:
        demo = os.path.join(tmp, "demo")
        shutil.copytree(os.path.join(root, "examples"), demo)
        if shutil.which("git"):
            subprocess.run(["git", "init", "-q", demo], check=True, stdin=subprocess.DEVNULL)
        else:
            os.mkdir(os.path.join(demo, ".git"))
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(nodehint, os.path.join(bindir, "nodehint"))
        result = os.path.join(tmp, "result.txt")
        env = dict(os.environ)
        env.update({
            "HOME": tmp,
            "PATH": bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
            "NODEHINT_SNIPPET": os.path.join(root, "editors", "emacs", "nodehint-eglot.el"),
            "NODEHINT_DEMO": demo,
            "NODEHINT_Q_SYNC": q_sync,
            "NODEHINT_RESULT": result,
            "NODEHINT_WAIT": str(max(WAIT_S, 1)),
        })
        cmd = [emacs, "--batch", "-l", os.path.join(HERE, "test-eglot.el")]
        output, status, report = run_editor(cmd, env, demo, result, TIMEOUT_S)
        print(report, end="")
        if status != 0 and output.strip():
            print("---- emacs output\n" + output.rstrip()[-4000:])
    done = re.search(r"^(\d+) passed, (\d+) failed$", report, re.M)
    if status != 0 or not done or done.group(2) != "0":
        if not done:
            print("0 passed, 1 failed")
        print("FAIL: emacs exit status %s" % status)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
