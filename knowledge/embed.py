#!/usr/bin/env python3
"""Embed the Node.js interview Q&A document into nodehint as C data.

Usage: embed.py DOC.md ENTRIES.json OUT.c

DOC.md is the verbatim document (knowledge/nodejs-interview-qa.zh.md). ENTRIES.json is our
metadata: a JSON array, in document order, with one object per entry of the document:

    {"id": "error-first-callback",            required: stable slug, [a-z0-9] words joined by '-'
     "heading": "什么是错误优先的回调函数？",   required: the heading text exactly as in DOC.md
     "en_question": "...", "en_answer": "...", "notes": "...", "docs_url": "https://..."}
                                              optional, non-empty strings

Any other key is an error (add it here, and to KbEntry in src/knowledge/kb.h, when it is needed).

The entries of the document are its `### ` headings (outside fenced code blocks), plus its last
line that is bold and nothing else (`**...**`) when that line follows the last `### ` heading: the
last entry of the document is written that way. Other bold lines (such as `**Node.js优点：**`
inside an entry) are ordinary body text. ENTRIES.json must list exactly these, in order.

For each entry the generated file holds:
  question  the heading text, verbatim;
  answer    the lines between the heading and the next entry heading (or the end of the file),
            verbatim, without leading and trailing blank (whitespace-only) lines, joined by '\\n'
            and without a final newline;
  anchor    the GitHub anchor of the heading (github-slugger: lowercase; keep letters, marks,
            digits, '_' and '-'; a space becomes '-'; everything else, full-width punctuation
            included, is dropped; a repeated anchor gets "-1", "-2", ...);
  line      the 1-based line of the heading.

Any problem (unreadable input, invalid JSON, unknown key, heading not found, document entry not
listed, ...) is reported as "embed.py: <file>: <problem>" with exit status 1; OUT.c is then left
untouched. The output depends only on the inputs; it includes "knowledge/kb.h", so it compiles with src/
on the include path, as every nodehint source does. Standard library only.
"""

import difflib
import json
import os
import re
import sys
import tempfile
import unicodedata

PROG = "embed.py"

OPTIONAL_KEYS = ("en_question", "en_answer", "notes", "docs_url")
KNOWN_KEYS = ("id", "heading") + OPTIONAL_KEYS
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LEN = 64
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$")
BOLD_RE = re.compile(r"^\*\*(.+)\*\*$")

# The longest string literal emitted; longer texts become char arrays (ISO C only promises
# 4095 characters per string literal, and gcc -Wpedantic enforces it).
MAX_LITERAL_BYTES = 4000
# Emitted source lines stay around this width.
LINE_WIDTH = 96

class EmbedError(Exception):
    def __init__(self, path, problem):
        super().__init__("%s: %s: %s" % (PROG, path, problem))


def quote(text):
    """A heading or value for an error message."""
    return "'" + text + "'"


# ---------------------------------------------------------------------------------------------
# Reading the document

def read_doc(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise EmbedError(path, "cannot read: %s" % (e.strerror or e))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise EmbedError(path, "not valid UTF-8 (byte %d)" % e.start)
    if text.startswith("\ufeff"):
        raise EmbedError(path, "starts with a byte order mark (not supported)")
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        raise EmbedError(path, "line %d: carriage return (only LF line ends are supported)" % line)
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise EmbedError(path, "line %d: NUL byte" % line)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file ends with a newline: no extra empty line
    if not lines:
        raise EmbedError(path, "empty document")
    return lines


def scan_doc(lines):
    """The `### ` headings, the bold-only lines and all ATX headings, outside code fences.

    Each is a list of (index, text) with 0-based line indexes."""
    h3, bold, atx = [], [], []
    fence = None  # (char, length) of the open fence
    for i, line in enumerate(lines):
        m = FENCE_RE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                    and line[m.end():].strip() == "":
                fence = None
            continue
        if m:
            fence = (m.group(1)[0], len(m.group(1)))
            continue
        if line.startswith("### "):
            h3.append((i, line[4:]))
        m = ATX_RE.match(line)
        if m:
            content = re.sub(r"(?:^|[ \t]+)#+[ \t]*$", "", m.group(2)).strip()
            atx.append((i, content))
        m = BOLD_RE.match(line)
        if m:
            bold.append((i, m.group(1)))
    return h3, bold, atx


# ---------------------------------------------------------------------------------------------
# Reading the entries

def read_entries(path):
    def no_duplicate_keys(pairs):
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise EmbedError(path, "duplicate key %s in an object" % quote(key))
            obj[key] = value
        return obj

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise EmbedError(path, "cannot read: %s" % (e.strerror or e))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise EmbedError(path, "not valid UTF-8 (byte %d)" % e.start)
    try:
        entries = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise EmbedError(path, "invalid JSON: line %d column %d: %s" % (e.lineno, e.colno, e.msg))
    if not isinstance(entries, list):
        raise EmbedError(path, "the top level must be an array of entries")
    if not entries:
        raise EmbedError(path, "no entries")

    seen_ids = {}
    for n, entry in enumerate(entries, 1):
        where = "entry %d" % n
        if not isinstance(entry, dict):
            raise EmbedError(path, "%s: not an object" % where)
        if isinstance(entry.get("id"), str):
            where = "entry %d (%s)" % (n, quote(entry["id"]))
        for key in entry:
            if key not in KNOWN_KEYS:
                raise EmbedError(path, "%s: unknown key %s (known keys: %s)"
                                 % (where, quote(key), ", ".join(KNOWN_KEYS)))
        for key in ("id", "heading"):
            if key not in entry:
                raise EmbedError(path, "%s: missing key %s" % (where, quote(key)))
        for key, value in entry.items():
            if not isinstance(value, str):
                raise EmbedError(path, "%s: %s must be a string" % (where, quote(key)))
            if value == "":
                raise EmbedError(path, "%s: %s is empty" % (where, quote(key)))
            if "\0" in value:
                raise EmbedError(path, "%s: %s contains a NUL character" % (where, quote(key)))
        ident = entry["id"]
        if not ID_RE.match(ident) or len(ident) > ID_MAX_LEN:
            raise EmbedError(path, "%s: bad id (want lowercase a-z0-9 words joined by single "
                             "'-', at most %d characters)" % (where, ID_MAX_LEN))
        if ident in seen_ids:
            raise EmbedError(path, "%s: duplicate id (also entry %d)" % (where, seen_ids[ident]))
        seen_ids[ident] = n
        if "\n" in entry["heading"]:
            raise EmbedError(path, "%s: heading contains a newline" % where)
        url = entry.get("docs_url")
        if url is not None and (not url.startswith("https://") or re.search(r"\s", url)):
            raise EmbedError(path, "%s: docs_url must be an https:// URL without spaces" % where)
    return entries


# ---------------------------------------------------------------------------------------------
# Matching entries to the document

def github_slug(text):
    out = []
    for ch in text.lower():
        if ch == " " or ch == "-":
            out.append("-")
        elif ch == "_" or unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "Pc":
            out.append(ch)
    return "".join(out)


def doc_entries(lines):
    """The entry headings of the document, as (0-based line index, heading text): every `### `
    heading, then the last bold-only line of the document if it follows the last of them."""
    h3, bold, _ = scan_doc(lines)
    found = list(h3)
    if bold and (not h3 or bold[-1][0] > h3[-1][0]):
        found.append(bold[-1])
    return found


def match_entries(doc_path, entries_path, lines, entries):
    heads = doc_entries(lines)
    doc_name = os.path.basename(doc_path)

    def not_listed(i, text, where):
        return EmbedError(entries_path, "entry of %s at line %d is not listed: %s (%s)"
                          % (doc_name, i + 1, quote(text), where))

    matched = []  # (entry, line index)
    p = 0  # the next document entry to match
    for n, entry in enumerate(entries, 1):
        heading = entry["heading"]
        where = "entry %d (%s)" % (n, quote(entry["id"]))
        j = next((j for j in range(p, len(heads)) if heads[j][1] == heading), None)
        if j is None:
            earlier = next((i for i, t in heads[:p] if t == heading), None)
            if earlier is not None:
                raise EmbedError(entries_path, "%s: heading %s (line %d of %s) comes before the "
                                 "previous entry's: entries must be in document order"
                                 % (where, quote(heading), earlier + 1, doc_name))
            other = next((i for i, l in enumerate(lines) if heading in l), None)
            if other is not None:
                raise EmbedError(entries_path, "%s: heading not found in %s: %s occurs on line "
                                 "%d, which is not an entry heading (those are the `### ` lines "
                                 "and the final bold line)" % (where, doc_name, quote(heading),
                                                               other + 1))
            hint = difflib.get_close_matches(heading, [t for _, t in heads], n=1, cutoff=0.6)
            raise EmbedError(entries_path, "%s: heading not found in %s: %s%s"
                             % (where, doc_name, quote(heading),
                                " (did you mean %s?)" % quote(hint[0]) if hint else ""))
        if j > p:
            i, text = heads[p]
            later = next((m for m, e in enumerate(entries[n:], n + 1) if e["heading"] == text),
                         None)
            if later is not None:
                raise EmbedError(entries_path, "%s: heading %s (line %d of %s) comes after the "
                                 "heading of entry %d (line %d): entries must be in document "
                                 "order" % (where, quote(heading), heads[j][0] + 1, doc_name,
                                            later, i + 1))
            raise not_listed(i, text, "expected before %s" % where)
        matched.append((entry, heads[j][0]))
        p = j + 1
    if p < len(heads):
        i, text = heads[p]
        raise not_listed(i, text, "expected after the last entry, %s" % quote(entries[-1]["id"]))
    return matched


def build_records(doc_path, entries_path, lines, entries):
    matched = match_entries(doc_path, entries_path, lines, entries)
    _, _, atx = scan_doc(lines)

    # Anchors: GitHub numbers repeated slugs in document order over all headings.
    entry_lines = {i for _, i in matched}
    sources = sorted([(i, t) for i, t in atx if i not in entry_lines]
                     + [(i, e["heading"]) for e, i in matched])
    counts, anchors = {}, {}
    for i, text in sources:
        slug = github_slug(text)
        if slug in counts:
            counts[slug] += 1
            slug = "%s-%d" % (slug, counts[slug])
        else:
            counts[slug] = 0
        anchors[i] = slug

    records = []
    for k, (entry, i) in enumerate(matched):
        end = matched[k + 1][1] if k + 1 < len(matched) else len(lines)
        body = lines[i + 1:end]
        while body and body[0].strip() == "":
            body.pop(0)
        while body and body[-1].strip() == "":
            body.pop()
        answer = "\n".join(body)
        if not answer:
            raise EmbedError(doc_path, "line %d: entry %s has an empty answer"
                             % (i + 1, quote(entry["id"])))
        if not anchors[i]:
            raise EmbedError(doc_path, "line %d: heading %s has an empty anchor"
                             % (i + 1, quote(entry["heading"])))
        rec = {
            "id": entry["id"],
            "question": entry["heading"],
            "answer": answer,
            "anchor": anchors[i],
            "line": i + 1,
        }
        for key in OPTIONAL_KEYS:
            rec[key] = entry.get(key)
        records.append(rec)
    return records


# ---------------------------------------------------------------------------------------------
# Writing C

def c_byte_tokens(text):
    """The escaped pieces of a C string literal for text, one per byte (or character)."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "?":
            out.append("\\?")  # never part of a trigraph
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)  # always three digits: cannot swallow what follows
    return out


def c_string_literal(text, indent):
    """A (possibly multi-line, concatenated) string literal; breaks after each newline."""
    pieces, cur, width = [], [], 0
    limit = LINE_WIDTH - len(indent) - 2
    for tok in c_byte_tokens(text):
        if cur and width + len(tok) > limit:
            pieces.append("".join(cur))
            cur, width = [], 0
        cur.append(tok)
        width += len(tok)
        if tok == "\\n":
            pieces.append("".join(cur))
            cur, width = [], 0
    if cur or not pieces:
        pieces.append("".join(cur))
    return ("\n" + indent).join('"%s"' % p for p in pieces)


def c_char_array(name, text):
    """A static char array holding text and its terminating NUL."""
    toks = []
    for b in text.encode("utf-8") + b"\0":
        c = chr(b)
        if c in "\\'":
            toks.append("'\\%s'" % c)
        elif 0x20 <= b < 0x7F:
            toks.append("'%s'" % c)
        else:
            toks.append("'\\%03o'" % b)
    rows, cur = [], []
    for tok in toks:
        if cur and len(", ".join(cur + [tok])) > LINE_WIDTH - 4:
            rows.append(", ".join(cur))
            cur = []
        cur.append(tok)
    rows.append(", ".join(cur))
    return "static const char %s[] = {\n    %s,\n};\n" % (name, ",\n    ".join(rows))


def generate(records, doc_path, entries_path, out_path):
    arrays = []
    fields = ("id", "question", "answer", "anchor", "line") + OPTIONAL_KEYS
    body = []
    for n, rec in enumerate(records):
        body.append("  { /* %d: %s, line %d */" % (n + 1, rec["id"], rec["line"]))
        for key in fields:
            value = rec[key]
            if key == "line":
                expr = str(value)
            elif value is None:
                expr = "NULL"
            elif len(value.encode("utf-8")) > MAX_LITERAL_BYTES:
                name = "kb_text_%d_%s" % (n, key)
                arrays.append(c_char_array(name, value))
                expr = name
            else:
                expr = c_string_literal(value, "    " + " " * (len(key) + 4))
            body.append("    .%s = %s," % (key, expr))
        body.append("  },")

    out = []
    out.append("/* Generated by knowledge/embed.py from %s and %s: do not edit.\n"
               " * %d entries of the embedded knowledge base (see src/knowledge/kb.h). */\n"
               % (os.path.basename(doc_path), os.path.basename(entries_path), len(records)))
    out.append('#include "knowledge/kb.h"\n')
    out.append("\n")
    for a in arrays:
        out.append(a)
        out.append("\n")
    out.append("const KbEntry kb_entries[] = {\n")
    out.append("\n".join(body))
    out.append("\n};\n\n")
    out.append("const size_t kb_entry_count = sizeof kb_entries / sizeof kb_entries[0];\n")
    return "".join(out)


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".embed-", suffix=".tmp", dir=directory)
    except OSError as e:
        raise EmbedError(path, "cannot write: %s" % (e.strerror or e))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise EmbedError(path, "cannot write: %s" % (e.strerror or e))


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("%s: usage: embed.py DOC.md ENTRIES.json OUT.c\n" % PROG)
        return 2
    doc_path, entries_path, out_path = argv[1:4]
    try:
        lines = read_doc(doc_path)
        entries = read_entries(entries_path)
        records = build_records(doc_path, entries_path, lines, entries)
        write_atomically(out_path, generate(records, doc_path, entries_path, out_path))
    except EmbedError as e:
        sys.stderr.write("%s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
