#!/usr/bin/env python3
"""Tests of knowledge/embed.py on temporary copies of its inputs: broken inputs must fail with
"embed.py: <file>: <problem>" and leave no output; optional keys must reach the C data intact.

Usage: test_embed_errors.py   (finds the repository from its own path; set CC to choose the
C compiler of the round-trip checks, which are skipped when no compiler is found).
Prints "N passed, N failed" last; exit status 1 on any failure."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMBED = os.path.join(ROOT, "knowledge", "embed.py")
DOC = os.path.join(ROOT, "knowledge", "nodejs-interview-qa.zh.md")
ENTRIES = os.path.join(ROOT, "knowledge", "entries.json")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import done, ok  # noqa: E402




def load_entries():
    with open(ENTRIES, encoding="utf-8") as f:
        return json.load(f)


def run(tmp, entries=None, doc_text=None, entries_text=None):
    """Run embed.py on copies; returns (exit status, stderr, path of the output or None)."""
    doc = os.path.join(tmp, "doc.md")
    ent = os.path.join(tmp, "entries.json")
    out = os.path.join(tmp, "out.c")
    for p in (doc, ent, out):
        if os.path.exists(p):
            os.unlink(p)
    if doc_text is None:
        shutil.copyfile(DOC, doc)
    else:
        with open(doc, "w", encoding="utf-8", newline="") as f:
            f.write(doc_text)
    if entries_text is None:
        entries_text = json.dumps(entries if entries is not None else load_entries(),
                                  ensure_ascii=False, indent=1)
    with open(ent, "w", encoding="utf-8") as f:
        f.write(entries_text)
    p = subprocess.run([sys.executable, EMBED, doc, ent, out], capture_output=True, text=True)
    return p.returncode, p.stderr, out if os.path.exists(out) else None


def expect_error(tmp, name, needles, **kw):
    rc, err, out = run(tmp, **kw)
    ok(rc != 0, "%s: non-zero exit" % name, err)
    ok(out is None, "%s: no output written" % name)
    lines = err.strip().split("\n")
    ok(len(lines) == 1 and lines[0].startswith("embed.py: "),
          "%s: one 'embed.py: <file>: <problem>' line" % name, err)
    for needle in needles:
        ok(needle in err, "%s: message mentions %r" % (name, needle), err)


def find_cc():
    for cc in ([os.environ["CC"]] if os.environ.get("CC") else []) + ["cc", "gcc", "clang"]:
        if shutil.which(cc.split()[0]):
            return cc.split()
    return None


def main():
    doc_text = open(DOC, encoding="utf-8").read()
    with tempfile.TemporaryDirectory(prefix="embed-test-") as tmp:
        # The real inputs work, and running twice gives the same bytes.
        rc, err, out = run(tmp)
        ok(rc == 0 and out is not None, "baseline: success", err)
        first = open(out, "rb").read() if out else b""
        rc, err, out = run(tmp)
        ok(out is not None and open(out, "rb").read() == first, "baseline: deterministic")

        entries = load_entries()
        ids = [e["id"] for e in entries]
        ok(len(entries) == 60, "entries.json has 60 entries")
        ok(len(set(ids)) == len(ids), "entries.json ids are unique")

        # A misspelled heading.
        bad = load_entries()
        bad[5]["heading"] = bad[5]["heading"].replace("金字塔", "金子塔")
        expect_error(tmp, "misspelled heading",
                     ["entries.json", "heading not found", bad[5]["heading"], bad[5]["id"],
                      "did you mean"], entries=bad)

        # A heading without its trailing full-width question mark.
        bad = load_entries()
        bad[0]["heading"] = bad[0]["heading"].rstrip("？")
        expect_error(tmp, "heading missing punctuation", ["heading not found", "error-first-callback"],
                     entries=bad)

        # An entry of the document left out (in the middle, first, last `### ` one).
        for k in (10, 0, 58):
            bad = load_entries()
            gone = bad.pop(k)
            expect_error(tmp, "missing entry %d" % k, ["not listed", gone["heading"], "line "],
                         entries=bad)
        # The final bold entry left out.
        bad = load_entries()[:-1]
        expect_error(tmp, "missing bold entry", ["not listed", "事件循环的机制是怎样的", "line 713"],
                     entries=bad)
        # A bold line inside an entry is not an entry heading.
        bad = load_entries()
        bad.insert(59, {"id": "pros", "heading": "Node.js优点："})
        expect_error(tmp, "bold label as entry", ["not an entry heading", "line 692"], entries=bad)

        # An unknown key, and a future key that is not supported yet.
        for key in ("colour", "anchors"):
            bad = load_entries()
            bad[3][key] = "x"
            expect_error(tmp, "unknown key %s" % key,
                         ["unknown key '%s'" % key, "entry 4", bad[3]["id"]], entries=bad)

        # Bad values.
        bad = load_entries()
        bad[2]["docs_url"] = 42
        expect_error(tmp, "non-string docs_url", ["'docs_url' must be a string", bad[2]["id"]],
                     entries=bad)
        bad = load_entries()
        bad[2]["notes"] = ""
        expect_error(tmp, "empty notes", ["'notes' is empty"], entries=bad)
        bad = load_entries()
        bad[2]["docs_url"] = "http://example.com"
        expect_error(tmp, "non-https docs_url", ["docs_url"], entries=bad)
        bad = load_entries()
        bad[7]["id"] = bad[6]["id"]
        expect_error(tmp, "duplicate id", ["duplicate id", bad[6]["id"]], entries=bad)
        for bad_id in ("Error-First", "a_b", "-a", "a--b", ""):
            bad = load_entries()
            bad[1]["id"] = bad_id
            expect_error(tmp, "bad id %r" % bad_id, ["entry 2"], entries=bad)
        bad = load_entries()
        del bad[4]["heading"]
        expect_error(tmp, "missing heading key", ["missing key 'heading'", bad[4]["id"]], entries=bad)

        # Out of order.
        bad = load_entries()
        bad[3], bad[4] = bad[4], bad[3]
        expect_error(tmp, "swapped entries", ["document order"], entries=bad)

        # Broken JSON / wrong shapes.
        expect_error(tmp, "invalid JSON", ["entries.json", "invalid JSON", "line 1"],
                     entries_text='[{"id": "a",]')
        expect_error(tmp, "not an array", ["array"], entries_text='{"id": "a"}')
        expect_error(tmp, "duplicate key", ["duplicate key 'id'"],
                     entries_text='[{"id": "a", "id": "b", "heading": "x"}]')

        # Broken documents.
        expect_error(tmp, "CRLF document", ["doc.md", "carriage return"],
                     doc_text=doc_text.replace("\n", "\r\n"))
        expect_error(tmp, "renamed heading in document", ["not found"],
                     doc_text=doc_text.replace("### 什么是Stream?", "### 什么是Streams?"))
        expect_error(tmp, "extra heading in document", ["not listed", "新的问题"],
                     doc_text=doc_text.replace("### 什么是Stream?", "### 新的问题\n\n答案\n\n### 什么是Stream?"))
        expect_error(tmp, "empty answer", ["empty answer", "stream-benefits"],
                     doc_text=doc_text.replace("非阻塞式数据处理提升效率，片断处理节省内存，管道处理方便可扩展等.\n", ""))
        p = subprocess.run([sys.executable, EMBED, os.path.join(tmp, "nope.md"), ENTRIES,
                            os.path.join(tmp, "o.c")], capture_output=True, text=True)
        ok(p.returncode != 0 and p.stderr.startswith("embed.py: ") and "nope.md" in p.stderr,
              "missing document file", p.stderr)
        p = subprocess.run([sys.executable, EMBED, DOC], capture_output=True, text=True)
        ok(p.returncode != 0 and "usage" in p.stderr, "usage error", p.stderr)

        # Optional keys are embedded; tricky text survives the C escaping (round trip).
        tricky = ('quote " backslash \\ trigraph ??= ??/ ??) tab\there\nnewline \x01 \x7f '
                  'hex-like \\x41B octal-like 1\u00e9 7 中文？（）\n')
        long_text = ("长" * 1500) + "\nend"  # > 4000 bytes: emitted as a char array
        good = load_entries()
        good[0]["en_question"] = tricky
        good[0]["en_answer"] = long_text
        good[0]["notes"] = "?" * 5000
        rc, err, out = run(tmp, entries=good)
        ok(rc == 0 and out is not None, "optional keys accepted", err)
        cc = find_cc()
        if out is None or cc is None:
            print("round trip: skipped (no output or no C compiler)")
            return
        main_c = os.path.join(tmp, "main.c")
        with open(main_c, "w") as f:
            f.write('#include <stdio.h>\n#include <string.h>\n'
                    '#include "%s"\n'
                    'int main(void) {\n'
                    '  const KbEntry *e = &kb_entries[0];\n'
                    '  fwrite(e->en_question, 1, strlen(e->en_question), stdout); putchar(0);\n'
                    '  fwrite(e->en_answer, 1, strlen(e->en_answer), stdout); putchar(0);\n'
                    '  fwrite(e->notes, 1, strlen(e->notes), stdout); putchar(0);\n'
                    '  printf("%%d %%s", (int)kb_entry_count, e->docs_url);\n'
                    '  return 0;\n}\n' % os.path.join(ROOT, "src", "knowledge", "kb.h"))
        exe = os.path.join(tmp, "roundtrip")
        p = subprocess.run(cc + ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                                 "-I", os.path.join(ROOT, "src"), "-o", exe, main_c, out], capture_output=True, text=True)
        ok(p.returncode == 0, "round trip: generated C compiles warning-free", p.stderr)
        if p.returncode != 0:
            return
        got = subprocess.run([exe], capture_output=True).stdout
        want = b"\0".join([tricky.encode(), long_text.encode(), ("?" * 5000).encode(),
                           ("60 " + good[0]["docs_url"]).encode()])
        ok(got == want, "round trip: bytes preserved", repr(got[:200]))


if __name__ == "__main__":
    main()
    sys.exit(done())
