#!/usr/bin/env python3
"""Headless Neovim runs the nodehint plugin (editors/nvim) on a copy of the demo project.

usage: run_nvim_plugin.py NODEHINT SOURCE_ROOT

Copies examples/ into a fresh temporary folder (plus a .mjs file and a second project), puts
NODEHINT first on PATH as `nodehint` (the plugin's default cmd), points Neovim's
config/data/state/cache folders into the temporary folder and runs, for each of
test_plugin.lua and test_api_paths.lua (tests/editors/nvim),
  nvim --headless -n -i NONE -u SCRIPT DEMO/app.js
then prints what they checked. Exit status: 0 passed, 1 failed, 77 (meson's SKIP)
when nvim is missing or older than 0.7 (CI installs Debian's `neovim`).
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
SKIP = 77
WAIT_MS = int(os.environ.get("NODEHINT_WAIT_MS", "20000"))
TIMEOUT_S = 240
# Each runs in its own Neovim: the plugin as users run it, then the 0.10+/0.11+ code paths and
# the no-plugin snippets against recorded vim.lsp.start / vim.lsp.config / lspconfig.
SCRIPTS = ["test_plugin.lua", "test_api_paths.lua"]

EXTRA_MJS = """import { readFileSync } from 'node:fs';
import express from 'express';

const app = express();
app.get('/extra', (req, res) => {
  res.send(readFileSync('extra.txt', 'utf8'));
});
export default app;
"""


def questions(root):
    with open(os.path.join(root, "knowledge", "entries.json"), encoding="utf-8") as f:
        entries = {e["id"]: e["heading"] for e in json.load(f)}
    return entries["async-vs-sync"], entries["avoid-callback-hell"]


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    nodehint, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    nvim = shutil.which("nvim")
    if not nvim:
        print("SKIP: nvim not found on PATH; this test needs Neovim >= 0.7 "
              "(Debian: apt-get install neovim)")
        return SKIP
    version = nvim_version(nvim)
    if not version or version < (0, 7, 0):
        print("SKIP: %s is Neovim %s; the plugin needs >= 0.7" % (nvim, version))
        return SKIP
    print("nvim %s, nodehint %s" % (".".join(map(str, version)), nodehint))
    q_sync, q_hell = questions(root)

    with tempfile.TemporaryDirectory(prefix="nodehint-nvim-plugin-") as tmp:
        demo = os.path.join(tmp, "demo")
        shutil.copytree(os.path.join(root, "examples"), demo)
        with open(os.path.join(demo, "lib", "extra.mjs"), "w", encoding="utf-8") as f:
            f.write(EXTRA_MJS)
        other = os.path.join(tmp, "other")
        os.mkdir(other)
        with open(os.path.join(other, "package.json"), "w", encoding="utf-8") as f:
            f.write('{"name": "other", "version": "1.0.0"}\n')
        with open(os.path.join(other, "index.js"), "w", encoding="utf-8") as f:
            f.write("exports = { answer: 42 };\n")
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(nodehint, os.path.join(bindir, "nodehint"))
        env = dict(os.environ)
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = os.path.join(tmp, var.lower())
            os.mkdir(env[var])
        env.update({
            "HOME": tmp,
            "PATH": bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
            "NODEHINT_PLUGIN": os.path.join(root, "editors", "nvim"),
            "NODEHINT_DEMO": demo,
            "NODEHINT_OTHER": other,
            "NODEHINT_Q_SYNC": q_sync,
            "NODEHINT_Q_HELL": q_hell,
            "NODEHINT_WAIT_MS": str(WAIT_MS),
            "NODEHINT_CHECKS": os.path.join(HERE, "..", "..", "nvim_checks.lua"),
        })
        totals, failures = [0, 0], []
        for script in SCRIPTS:
            passed, failed = run_script(nvim, script, env, tmp, demo)
            totals[0] += passed
            totals[1] += failed
            if failed:
                failures.append(script)
    print("%d passed, %d failed" % tuple(totals))
    if failures:
        print("FAIL: %s" % ", ".join(failures))
        return 1
    return 0


def run_script(nvim, script, env, tmp, demo):
    """Runs one test script in a fresh Neovim; prints its report; returns (passed, failed)."""
    print("==== %s" % script)
    result = os.path.join(tmp, script + ".result")
    env = dict(env, NODEHINT_RESULT=result)
    log_dir = os.path.join(env["XDG_CACHE_HOME"], "nvim")
    lsp_log = os.path.join(log_dir, "lsp.log")
    if os.path.exists(lsp_log):
        os.remove(lsp_log)
    cmd = [nvim, "--headless", "-n", "-i", "NONE", "-u", os.path.join(HERE, script),
           os.path.join(demo, "app.js")]
    output, status, report = run_editor(cmd, env, demo, result, TIMEOUT_S)
    # The closing line is the runner's (the sum of all scripts); show the script's without it.
    done = re.search(r"^(\d+) passed, (\d+) failed$", report, re.M)
    print(re.sub(r"^(\d+) passed, (\d+) failed$", r"(\1 ok, \2 failed)", report, flags=re.M),
          end="")
    if output.strip():
        print("---- nvim output\n" + output.rstrip())
    if status != 0 and os.path.exists(lsp_log):
        with open(lsp_log, encoding="utf-8", errors="replace") as f:
            text = f.read().strip()
        if text:
            print("---- Neovim's lsp.log (the server's stderr is logged there)\n" + text[-4000:])
    if not done:
        print("FAIL: %s did not finish (nvim exit status %s)" % (script, status))
        return 0, 1
    passed, failed = int(done.group(1)), int(done.group(2))
    if status != 0 and failed == 0:
        print("FAIL: nvim exit status %s" % status)
        failed = 1
    return passed, failed


if __name__ == "__main__":
    sys.exit(main())
