#!/usr/bin/env python3
"""nodehint benchmark: lint cost over parse cost, and 2-thread scaling, on a pinned corpus.

usage:
  python3 tests/bench/run.py [--nodehint build/nodehint] [--runs 5]
                             [--corpus tests/bench/corpus] [--json OUT]
  python3 tests/bench/run.py --findings [--json OUT]

Timing mode runs four configurations round-robin (--runs rounds, order rotated each
round) and reports medians:
  parse-only 1 thread, lint 1 thread, lint 2 threads, parse-only 2 threads
The goals (lint <= 1.3x parse-only on one thread; lint on 2 threads >= 1.7x faster
than on one) are printed as PASS/MISS; timing never makes the script fail.
Exit status: 0 ok, 1 a nodehint run errored (exit status other than 0 or 1),
2 setup error (no binary, corpus fetch failed).

--findings runs `nodehint lint --format json` once over the corpus, prints findings
per rule (and per 1,000 lines) and writes every finding to results/findings.txt.

Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RESULTS = os.path.join(HERE, "results")
FETCH = os.path.join(HERE, "fetch-corpus.sh")
DEFAULT_CORPUS = os.path.join(HERE, "corpus")

JS_EXTS = (".js", ".mjs", ".cjs", ".jsx")
SKIP_DIRS = ("node_modules", ".git")
MAX_FILE_SIZE = "100000000"  # nothing in the corpus is skipped for size

GOAL_LINT_OVER_PARSE = 1.30  # lint / parse-only, one thread: at most
GOAL_SPEEDUP_2T = 1.70  # lint 1 thread / lint 2 threads: at least

# (key, label, extra args). Base command:
#   nodehint lint <extra> --format json --max-file-size 100000000 DIR
CONFIGS = [
    ("parse1", "parse-only, 1 thread", ["--jobs", "1", "--parse-only"]),
    ("lint1", "lint, 1 thread", ["--jobs", "1"]),
    ("lint2", "lint, 2 threads", ["--jobs", "2"]),
    ("parse2", "parse-only, 2 threads", ["--jobs", "2", "--parse-only"]),
]

MIB = 1024.0 * 1024.0


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def resolve(path, must_exist=False):
    """A relative path is taken from the current directory, else from the repo root."""
    if os.path.isabs(path):
        return path
    if os.path.exists(path) or not must_exist:
        cand = os.path.abspath(path)
        if os.path.exists(cand):
            return cand
    alt = os.path.join(REPO, path)
    if os.path.exists(alt):
        return alt
    return os.path.abspath(path)


# ---------------------------------------------------------------- corpus


def ensure_corpus(corpus, no_fetch):
    """Fetch (idempotently) when the corpus is ours: missing, the default one, or stamped."""
    ours = (
        not os.path.exists(corpus)
        or os.path.realpath(corpus) == os.path.realpath(DEFAULT_CORPUS)
        or os.path.isdir(os.path.join(corpus, ".stamps"))
    )
    if no_fetch or not ours:
        if not os.path.isdir(corpus):
            log("error: corpus directory not found: %s" % corpus)
            sys.exit(2)
        return
    rc = subprocess.call(["bash", FETCH, corpus], stdin=subprocess.DEVNULL)
    if rc != 0:
        log("error: fetching the corpus failed (fetch-corpus.sh exit %d)" % rc)
        sys.exit(2)


def walk_corpus(corpus):
    """Files the linter sees: .js/.mjs/.cjs/.jsx, skipping node_modules, .git and hidden dirs.

    Returns a list of (relative path, bytes, lines).
    """
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
        )
        for name in sorted(filenames):
            if not name.endswith(JS_EXTS):
                continue
            path = os.path.join(dirpath, name)
            if not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
            out.append((os.path.relpath(path, corpus), len(data), lines))
    return out


# ---------------------------------------------------------------- running


class RunResult:
    def __init__(self, rc, seconds, maxrss_kib, stderr_tail, timed_out=False):
        self.rc = rc
        self.seconds = seconds
        self.maxrss_kib = maxrss_kib
        self.stderr_tail = stderr_tail
        self.timed_out = timed_out

    @property
    def ok(self):
        return not self.timed_out and self.rc in (0, 1)


def run_once(cmd, stdout_path=None, timeout=None):
    """Run cmd; wall seconds via perf_counter, peak RSS of the child via wait4."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    timed_out = []
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        timer = None
        if timeout:
            def kill():
                timed_out.append(True)
                proc.kill()
            timer = threading.Timer(timeout, kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        t1 = time.perf_counter()
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: stop Popen waiting
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    finally:
        err.close()
        if stdout_path:
            out.close()
    return RunResult(proc.returncode, t1 - t0, usage.ru_maxrss, tail, bool(timed_out))


def describe_failure(cmd, res):
    why = "timed out" if res.timed_out else (
        "killed by signal %d" % -res.rc if res.rc < 0 else "exit status %d" % res.rc)
    msg = "error: %s: %s" % (" ".join(cmd), why)
    if res.stderr_tail.strip():
        msg += "\n  stderr: " + res.stderr_tail.strip().replace("\n", "\n  stderr: ")
    return msg


def lint_cmd(nodehint, extra, corpus):
    return [nodehint, "lint", *extra, "--format", "json", "--max-file-size", MAX_FILE_SIZE, corpus]


def load_json(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8", "replace"))
    except (OSError, ValueError) as e:
        log("warning: nodehint's JSON output could not be read: %s" % e)
        return None


_versions = {}


def tool_version(nodehint):
    if nodehint not in _versions:
        _versions[nodehint] = _tool_version(nodehint)
    return _versions[nodehint]


def _tool_version(nodehint):
    try:
        p = subprocess.run([nodehint, "--version"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=20)
        v = (p.stdout or p.stderr).decode("utf-8", "replace").strip().splitlines()
        return v[0] if p.returncode == 0 and v else None
    except (OSError, subprocess.SubprocessError):
        return None


def git_rev():
    try:
        p = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                           capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
        return p.stdout.decode().strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def counts_from_summary(data, walked):
    """(files, bytes, skipped, source): as nodehint reports them, else from our walk."""
    files = sum(1 for _ in walked)
    nbytes = sum(b for _, b, _ in walked)
    summary = data.get("summary") if isinstance(data, dict) else None
    if isinstance(summary, dict) and isinstance(summary.get("files"), int):
        rf, rb = summary["files"], summary.get("bytes")
        if rf != files or (isinstance(rb, int) and rb != nbytes):
            log("note: nodehint reports %d files / %s bytes; the walk here finds %d / %d"
                % (rf, rb, files, nbytes))
        return (rf, rb if isinstance(rb, int) else nbytes,
                summary.get("skipped"), "nodehint summary")
    log("note: no \"summary\" in nodehint's JSON; counting files with the same walk rules")
    return files, nbytes, None, "walk"


# ---------------------------------------------------------------- timing mode


def fmt_ratio(x):
    return "n/a" if x is None else "%.2f" % x


def timing(args, nodehint, corpus, walked):
    errors = []
    # Probe + warm-up: fills the page cache and gets the counts nodehint reports.
    fd, probe_out = tempfile.mkstemp(prefix="nodehint-bench-", suffix=".json")
    os.close(fd)
    data = None
    try:
        for key in ("parse1", "lint1"):
            extra = dict((k, e) for k, _, e in CONFIGS)[key]
            cmd = lint_cmd(nodehint, extra, corpus)
            log("warm-up: %s" % " ".join(cmd))
            res = run_once(cmd, stdout_path=probe_out, timeout=args.timeout)
            if not res.ok:
                errors.append(describe_failure(cmd, res))
                log(errors[-1])
                continue
            if data is None:
                data = load_json(probe_out)
    finally:
        os.unlink(probe_out)
    files, nbytes, skipped, source = counts_from_summary(data or {}, walked)
    lines = sum(l for _, _, l in walked)

    times = {k: [] for k, _, _ in CONFIGS}
    rss = {k: [] for k, _, _ in CONFIGS}
    failed = set()
    for r in range(args.runs):
        order = CONFIGS[r % len(CONFIGS):] + CONFIGS[:r % len(CONFIGS)]
        for key, label, extra in order:
            if key in failed:
                continue
            cmd = lint_cmd(nodehint, extra, corpus)
            res = run_once(cmd, timeout=args.timeout)
            if not res.ok:
                failed.add(key)
                errors.append(describe_failure(cmd, res))
                log(errors[-1])
                continue
            times[key].append(res.seconds)
            rss[key].append(res.maxrss_kib)
            log("round %d/%d  %-22s %7.3f s  %7.1f MiB RSS"
                % (r + 1, args.runs, label, res.seconds, res.maxrss_kib / 1024.0))

    med = {k: (statistics.median(v) if v and k not in failed else None) for k, v in times.items()}

    def ratio(a, b):
        return a / b if a is not None and b else None

    lint_over_parse_1 = ratio(med["lint1"], med["parse1"])
    lint_over_parse_2 = ratio(med["lint2"], med["parse2"])
    speedup_lint = ratio(med["lint1"], med["lint2"])
    speedup_parse = ratio(med["parse1"], med["parse2"])

    def verdict(x, ok):
        return "n/a" if x is None else ("PASS" if ok(x) else "MISS")

    mib = nbytes / MIB
    head = ["nodehint benchmark  %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "binary:  %s%s" % (os.path.relpath(nodehint, REPO) if nodehint.startswith(REPO) else nodehint,
                               "  (%s)" % tool_version(nodehint) if tool_version(nodehint) else ""),
            "commit:  %s" % (git_rev() or "?"),
            "machine: %s, %d CPUs, Python %s" % (platform.machine(), os.cpu_count() or 0,
                                                platform.python_version()),
            "corpus:  %s  %d files, %.1f MiB, %d lines (files/bytes from %s%s)"
            % (os.path.relpath(corpus, REPO) if corpus.startswith(REPO) else corpus,
               files, mib, lines, source,
               ", %s skipped" % skipped if skipped is not None else ""),
            "runs:    %d rounds, round-robin, medians" % args.runs,
            ""]
    cols = ("config", "files", "MiB", "median s", "min s", "max s", "MiB/s", "peak RSS MiB")
    rows = []
    for key, label, _ in CONFIGS:
        m = med[key]
        if m is None:
            rows.append((label, str(files), "%.1f" % mib, "ERROR", "", "", "", ""))
            continue
        rows.append((label, str(files), "%.1f" % mib, "%.3f" % m, "%.3f" % min(times[key]),
                     "%.3f" % max(times[key]), "%.1f" % (mib / m if m else 0),
                     "%.1f" % (max(rss[key]) / 1024.0)))
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    table = ["  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                       for i, c in enumerate(row)).rstrip() for row in [cols] + rows]
    table.insert(1, "  ".join("-" * w for w in widths))
    ratios = [
        "",
        "lint / parse-only, 1 thread:   %s   goal <= %.2f   %s"
        % (fmt_ratio(lint_over_parse_1), GOAL_LINT_OVER_PARSE,
           verdict(lint_over_parse_1, lambda x: x <= GOAL_LINT_OVER_PARSE)),
        "lint / parse-only, 2 threads:  %s   (info)" % fmt_ratio(lint_over_parse_2),
        "lint speed-up, 2 threads vs 1: %s   goal >= %.2f   %s"
        % (fmt_ratio(speedup_lint), GOAL_SPEEDUP_2T,
           verdict(speedup_lint, lambda x: x >= GOAL_SPEEDUP_2T)),
        "parse-only speed-up, 2 vs 1:   %s   (info)" % fmt_ratio(speedup_parse),
    ]
    if (os.cpu_count() or 0) < 2:
        ratios.append("note: fewer than 2 CPUs here: the 2-thread figures mean little")
    if errors:
        ratios.append("")
        ratios.append("ERRORS (%d):" % len(errors))
        ratios.extend(errors)
    text = "\n".join(head + table + ratios) + "\n"
    print(text, end="")
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "latest.txt"), "w") as f:
        f.write(text)

    if args.json:
        doc = {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "nodehint": nodehint,
            "version": tool_version(nodehint),
            "commit": git_rev(),
            "cpus": os.cpu_count(),
            "runs": args.runs,
            "corpus": {"path": corpus, "files": files, "bytes": nbytes, "lines": lines,
                       "skipped": skipped, "counts_from": source},
            "configs": [
                {"key": key, "name": label,
                 "command": lint_cmd(nodehint, extra, corpus),
                 "times_s": times[key], "median_s": med[key],
                 "mib_per_s": (mib / med[key]) if med[key] else None,
                 "peak_rss_kib": max(rss[key]) if rss[key] else None,
                 "error": key in failed}
                for key, label, extra in CONFIGS],
            "ratios": {"lint_over_parse_1t": lint_over_parse_1,
                       "lint_over_parse_2t": lint_over_parse_2,
                       "lint_speedup_2t": speedup_lint,
                       "parse_speedup_2t": speedup_parse},
            "goals": {"lint_over_parse_1t_max": GOAL_LINT_OVER_PARSE,
                      "lint_over_parse_1t": verdict(lint_over_parse_1,
                                                    lambda x: x <= GOAL_LINT_OVER_PARSE),
                      "lint_speedup_2t_min": GOAL_SPEEDUP_2T,
                      "lint_speedup_2t": verdict(speedup_lint, lambda x: x >= GOAL_SPEEDUP_2T)},
            "errors": errors,
        }
        write_json(args.json, doc)
    return 1 if errors else 0


# ---------------------------------------------------------------- findings mode


def _first(d, *keys):
    for k in keys:
        if isinstance(d, dict) and d.get(k) is not None:
            return d[k]
    return None


def iter_findings(data):
    """Yield (path, line, col, rule, severity, message) from nodehint's JSON.

    Expected: {"files": [{"path": ..., "diagnostics": [{"rule", "severity", "message",
    "line", "column", ...}]}]}; a few likely variants are accepted too.
    """
    files = data.get("files") if isinstance(data, dict) else data
    flat = data.get("diagnostics") if isinstance(data, dict) else None
    groups = []
    if isinstance(files, list):
        for f in files:
            if isinstance(f, dict):
                groups.append((_first(f, "path", "file", "filePath"),
                               _first(f, "diagnostics", "messages", "findings") or []))
    if isinstance(flat, list):
        groups.append((None, flat))
    for path, diags in groups:
        for d in diags:
            if not isinstance(d, dict):
                continue
            start = _first(d, "start", "loc", "location") or {}
            line = _first(d, "line") or _first(start, "line") or 0
            col = _first(d, "column", "col") or _first(start, "column", "col") or 0
            yield (_first(d, "path", "file") or path or "?", line, col,
                   str(_first(d, "rule", "ruleId", "rule_id", "id") or "?"),
                   str(_first(d, "severity", "level") or ""),
                   str(_first(d, "message", "msg") or "").replace("\n", " "))


def findings(args, nodehint, corpus, walked):
    cmd = [nodehint, "lint", "--format", "json", "--max-file-size", MAX_FILE_SIZE, corpus]
    fd, out = tempfile.mkstemp(prefix="nodehint-findings-", suffix=".json")
    os.close(fd)
    try:
        log("running: %s" % " ".join(cmd))
        res = run_once(cmd, stdout_path=out, timeout=args.timeout)
        if not res.ok:
            log(describe_failure(cmd, res))
            return 1
        data = load_json(out)
    finally:
        os.unlink(out)
    if data is None:
        return 1
    lines_by_file = {p: l for p, _, l in walked}
    total_lines = sum(lines_by_file.values())
    files, nbytes, skipped, source = counts_from_summary(data, walked)

    def rel(p):
        ap = p if os.path.isabs(p) else os.path.abspath(p)
        if ap.startswith(corpus + os.sep):
            return os.path.relpath(ap, corpus)
        return p

    items = sorted((rel(p), line, col, rule, sev, msg)
                   for p, line, col, rule, sev, msg in iter_findings(data))
    per_rule, per_rule_files, per_rule_sev, per_pkg = {}, {}, {}, {}
    for p, _, _, rule, sev, _ in items:
        per_rule[rule] = per_rule.get(rule, 0) + 1
        per_rule_files.setdefault(rule, set()).add(p)
        per_rule_sev.setdefault(rule, set()).add(sev)
        pkg = p.split(os.sep, 1)[0]
        per_pkg.setdefault(pkg, {}).setdefault(rule, 0)
        per_pkg[pkg][rule] += 1

    kloc = total_lines / 1000.0
    rules = sorted(per_rule, key=lambda r: (-per_rule[r], r))
    out_lines = ["nodehint findings over %s: %d files, %.1f MiB, %d lines (counts from %s%s)"
                 % (os.path.relpath(corpus, REPO) if corpus.startswith(REPO) else corpus,
                    files, nbytes / MIB, total_lines, source,
                    ", %s skipped" % skipped if skipped is not None else ""),
                 "%d findings, exit status %d" % (len(items), res.rc), ""]
    w = max([len("rule")] + [len(r) for r in rules])
    out_lines.append("%s  %8s  %9s  %6s  %s" % ("rule".ljust(w), "findings", "per 1k ln",
                                                "files", "severity"))
    out_lines.append("%s  %8s  %9s  %6s  %s" % ("-" * w, "-" * 8, "-" * 9, "-" * 6, "-" * 8))
    for r in rules:
        out_lines.append("%s  %8d  %9.3f  %6d  %s" % (
            r.ljust(w), per_rule[r], per_rule[r] / kloc if kloc else 0.0,
            len(per_rule_files[r]), ",".join(sorted(s for s in per_rule_sev[r] if s))))
    out_lines.append("%s  %8d  %9.3f" % ("total".ljust(w), len(items),
                                          len(items) / kloc if kloc else 0.0))
    summary = data.get("summary") if isinstance(data, dict) else None
    if isinstance(summary, dict):
        out_lines.append("")
        out_lines.append("nodehint summary: " + json.dumps(summary, sort_keys=True))
    report = "\n".join(out_lines) + "\n"
    print(report, end="")

    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, "findings.txt")
    with open(path, "w") as f:
        f.write("".join("# " + l + "\n" if l else "#\n" for l in report.splitlines()))
        f.write("#\n# findings per package:\n")
        for pkg in sorted(per_pkg):
            f.write("#   %-14s %s\n" % (pkg, ", ".join(
                "%s=%d" % (r, n) for r, n in sorted(per_pkg[pkg].items(), key=lambda x: -x[1]))))
        f.write("#\n# every finding, grouped by rule (paths relative to the corpus):\n")
        for r in rules:
            f.write("\n# == %s (%d) ==\n" % (r, per_rule[r]))
            for p, line, col, rule, sev, msg in items:
                if rule == r:
                    f.write("%s:%s:%s %s %s\n" % (p, line, col, rule, msg))
    log("wrote %s" % os.path.relpath(path))

    if args.json:
        write_json(args.json, {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "nodehint": nodehint, "version": tool_version(nodehint), "commit": git_rev(),
            "corpus": {"path": corpus, "files": files, "bytes": nbytes,
                       "lines": total_lines, "skipped": skipped},
            "exit_status": res.rc,
            "findings": len(items),
            "rules": {r: {"findings": per_rule[r],
                          "per_1k_lines": per_rule[r] / kloc if kloc else 0.0,
                          "files": len(per_rule_files[r])} for r in rules},
            "per_package": per_pkg,
        })
    return 0


def write_json(path, doc):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")
    log("wrote %s" % path)


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodehint", default="build/nodehint",
                    help="nodehint binary (default build/nodehint, from the cwd or repo root)")
    ap.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS,
                    help="corpus directory (default tests/bench/corpus; fetched if missing)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    ap.add_argument("--findings", action="store_true",
                    help="count findings per rule instead of timing")
    ap.add_argument("--no-fetch", action="store_true",
                    help="never call fetch-corpus.sh")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="seconds before one nodehint run is killed (default 900)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    nodehint = resolve(args.nodehint, must_exist=True)
    if not (os.path.isfile(nodehint) and os.access(nodehint, os.X_OK)):
        log("error: nodehint binary not found or not executable: %s (build it first: "
            "meson setup build && meson compile -C build)" % nodehint)
        return 2
    corpus = resolve(args.corpus).rstrip(os.sep)
    ensure_corpus(corpus, args.no_fetch)
    corpus = os.path.realpath(corpus)
    walked = walk_corpus(corpus)
    if not walked:
        log("error: no .js/.mjs/.cjs/.jsx files under %s" % corpus)
        return 2
    if args.findings:
        return findings(args, nodehint, corpus, walked)
    return timing(args, nodehint, corpus, walked)


if __name__ == "__main__":
    sys.exit(main())
