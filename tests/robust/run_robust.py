#!/usr/bin/env python3
"""Bad input never crashes nodehint and never goes unreported.

Generated inputs (nothing large is committed): 100,000-deep nesting of several kinds run under
a 1 MiB stack, a 10 MB single line, files over the size limit, invalid UTF-8, NUL bytes, a BOM,
CRLF endings, a hash-bang, empty files, and a few thousand deterministic mutations of the rule
fixtures. Each run must end with exit status 0 or 1 (findings) — never a signal, never 2 for
input that is merely odd — and with the expected notice where a file is skipped.

Usage: run_robust.py NODEHINT FIXTURES_DIR. Prints failures, then "N passed, N failed".
"""
import os
import random
import resource
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import done, ok  # noqa: E402




def small_stack():
    # 1 MiB: far less than the default 8 MiB, so any recursion on input depth would overflow.
    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))


def lint(nodehint, args, stdin=None, stack=True, timeout=300):
    p = subprocess.run([nodehint, "lint"] + args, input=stdin, capture_output=True,
                       timeout=timeout, preexec_fn=small_stack if stack else None)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def write(tmp, name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def deep_inputs(depth):
    yield "parens", "x = " + "(" * depth + "1" + ")" * depth + ";\n"
    yield "arrays", "x = " + "[" * depth + "]" * depth + ";\n"
    yield "objects", "x = " + "{a:" * depth + "1" + "}" * depth + ";\n"
    yield "blocks", "{" * depth + "}" * depth + "\n"
    yield "callbacks", "f(function () {" * depth + "})" * depth + ";\n"
    yield "arrows", "g(() => " * depth + "0" + ")" * depth + ";\n"
    yield "members", "a" + ".b" * depth + ";\n"
    yield "calls", "f" + "()" * depth + ";\n"
    yield "ternaries", "x = " + "a ? " * depth + "1" + " : 2" * depth + ";\n"
    yield "destructuring", "const " + "{a:" * 2000 + "z" + "}" * 2000 + " = require('fs');\n"
    yield "unclosed", "f(function () {" * depth + "\n"
    yield "closers", ")}]" * depth + "\n"
    yield "aliases", "const a0 = require('fs');\n" + "".join(
        "const a%d = a%d;\n" % (i + 1, i) for i in range(20000)) + \
        "require('http').createServer((req, res) => a20000.readFileSync('x'));\n"


def main():
    if len(sys.argv) != 3:
        print("usage: run_robust.py NODEHINT FIXTURES_DIR")
        return 2
    nodehint, fixtures = os.path.abspath(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="nodehint-robust-") as tmp:
        # 100,000 deep: analysed, or (past the parser's safe depth) skipped with a notice.
        for name, text in deep_inputs(100000):
            path = write(tmp, "deep-%s.js" % name, text)
            rc, out, err = lint(nodehint, ["--max-file-size", "64M", path])
            ok(rc in (0, 1), "deep %s: exit %d" % (name, rc), err)
            ok(rc == 1 or "skipped" not in err or "levels deep" in err,
               "deep %s: a skip says why" % name, err)
        # 20,000 callbacks deep (40,000 brackets, under the limit) are analysed: one chain,
        # reported once.
        path = write(tmp, "callbacks-20k.js", "f(function () {" * 20000 + "})" * 20000 + ";\n")
        rc, out, err = lint(nodehint, ["--format", "json", path])
        ok(out.count('"rule": "callback-hell"') == 1, "20k-deep callbacks: reported once", out[:2000])
        # Left open, the same nesting must not crash the parser.
        path = write(tmp, "callbacks-open.js", "f(function () {" * 30000)
        rc, out, err = lint(nodehint, [path])
        ok(rc in (0, 1) and "levels deep" in err, "30k open callbacks: skipped, no crash", err)

        line = "x" + "+x" * (5 * 1024 * 1024) + ";\n"  # ~10 MB on one line
        path = write(tmp, "long-line.js", line)
        rc, out, err = lint(nodehint, ["--max-file-size", "16M", path])
        ok(rc == 0 and "skipped" not in err, "10 MB line analysed", err)
        rc, out, err = lint(nodehint, [path])
        ok(rc == 0 and "over the 8.0 MiB limit" in err, "10 MB line over the default limit", err)

        cases = {
            "bom.js": b"\xef\xbb\xbfconst fs = require('fs');\n",
            "crlf.js": b"const fs = require('fs');\r\nrequire('http').createServer((q, s) => {\r\n"
                       b"  s.end(fs.readFileSync('x'));\r\n});\r\n",
            "hashbang.js": b"#!/usr/bin/env node\nconsole.log(1);\n",
            "empty.js": b"",
            "only-comment.js": b"// nothing\n",
            "nul.js": b"var a = 1;\x00\n",
            "invalid-utf8.js": b"var s = '\xc3\x28';\n",
            "overlong.js": b"var s = '\xc0\xaf';\n",
            "surrogate.js": b"var s = '\xed\xa0\x80';\n",
            "truncated.js": b"var s = '\xe6\x97",
            "random.js": bytes(random.Random(7).getrandbits(8) for _ in range(20000)),
        }
        for name, data in cases.items():
            path = write(tmp, name, data)
            rc, out, err = lint(nodehint, [path])
            ok(rc in (0, 1), "%s: exit %d" % (name, rc), err)
        rc, out, err = lint(nodehint, ["--format", "json", os.path.join(tmp, "crlf.js")])
        ok('"line": 3' in out and '"column": 9' in out, "CRLF: positions", out)
        for name, why in (("nul.js", "binary file"), ("invalid-utf8.js", "not valid UTF-8"),
                          ("overlong.js", "not valid UTF-8"), ("surrogate.js", "not valid UTF-8"),
                          ("truncated.js", "not valid UTF-8")):
            rc, out, err = lint(nodehint, [os.path.join(tmp, name)])
            ok(why in err, "%s: skipped with a notice" % name, err)
        rc, out, err = lint(nodehint, ["-"], stdin=b"\xff\xfe\x00garbage")
        ok(rc == 0 and "skipped" in err, "binary stdin: skipped", err)

        # Deterministic mutations of every fixture: truncations, byte flips, spliced lines.
        rng = random.Random(2026)
        sources = []
        for root, _, files in os.walk(fixtures):
            for f in sorted(files):
                if f.endswith((".js", ".mjs", ".cjs", ".jsx")):
                    with open(os.path.join(root, f), "rb") as fh:
                        sources.append(fh.read())
        mutants = os.path.join(tmp, "mutants")
        os.mkdir(mutants)
        count = 0
        for i in range(3000 if sources else 0):
            src = bytearray(rng.choice(sources))
            op = rng.randrange(4)
            if op == 0 and src:
                src = src[: rng.randrange(len(src))]
            elif op == 1 and src:
                for _ in range(rng.randrange(1, 8)):
                    src[rng.randrange(len(src))] = rng.choice(b"(){}[];,.=>'\"`/*\\\n x")
            elif op == 2:
                other = rng.choice(sources)
                cut = rng.randrange(len(other) + 1)
                src = src[: rng.randrange(len(src) + 1)] + other[cut:]
            else:
                lines = src.split(b"\n")
                rng.shuffle(lines)
                src = bytearray(b"\n".join(lines))
            write(mutants, "m%04d.js" % i, bytes(src))
            count += 1
        rc, out, err = lint(nodehint, ["-q", mutants], timeout=600)
        ok(rc in (0, 1), "%d mutated fixtures: exit %d" % (count, rc), err)
    return done()


if __name__ == "__main__":
    sys.exit(main())
