#!/usr/bin/env python3
"""Tests of knowledge/embed.py on temporary copies of its inputs: broken inputs must fail with
"embed.py: <file>[:line]: <problem>" and leave no output; translations, notes, anchors and the
rules that quote an entry must reach the C data intact.

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
EN_DIR = os.path.join(ROOT, "knowledge", "en")
RULES_DEF = os.path.join(ROOT, "src", "rules", "rules.def")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import done, ok  # noqa: E402


def load_entries():
    with open(ENTRIES, encoding="utf-8") as f:
        return json.load(f)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def run(tmp, entries=None, doc_text=None, entries_text=None, en=None, en_remove=(),
        rules_text=None, rule_files=None, env=None, depfile=False):
    """Run embed.py on copies; returns (exit status, stderr, path of the output or None).

    en: {id: text} replacing translation files; en_remove: ids whose file is deleted;
    rules_text: a replacement rules.def; rule_files: {name.c: text} beside it."""
    doc = os.path.join(tmp, "doc.md")
    ent = os.path.join(tmp, "entries.json")
    out = os.path.join(tmp, "out.c")
    dep = os.path.join(tmp, "out.d")
    en_dir = os.path.join(tmp, "en")
    rules_dir = os.path.join(tmp, "rules")
    for p in (doc, ent, out, dep):
        if os.path.exists(p):
            os.unlink(p)
    for d in (en_dir, rules_dir):
        if os.path.exists(d):
            shutil.rmtree(d)
    if doc_text is None:
        shutil.copyfile(DOC, doc)
    else:
        write(doc, doc_text)
    if entries_text is None:
        entries_text = json.dumps(entries if entries is not None else load_entries(),
                                  ensure_ascii=False, indent=1)
    write(ent, entries_text)
    shutil.copytree(EN_DIR, en_dir)
    for ident, text in (en or {}).items():
        write(os.path.join(en_dir, ident + ".md"), text)
    for ident in en_remove:
        os.unlink(os.path.join(en_dir, ident + ".md"))
    os.makedirs(rules_dir)
    rules = os.path.join(rules_dir, "rules.def")
    if rules_text is None:
        shutil.copyfile(RULES_DEF, rules)
    else:
        write(rules, rules_text)
    for name, text in (rule_files or {}).items():
        write(os.path.join(rules_dir, name), text)
    args = [sys.executable, EMBED, doc, ent, rules, en_dir, out]
    if depfile:
        args += ["--depfile", dep]
    p = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
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


def en_text(question="What?", answer="An answer.", notes=None):
    text = "# %s\n\n%s\n" % (question, answer)
    if notes is not None:
        text += "\n<!-- notes -->\n" + notes
    return text


def check_entries_errors(tmp, doc_text):
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
    bad = load_entries()[:-1]
    expect_error(tmp, "missing bold entry", ["not listed", "事件循环的机制是怎样的", "line 713"],
                 entries=bad)
    bad = load_entries()
    bad.insert(59, {"id": "pros", "heading": "Node.js优点：", "no_anchor_reason": "x"})
    expect_error(tmp, "bold label as entry", ["not an entry heading", "line 692"], entries=bad)

    # Unknown keys (translations live in en/, not in entries.json).
    for key in ("colour", "en_answer", "notes"):
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
    bad[3]["no_anchor_reason"] = " "
    expect_error(tmp, "empty no_anchor_reason", ["'no_anchor_reason' is empty"], entries=bad)
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

    # Anchors.
    for anchor in ("fs..readFile", "fs.readFile(", "event:", "event:a b", ". pipe", "new ",
                   "x.on('a b')", "require('x.json')", "#!/usr/bin/env node", "", "a" * 300):
        bad = load_entries()
        bad[0]["anchors"] = [anchor]
        expect_error(tmp, "bad anchor %r" % anchor[:20], ["entry 1", "anchor"], entries=bad)
    good = load_entries()
    good[0]["anchors"] = ["fs.readFile", "new stream.Writable", ".pipe", "event:newListener",
                          "process.on('uncaughtException')", "x.emit('a:b')", "require('*.json')",
                          "#!", "express().get", "express.Router().use", "@scope/pkg.fn",
                          "socket.io.listen", "fs/promises.readFile", "res.json"]
    for e in good[1:]:
        e["anchors"] = [a for a in e.get("anchors", []) if a not in good[0]["anchors"]] or None
        if e["anchors"] is None:
            del e["anchors"]
            e.setdefault("no_anchor_reason", "x")
    rc, err, out = run(tmp, entries=good)
    ok(rc == 0, "every anchor form accepted", err)
    bad = load_entries()
    bad[5]["anchors"] = [bad[0]["anchors"][0]]
    del bad[5]["no_anchor_reason"]
    expect_error(tmp, "anchor in two entries",
                 ["entry 6", bad[0]["anchors"][0], "already", bad[0]["id"]], entries=bad)
    bad = load_entries()
    bad[0]["anchors"].append(bad[0]["anchors"][0])
    expect_error(tmp, "anchor twice in an entry", ["entry 1", "already", "this entry"], entries=bad)
    bad = load_entries()
    bad[0]["no_anchor_reason"] = "x"
    expect_error(tmp, "anchors and reason", ["both 'anchors' and 'no_anchor_reason'"], entries=bad)
    bad = load_entries()
    del bad[0]["anchors"]
    expect_error(tmp, "neither anchors nor reason", ["entry 1", "needs 'anchors'"], entries=bad)
    bad = load_entries()
    bad[0]["anchors"] = []
    expect_error(tmp, "empty anchors", ["'anchors' is empty"], entries=bad)
    bad = load_entries()
    bad[0]["anchors"] = "fs.readFile"
    expect_error(tmp, "anchors not a list", ["must be an array"], entries=bad)

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


def check_translation_errors(tmp):
    e = "what-is-stub"
    cases = [
        ("missing question line", "An answer.\n", ["%s.md:1" % e, "'# <English question>'"]),
        ("empty question", "# \n\nAnswer\n", ["%s.md:1" % e]),
        ("no blank line 2", "# Q?\nAnswer\n", ["%s.md:2" % e, "blank"]),
        ("no answer", "# Q?\n\n\n", ["%s.md" % e, "no English answer"]),
        ("no answer before notes", "# Q?\n\n<!-- notes -->\n- x https://nodejs.org/\n",
         ["no English answer"]),
        ("unclosed fence", en_text(answer="```\ncode\n"), ["never closed"]),
        ("second h1", en_text(answer="text\n\n# Another\n"), ["%s.md:5" % e, "second '# '"]),
        ("note without url", en_text(notes="- just text\n"), ["%s.md:6" % e, "https:// URL"]),
        ("note url only", en_text(notes="- https://nodejs.org/api/\n"), ["no text"]),
        ("note url punctuation", en_text(notes="- see https://nodejs.org/api/.\n"),
         ["punctuation", "https://nodejs.org/api/."]),
        ("note url in parentheses", en_text(notes="- see (https://nodejs.org/api/)\n"),
         ["https:// URL"]),
        ("blank inside note", en_text(notes="- a\n\n  b https://nodejs.org/\n"),
         ["%s.md:8" % e, "blank line inside a note"]),
        ("garbage after marker", en_text(notes="- a https://nodejs.org/\nplain text\n"),
         ["%s.md:7" % e, "only '- ' bullets"]),
        ("empty notes section", en_text(notes="\n"), ["%s.md:5" % e, "no notes"]),
        ("two markers", en_text(notes="- a https://nodejs.org/\n<!-- notes -->\n"),
         ["a second"]),
        ("CRLF translation", en_text().replace("\n", "\r\n"), ["carriage return"]),
    ]
    for name, text, needles in cases:
        expect_error(tmp, "translation: %s" % name, needles, en={e: text})

    # Missing files: every missing id is listed, in one message.
    expect_error(tmp, "missing translations", ["missing English translations for 2 of 60",
                                               "what-is-stub", "test-pyramid"],
                 en_remove=("what-is-stub", "test-pyramid"))
    expect_error(tmp, "stray translation file", ["no-such-entry.md", "not a translation file"],
                 en={"no-such-entry": en_text()})


def check_rules_errors(tmp):
    rules = open(RULES_DEF, encoding="utf-8").read()
    expect_error(tmp, "rules.def names an unknown entry",
                 ["rules.def:", "callback-hell", "no-such-entry"],
                 rules_text=rules.replace('"avoid-callback-hell"', '"no-such-entry"', 1))
    expect_error(tmp, "rules.def without rows", ["no RULE rows"], rules_text="/* empty */\n")
    expect_error(tmp, "per-finding entry unknown", ["callback_hell.c:3", "no-such-entry"],
                 rules_text=rules,
                 rule_files={"callback_hell.c": '#include "x"\n\nd->entry = "no-such-entry";\n'})
    expect_error(tmp, "rules.def: entry not a string", ["string literals"],
                 rules_text='RULE(a, "a", SEV_WARNING, avoid_callback_hell, NULL, "x")\n')


def check_round_trip(tmp):
    # Translations, notes, anchors and rules reach the C data; tricky text survives the
    # escaping.
    tricky_q = 'quote " backslash \\ trigraph ??= ??/ tab\there 中文？（）'
    long_answer = ("长" * 1500) + "\n\n```\ncode\t\"x\"\n```\nend"  # > 4000 bytes: a char array
    notes = ("- First note with `code` and \"quotes\" https://nodejs.org/api/fs.html#a\n"
             "- Second note,\n  continued on the next line. https://nodejs.org/api/deprecations.html\n")
    rules = ('RULE(first, "first-rule", SEV_WARNING, "error-first-callback", NULL, "s")\n'
             'RULE(second, "second-rule", SEV_HINT, "avoid-callback-hell", '
             '"error" "-first-callback", "summary", "example")\n'
             'RULE(third, "third-rule", SEV_HINT, "avoid-callback-hell", NULL, "s")\n')
    third_c = ('/* per-finding entries */\nstatic const char *const e[] = {"what-is-promise", '
               '"not-an-entry"};\n')
    rc, err, out = run(tmp, en={"error-first-callback": en_text(tricky_q, long_answer, notes)},
                       rules_text=rules, rule_files={"third.c": third_c}, depfile=True)
    ok(rc == 0 and out is not None, "round trip: accepted", err)
    if out is None:
        return
    dep = open(os.path.join(tmp, "out.d"), encoding="utf-8").read()
    ok(dep.startswith(out.replace(" ", "\\ ") + ":") and "error-first-callback.md" in dep
       and "third.c" in dep and "rules.def" in dep, "depfile lists the inputs", dep[:500])
    rc2, err2, out2 = run(tmp, en={"error-first-callback": en_text(tricky_q, long_answer, notes)},
                          rules_text=rules, rule_files={"third.c": third_c})
    ok(out2 is not None, "round trip: second run", err2)
    cc = find_cc()
    if cc is None:
        print("round trip: skipped (no C compiler)")
        return
    main_c = os.path.join(tmp, "main.c")
    with open(main_c, "w") as f:
        f.write('#include <stdio.h>\n#include <string.h>\n'
                '#include "%s"\n'
                'static void put(const char *s) { fputs(s ? s : "(null)", stdout); putchar(0); }\n'
                'static const KbEntry *find(const char *id) {\n'
                '  for (size_t i = 0; i < kb_entry_count; i++)\n'
                '    if (!strcmp(kb_entries[i].id, id)) return &kb_entries[i];\n'
                '  return NULL;\n}\n'
                'int main(void) {\n'
                '  const KbEntry *e = &kb_entries[0];\n'
                '  put(e->en_question); put(e->en_answer);\n'
                '  printf("%%u", e->note_count); putchar(0);\n'
                '  for (unsigned i = 0; i < e->note_count; i++) { put(e->notes[i].text); put(e->notes[i].url); }\n'
                '  for (unsigned i = 0; i < e->rule_count; i++) put(e->rules[i]);\n'
                '  putchar(1);\n'
                '  e = find("avoid-callback-hell");\n'
                '  for (unsigned i = 0; i < e->rule_count; i++) put(e->rules[i]);\n'
                '  putchar(1);\n'
                '  e = find("what-is-promise");\n'
                '  for (unsigned i = 0; i < e->rule_count; i++) put(e->rules[i]);\n'
                '  putchar(1);\n'
                '  e = find("test-pyramid");\n'
                '  put(e->no_anchor_reason); printf("%%u", e->anchor_count); putchar(0);\n'
                '  e = find("executable-js-file");\n'
                '  put(e->anchors[0]);\n'
                '  printf("%%d", (int)kb_entry_count);\n'
                '  return 0;\n}\n' % os.path.join(ROOT, "src", "knowledge", "kb.h"))
    exe = os.path.join(tmp, "roundtrip")
    p = subprocess.run(cc + ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                             "-I", os.path.join(ROOT, "src"), "-o", exe, main_c, out],
                       capture_output=True, text=True)
    ok(p.returncode == 0, "round trip: generated C compiles warning-free", p.stderr)
    if p.returncode != 0:
        return
    got = subprocess.run([exe], capture_output=True).stdout
    reason = next(e["no_anchor_reason"] for e in load_entries() if e["id"] == "test-pyramid")
    want = b"\0".join(x.encode() for x in [
        tricky_q, long_answer, "2",
        "First note with `code` and \"quotes\"", "https://nodejs.org/api/fs.html#a",
        "Second note, continued on the next line.", "https://nodejs.org/api/deprecations.html",
        "first-rule", "second-rule"]) + b"\0\1" + b"second-rule\0third-rule\0\1" + b"third-rule\0\1" + \
        reason.encode() + b"\0" + b"0\0#!\0" + b"60"
    ok(got == want, "round trip: bytes preserved", repr(got[-400:]) + "\n" + repr(want[-400:]))


def main():
    doc_text = open(DOC, encoding="utf-8").read()
    with tempfile.TemporaryDirectory(prefix="embed-test-") as tmp:
        # The real inputs work, and running twice gives the same bytes.
        rc, err, out = run(tmp)
        ok(rc == 0 and out is not None, "baseline: success", err)
        first = open(out, "rb").read() if out else b""
        rc, err, out = run(tmp)
        ok(out is not None and open(out, "rb").read() == first, "baseline: deterministic")

        check_entries_errors(tmp, doc_text)
        check_translation_errors(tmp)
        check_rules_errors(tmp)

        p = subprocess.run([sys.executable, EMBED, os.path.join(tmp, "nope.md"), ENTRIES,
                            RULES_DEF, EN_DIR, os.path.join(tmp, "o.c")],
                           capture_output=True, text=True)
        ok(p.returncode != 0 and p.stderr.startswith("embed.py: ") and "nope.md" in p.stderr,
           "missing document file", p.stderr)
        p = subprocess.run([sys.executable, EMBED, DOC], capture_output=True, text=True)
        ok(p.returncode != 0 and "usage" in p.stderr, "usage error", p.stderr)

        check_round_trip(tmp)


if __name__ == "__main__":
    main()
    sys.exit(done())
