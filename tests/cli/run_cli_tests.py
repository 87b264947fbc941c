#!/usr/bin/env python3
"""CLI tests: each folder under tests/cli/cases/ is one run of `nodehint`.

  args             the arguments, one per line ({out} is a temporary file path)
  exit             the expected exit status
  stdout           the exact expected standard output (optional)
  stdout-contains  lines that must each appear in standard output (optional)
  stdout-excludes  lines that must not appear (optional)
  stderr-contains  lines that must each appear in standard error (optional)
  stdin            fed to standard input (optional; otherwise it is empty)
  cwd              the folder to run in, relative to tests/cli (default: project)
  check            the name of an extra check in this file (optional)

Usage: run_cli_tests.py NODEHINT. Prints failures, then "N passed, N failed".
"""
import json
import re
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import done, ok  # noqa: E402



def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def run(nodehint, args, cwd, stdin=b""):
    p = subprocess.run([nodehint] + args, cwd=cwd, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# --- extra checks ---------------------------------------------------------------------

def check_json_schema(nodehint, cwd, out, err, tmp):
    doc = json.loads(out)
    ok(set(doc) == {"tool", "files", "skipped", "fileErrors", "summary"}, "json: top-level keys")
    for f in doc["files"]:
        for d in f["diagnostics"]:
            ok({"rule", "severity", "message", "line", "column", "endLine", "endColumn", "offset",
                "endOffset", "entry", "related"} <= set(d), "json: diagnostic keys %s" % sorted(d))
            ok(d["line"] >= 1 and d["column"] >= 1, "json: 1-based positions")
    s = doc["summary"]
    ok(s["warnings"] + s["errors"] == sum(len(f["diagnostics"]) for f in doc["files"]),
       "json: summary counts match")
    ok(any(x["path"] == "binary.js" for x in doc["skipped"]), "json: skipped files listed")


def check_sarif(nodehint, cwd, out, err, tmp):
    log = json.loads(out)
    ok(log["version"] == "2.1.0", "sarif: version")
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    ok("callback-hell" in ids and "sync-call-in-handler" in ids, "sarif: every rule listed")
    # Each rule's help quotes the question of its first Q&A entry, as `nodehint rules` lists it.
    listing = subprocess.run([nodehint, "rules"], capture_output=True, timeout=60).stdout.decode()
    question, current = {}, None
    for line in listing.splitlines():
        m = re.match(r"^([a-z0-9-]+) \(", line)
        if m:
            current = m.group(1)
        elif line.startswith("  Q&A: ") and current and current not in question:
            question[current] = re.sub(r" \[[a-z0-9-]+\]$", "", line[len("  Q&A: "):])
    ok(len(question) == len(rules) and
       all(question.get(r["id"], "\0") in r["help"]["text"] for r in rules),
       "sarif: every rule's help quotes its Q&A entry",
       [(r["id"], question.get(r["id"])) for r in rules
        if question.get(r["id"], "\0") not in r["help"]["text"]])
    ok(run0["columnKind"] == "utf16CodeUnits", "sarif: columnKind")
    for res in run0["results"]:
        ok(ids[res["ruleIndex"]] == res["ruleId"], "sarif: ruleIndex matches ruleId")
        loc = res["locations"][0]["physicalLocation"]
        ok(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%", "sarif: relative uri base")
        ok(loc["region"]["startLine"] >= 1, "sarif: 1-based region")
    wide = [r for r in run0["results"] if "wide.js" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    ok(len(wide) == 1 and wide[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 48,
       "sarif: UTF-16 column after Chinese text", json.dumps(wide))
    path = os.path.join(tmp, "out.sarif")
    with open(path, "w", encoding="utf-8") as f:
        f.write(out)


def check_shards(nodehint, cwd, out, err, tmp):
    seen = []
    for i in (1, 2, 3):
        rc, o, e = run(nodehint, ["lint", "--format", "json", "-q", "--shard", "%d/3" % i, "."], cwd)
        ok(rc in (0, 1), "shard %d/3 runs" % i, e)
        doc = json.loads(o)
        seen.append({f["path"] for f in doc["files"]} | {f["path"] for f in doc["skipped"]})
    rc, o, e = run(nodehint, ["lint", "--format", "json", "-q", "."], cwd)
    doc = json.loads(o)
    everything = {f["path"] for f in doc["files"]} | {f["path"] for f in doc["skipped"]}
    ok(seen[0] | seen[1] | seen[2] == everything, "shards: union is the whole run")
    ok(not (seen[0] & seen[1]) and not (seen[1] & seen[2]) and not (seen[0] & seen[2]),
       "shards: disjoint")


def check_jobs_deterministic(nodehint, cwd, out, err, tmp):
    outputs = set()
    for jobs in ("1", "2", "3"):
        for _ in range(3):
            rc, o, e = run(nodehint, ["lint", "--format", "json", "-j", jobs, "."], cwd)
            outputs.add(o)
    ok(len(outputs) == 1, "threads: the same output whatever the number of threads")


def check_output_file(nodehint, cwd, out, err, tmp):
    path = os.path.join(tmp, "report.txt")
    ok(os.path.exists(path) and "sync-call-in-handler" in read(path), "--output writes the report")
    ok(out == "", "--output leaves standard output empty")


CHECKS = {
    "json_schema": check_json_schema,
    "sarif": check_sarif,
    "shards": check_shards,
    "jobs_deterministic": check_jobs_deterministic,
    "output_file": check_output_file,
}


def main():
    if len(sys.argv) != 2:
        print("usage: run_cli_tests.py NODEHINT")
        return 2
    nodehint = os.path.abspath(sys.argv[1])
    cases = os.path.join(HERE, "cases")
    for name in sorted(os.listdir(cases)):
        case = os.path.join(cases, name)
        spec = lambda f: os.path.join(case, f)
        with tempfile.TemporaryDirectory(prefix="nodehint-cli-") as tmp:
            args = [a.replace("{out}", os.path.join(tmp, "report.txt"))
                    for a in read(spec("args")).splitlines() if a]
            cwd = os.path.join(HERE, read(spec("cwd")).strip() if os.path.exists(spec("cwd")) else "project")
            stdin = open(spec("stdin"), "rb").read() if os.path.exists(spec("stdin")) else b""
            rc, out, err = run(nodehint, args, cwd, stdin)
            want = int(read(spec("exit")).strip())
            ok(rc == want, "%s: exit status %d, wanted %d" % (name, rc, want), err[-2000:])
            if os.path.exists(spec("stdout")):
                exp = read(spec("stdout"))
                ok(out == exp, "%s: stdout differs" % name,
                   "--- got ---\n%s--- wanted ---\n%s" % (out, exp))
            for kind, text in (("stdout", out), ("stderr", err)):
                if os.path.exists(spec(kind + "-contains")):
                    for line in read(spec(kind + "-contains")).splitlines():
                        if line:
                            ok(line in text, "%s: %s lacks %r" % (name, kind, line), text[-2000:])
                if os.path.exists(spec(kind + "-excludes")):
                    for line in read(spec(kind + "-excludes")).splitlines():
                        if line:
                            ok(line not in text, "%s: %s has %r" % (name, kind, line))
            if os.path.exists(spec("check")):
                CHECKS[read(spec("check")).strip()](nodehint, cwd, out, err, tmp)
    return done()


if __name__ == "__main__":
    sys.exit(main())
