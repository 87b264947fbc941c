#!/usr/bin/env python3
"""The rule documentation is a test: README.md's examples run through the linter.

For every rule that `nodehint rules` lists:
  - README.md has a row for it in the rule table and a `### \`rule-id\`` section;
  - the section's "Bad:" code block triggers that rule and no other;
  - the section's "Good:" code block triggers nothing at all;
  - the one-line example `nodehint rules` prints ("e.g. …") triggers exactly that rule when placed
    after PRELUDE (the requires a real file would have: the one-liners name `fs`, `app`, `exec`…).

Usage: run_doc_examples.py NODEHINT README.md
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import ok, done  # noqa: E402

PRELUDE = """\
const fs = require('fs');
const util = require('util');
const express = require('express');
const EventEmitter = require('events');
const { exec } = require('child_process');
const app = express();
"""


def lint(nodehint, source, name="example.js"):
    """Returns the list of (rule, message) nodehint reports for `source`, or None on trouble."""
    proc = subprocess.run(
        [nodehint, "lint", "--format", "json", "--stdin-filename", name, "-"],
        input=source.encode("utf-8"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if proc.returncode not in (0, 1):
        sys.stdout.write("nodehint exited %d: %s\n" % (proc.returncode, proc.stderr.decode()))
        return None
    report = json.loads(proc.stdout)
    found = []
    for f in report.get("files", []):
        for d in f.get("diagnostics", []):
            found.append((d["rule"], d["message"]))
    return found


def listed_rules(nodehint):
    """(rule id, one-line example) for every rule `nodehint rules` prints."""
    out = subprocess.run([nodehint, "rules"], stdout=subprocess.PIPE, check=True,
                         timeout=60).stdout.decode("utf-8")
    rules = []
    for line in out.splitlines():
        m = re.match(r"^([a-z0-9-]+) \((error|warning|info|hint)\)$", line)
        if m:
            rules.append([m.group(1), None])
        elif line.startswith("  e.g. ") and rules:
            rules[-1][1] = line[len("  e.g. "):]
    return rules


def section(readme, rule):
    """The text of README's `### \\`rule\\`` section, or None."""
    m = re.search(r"^### `%s`[^\n]*\n(.*?)(?=^#{1,3} |\Z)" % re.escape(rule), readme,
                  re.M | re.S)
    return m.group(1) if m else None


def block_after(text, label):
    """The first ```js block after a line starting with `label`, or None."""
    m = re.search(r"^%s\s*\n+```(?:js|javascript|mjs)\n(.*?)^```" % re.escape(label), text,
                  re.M | re.S)
    return m.group(1) if m else None


def main():
    nodehint, readme_path = sys.argv[1], sys.argv[2]
    readme = open(readme_path, encoding="utf-8").read()
    rules = listed_rules(nodehint)
    ok(len(rules) >= 16, "nodehint rules lists every rule", rules)
    for rule, example in rules:
        ok(re.search(r"^\| *\[?`%s`" % re.escape(rule), readme, re.M) is not None,
           "%s: a row in README's rule table" % rule)
        body = section(readme, rule)
        if not ok(body is not None, "%s: a README section" % rule):
            continue
        bad, good = block_after(body, "Bad:"), block_after(body, "Good:")
        if ok(bad is not None, "%s: a Bad: example" % rule):
            found = lint(nodehint, bad)
            ok(found is not None and found and all(r == rule for r, _ in found),
               "%s: the Bad: example triggers exactly this rule" % rule, found)
        if ok(good is not None, "%s: a Good: example" % rule):
            found = lint(nodehint, good)
            ok(found == [], "%s: the Good: example triggers nothing" % rule, found)
        if ok(example, "%s: a one-line example in `nodehint rules`" % rule):
            found = lint(nodehint, PRELUDE + example + "\n")
            ok(found is not None and found and all(r == rule for r, _ in found),
               "%s: the one-line example triggers exactly this rule" % rule, found)
    ok(lint(nodehint, PRELUDE) == [], "the prelude alone triggers nothing")
    return done()


if __name__ == "__main__":
    sys.exit(main())
