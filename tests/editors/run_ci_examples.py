#!/usr/bin/env python3
"""The CI examples in editors/ci/ are tested by running their commands.

Each pipeline file is parsed as YAML; the steps that run nodehint (and, for GitLab, the jq step
that converts its JSON output into a Code Quality report) are run with bash, exactly as written,
in a copy of the demo project with the nodehint under test first on PATH. The outputs are then
checked for what the CI service needs: a SARIF 2.1.0 log with results, `::warning`/`::error`
workflow commands that together cover every finding once, a Code Quality report with one issue per
finding and unique fingerprints. The build steps (`.ci/build`) are not re-run; the test checks the
script they name exists.

Usage: run_ci_examples.py NODEHINT SOURCE_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import ok, done  # noqa: E402

try:
    import yaml
except ImportError:  # CI installs python3-yaml (.ci/test); say so instead of a traceback
    print("SKIP: python3-yaml is not installed")
    sys.exit(77)


def run(command, cwd, path_dir, env_extra=None):
    env = dict(os.environ)
    env["PATH"] = path_dir + os.pathsep + env.get("PATH", "")
    env.update(env_extra or {})
    return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)


def all_findings(nodehint, cwd):
    """(path, line, column, rule) of every finding in cwd, from the JSON format."""
    proc = subprocess.run([nodehint, "lint", "--format", "json", "."], cwd=cwd,
                          stdout=subprocess.PIPE, timeout=300)
    report = json.loads(proc.stdout)
    return sorted((f["path"], d["line"], d["column"], d["rule"])
                  for f in report["files"] for d in f["diagnostics"])


def fresh_demo(root, tmp, name):
    dest = os.path.join(tmp, name)
    shutil.copytree(os.path.join(root, "examples"), dest)
    return dest


def github_steps(workflow):
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                yield job, step["run"]


def check_code_scanning(nodehint, root, tmp):
    wf = yaml.safe_load(open(os.path.join(root, "editors/ci/github-code-scanning.yml")))
    ok(any(".ci/build" in r for _, r in github_steps(wf)), "code scanning: builds with .ci/build")
    ok(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif")
           for j in wf["jobs"].values() for s in j["steps"]),
       "code scanning: uploads with upload-sarif")
    lint = [r for _, r in github_steps(wf) if "nodehint lint" in r]
    if not ok(len(lint) == 1, "code scanning: one lint step", lint):
        return
    demo = fresh_demo(root, tmp, "scanning")
    proc = run(lint[0], demo, os.path.dirname(nodehint))
    ok(proc.returncode == 0, "code scanning: the lint step succeeds with findings present",
       proc.stderr.decode())
    sarif_path = os.path.join(demo, "nodehint.sarif")
    if not ok(os.path.exists(sarif_path), "code scanning: nodehint.sarif written"):
        return
    sarif = json.load(open(sarif_path))
    results = sarif["runs"][0]["results"]
    ok(sarif.get("version") == "2.1.0", "code scanning: SARIF 2.1.0")
    ok(len(results) == len(all_findings(nodehint, demo)) and results,
       "code scanning: one SARIF result per finding", len(results))


def check_annotations(nodehint, root, tmp):
    wf = yaml.safe_load(open(os.path.join(root, "editors/ci/github-annotations.yml")))
    job, lint = next(((j, r) for j, r in github_steps(wf) if "nodehint lint" in r), (None, None))
    if not ok(lint is not None, "annotations: a lint step"):
        return
    shards = job["strategy"]["matrix"]["shard"]
    demo = fresh_demo(root, tmp, "annotations")
    seen = []
    for shard in shards:
        command = lint.replace("${{ matrix.shard }}", str(shard))
        ok("${{" not in command, "annotations: every expression substituted", command)
        proc = run(command, demo, os.path.dirname(nodehint))
        ok(proc.returncode in (0, 1), "annotations: shard %s exits 0 or 1" % shard,
           proc.stderr.decode())
        for line in proc.stdout.decode().splitlines():
            m = re.match(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+)", line)
            if m:
                seen.append((m.group(2), int(m.group(3)), int(m.group(4))))
    expected = [(p, ln, col) for p, ln, col, _ in all_findings(nodehint, demo)]
    ok(sorted(seen) == sorted(expected) and expected,
       "annotations: the shards together annotate every finding exactly once",
       "seen %s\nexpected %s" % (sorted(seen), expected))


def check_gitlab(nodehint, root, tmp):
    ci = yaml.safe_load(open(os.path.join(root, "editors/ci/gitlab-ci.yml")))
    job = ci["nodehint"]
    script = job["script"]
    ok(any(".ci/build" in s for s in script), "gitlab: builds with .ci/build")
    start = next((i for i, s in enumerate(script) if s.startswith("nodehint lint")), None)
    if not ok(start is not None, "gitlab: a lint command"):
        return
    if shutil.which("jq") is None:
        ok(False, "gitlab: jq is installed (.ci/test installs it)")
        return
    demo = fresh_demo(root, tmp, "gitlab")
    for command in script[start:]:
        proc = run(command, demo, os.path.dirname(nodehint))
        ok(proc.returncode == 0, "gitlab: `%s…` succeeds" % command[:40], proc.stderr.decode())
    report_path = os.path.join(demo, job["artifacts"]["reports"]["codequality"])
    if not ok(os.path.exists(report_path), "gitlab: the Code Quality report is written"):
        return
    try:
        issues = json.load(open(report_path))
    except ValueError as e:
        ok(False, "gitlab: the Code Quality report is JSON", e)
        return
    findings = all_findings(nodehint, demo)
    ok(len(issues) == len(findings) and findings, "gitlab: one issue per finding",
       "%d issues, %d findings" % (len(issues), len(findings)))
    keys = {"description", "check_name", "fingerprint", "severity", "location"}
    ok(all(keys <= set(i) and i["severity"] in ("info", "minor", "major", "critical", "blocker")
           and isinstance(i["location"]["lines"]["begin"], int) for i in issues),
       "gitlab: every issue has the Code Quality fields", issues[:2])
    ok(len({i["fingerprint"] for i in issues}) == len(issues), "gitlab: fingerprints are unique")


def main():
    nodehint, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    ok(os.path.exists(os.path.join(root, ".ci/build")), "the build script the examples run exists")
    with tempfile.TemporaryDirectory() as tmp:
        check_code_scanning(nodehint, root, tmp)
        check_annotations(nodehint, root, tmp)
        check_gitlab(nodehint, root, tmp)
    return done()


if __name__ == "__main__":
    sys.exit(main())
