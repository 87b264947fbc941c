"""Runs a real editor headless for the client tests (Neovim, Emacs): the scripts they run write
one line per check to a result file. Import with
    sys.path.insert(0, <the tests folder>); from headless import run_editor, nvim_version
"""
import os
import re
import subprocess


def nvim_version(nvim):
    """(major, minor, patch) of the Neovim at `nvim`, or None."""
    out = subprocess.run([nvim, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, timeout=30).stdout.decode("utf-8", "replace")
    m = re.search(r"NVIM v(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in m.groups()) if m else None


def run_editor(cmd, env, cwd, result, timeout):
    """Runs cmd; returns (output, status, report): the editor's own output, its exit status
    (or "timeout") and the text of the result file it wrote ("" if none)."""
    try:
        proc = subprocess.run(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        output, status = proc.stdout.decode("utf-8", "replace"), proc.returncode
    except subprocess.TimeoutExpired as e:
        output, status = (e.output or b"").decode("utf-8", "replace"), "timeout"
    report = ""
    if os.path.exists(result):
        with open(result, encoding="utf-8") as f:
            report = f.read()
    return output, status, report
