#!/usr/bin/env python3
"""Headless Neovim drives one session of `nodehint --stdio` (see init.lua for the steps).

usage: run_nvim.py NODEHINT

Copies the fixture into a fresh temporary workspace (so no .nodehintrc.json of the
checkout applies), points Neovim's config/data/state/cache folders there too, runs
  nvim --headless -n -i NONE -u init.lua WORKSPACE/checkout.js
and prints what init.lua checked. Exit status: 0 passed, 1 failed, 77 (meson's SKIP)
when nvim is not installed or older than 0.7 (CI installs Debian's `neovim`).
Python 3 standard library only.
"""

import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from headless import run_editor, nvim_version  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(CLIENTS))
FIXTURES = os.path.join(CLIENTS, "fixtures")
SKIP = 77
# ASan+UBSan builds start and analyse more slowly; every wait is bounded anyway.
WAIT_MS = int(os.environ.get("NODEHINT_WAIT_MS", "20000"))
TIMEOUT_S = 180


def question_of(entry_id):
    with open(os.path.join(REPO, "knowledge", "entries.json"), encoding="utf-8") as f:
        for entry in json.load(f):
            if entry["id"] == entry_id:
                return entry["heading"]
    raise SystemExit("run_nvim.py: entry %s not in knowledge/entries.json" % entry_id)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2])
        return 2
    nodehint = os.path.abspath(sys.argv[1])
    nvim = shutil.which("nvim")
    if not nvim:
        print("SKIP: nvim not found on PATH; this test needs Neovim >= 0.7 "
              "(Debian: apt-get install neovim)")
        return SKIP
    version = nvim_version(nvim)
    if not version or version < (0, 7, 0):
        print("SKIP: %s is Neovim %s; this test needs >= 0.7 (vim.lsp.start_client, "
              "nvim_create_autocmd)" % (nvim, version))
        return SKIP
    print("nvim %s, nodehint %s" % (".".join(map(str, version)), nodehint))

    with open(os.path.join(FIXTURES, "checkout.expect.json"), encoding="utf-8") as f:
        expect = json.load(f)
    with tempfile.TemporaryDirectory(prefix="nodehint-nvim-") as tmp:
        root = os.path.join(tmp, "workspace")
        os.mkdir(root)
        target = os.path.join(root, expect["file"])
        shutil.copyfile(os.path.join(FIXTURES, expect["file"]), target)
        result = os.path.join(tmp, "result.txt")
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = os.path.join(tmp, var.lower())
            os.mkdir(env[var])
        env.update({
            "HOME": tmp,
            "NODEHINT_BIN": nodehint,
            "NODEHINT_EXPECT": os.path.join(FIXTURES, "checkout.expect.json"),
            "NODEHINT_QUESTION": question_of(expect["entry"]),
            "NODEHINT_RESULT": result,
            "NODEHINT_CHECKS": os.path.join(HERE, "..", "..", "nvim_checks.lua"),
            "NODEHINT_ROOT": root,
            "NODEHINT_WAIT_MS": str(WAIT_MS),
        })
        cmd = [nvim, "--headless", "-n", "-i", "NONE", "-u", os.path.join(HERE, "init.lua"),
               target]
        output, status, report = run_editor(cmd, env, root, result, TIMEOUT_S)
        print(report, end="")
        if output.strip():
            print("---- nvim output\n" + output.rstrip())
        lsp_log = os.path.join(env["XDG_CACHE_HOME"], "nvim", "lsp.log")
        if os.path.exists(lsp_log):
            with open(lsp_log, encoding="utf-8", errors="replace") as f:
                text = f.read().strip()
            if text:
                print("---- Neovim's lsp.log (the server's stderr is logged there)\n" + text[-4000:])
    done = re.search(r"^(\d+) passed, (\d+) failed$", report, re.M)
    if status != 0 or not done or done.group(2) != "0":
        if not done:
            print("0 passed, 1 failed")
        print("FAIL: nvim exit status %s" % status)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
