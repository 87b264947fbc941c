#!/usr/bin/env python3
"""Embed the Node.js interview Q&A document, our translations and our metadata into nodehint as
C data (src/knowledge/kb.h describes the result).

Usage: embed.py DOC.md ENTRIES.json RULES.def EN_DIR OUT.c [--depfile OUT.d]

DOC.md is the verbatim document (knowledge/nodejs-interview-qa.zh.md). Its entries are its `### `
headings (outside fenced code blocks), plus its last line that is bold and nothing else
(`**...**`) when that line follows the last `### ` heading: the last entry of the document is
written that way. Other bold lines (such as `**Node.js优点：**` inside an entry) are ordinary
body text.

ENTRIES.json is our metadata: a JSON array, in document order, with one object per entry of the
document (exactly those, in order):

    {"id": "error-first-callback",             required: stable slug, [a-z0-9] words joined by '-'
     "heading": "什么是错误优先的回调函数？",    required: the heading text exactly as in DOC.md
     "docs_url": "https://...",                optional: the documentation page to link
     "anchors": ["fs.readFile", ".then"],      the code that surfaces the entry on hover, or
     "no_anchor_reason": "..."}                why no code can (exactly one of the two)

Any other key is an error. Anchors (an anchor key belongs to one entry only; a knowledge pack
may claim a key again, and then wins):

    fs.readFileSync      a qualified name as src/analysis/modules.h spells it: module (without
                         "node:") or Node global, then members; "()" after a segment is a call
                         result ("express().get", "express.Router"). A name also covers what lies
                         under it unless that is anchored itself: "domain" matches
                         require('domain'), import ... from 'domain', domain.create and d.run
                         where d = domain.create(); the longest anchored prefix wins.
    new Promise          the constructor of a `new` expression (tried before "Promise").
    .pipe                a member name on any object (property access or method definition),
                         when the qualified name of the expression matches nothing.
    event:error          the event name (first argument, a string) of on, once, addListener,
                         prependListener, prependOnceListener, off, removeListener,
                         removeAllListeners, listeners, listenerCount or emit, on any receiver.
    process.on('message')   the same, on a known receiver: ".on(" covers every listener-adding
                         method above, ".emit(" covers emit. Tried before "event:NAME".
    req.params, res.json the request and response parameters of a request handler (see
                         src/analysis/handlers.h), whatever they are named: (req, res, next),
                         (err, req, res, next).
    require('*.json')    a require() or import of a .json file.
    #!                   the hashbang line (#!/usr/bin/env node).

EN_DIR holds one file per entry, EN_DIR/<id>.md, our English translation:

    # <English question>            line 1
                                    line 2: blank
    <English answer, Markdown>      code blocks kept; no other `# ` heading
    <!-- notes -->                  optional: corrections for current Node.js (LTS 20/22)
    - <note text> <https URL>       one bullet per note; its last whitespace-separated token is
      <continuation>                one https:// URL; continuation lines indented two spaces

A missing file is an error (the message lists every missing id); so is a file whose name is not
an entry id.

RULES.def is src/rules/rules.def: the RULE(c_name, "id", severity, "entry", "entry2" | NULL, ...)
rows name the entries each rule quotes; every one must exist. A rule also quotes an entry when
its source file (src/rules/<c_name>.c, beside rules.def) contains the entry's id as a string
literal: that is how a rule sets a per-finding entry (legacy-api); an `entry = "id"` assignment
there must name an existing entry.

For each entry the generated file holds:
  question  the heading text, verbatim;
  answer    the lines between the heading and the next entry heading (or the end of the file),
            verbatim, without leading and trailing blank (whitespace-only) lines, joined by '\\n'
            and without a final newline;
  anchor    the GitHub anchor of the heading (github-slugger: lowercase; keep letters, marks,
            digits, '_' and '-'; a space becomes '-'; everything else, full-width punctuation
            included, is dropped; a repeated anchor gets "-1", "-2", ...);
  line      the 1-based line of the heading;
  en_question, en_answer, notes (text + url), docs_url, anchors, rules, no_anchor_reason.

Any problem (unreadable input, invalid JSON, unknown key, heading not found, document entry not
listed, bad translation file, ...) is reported as "embed.py: <file>: <problem>" (with the line
where there is one) and exit status 1; OUT.c is then left untouched. With --depfile, a Makefile
dependency file listing every input read is written too (so the build reruns when a translation
or a rule file changes). The output depends only on the inputs; it includes "knowledge/kb.h", so
it compiles with src/ on the include path, as every nodehint source does. Standard library only.
"""

import difflib
import json
import os
import re
import sys
import tempfile
import unicodedata

PROG = "embed.py"

KNOWN_KEYS = ("id", "heading", "docs_url", "anchors", "no_anchor_reason")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LEN = 64
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$")
BOLD_RE = re.compile(r"^\*\*(.+)\*\*$")

# Anchor syntax (mirrored by kb_anchor_valid() in src/knowledge/kb.c).
_IDENT = r"[A-Za-z_$][A-Za-z0-9_$]*"
_ROOT = r"[A-Za-z_$@][A-Za-z0-9_$@/-]*(?:\.[A-Za-z_$@][A-Za-z0-9_$@/-]*)*"
_QUAL = r"%s(?:\(\))?(?:\.%s(?:\(\))?)*" % (_ROOT, _IDENT)
_EVENT = r"[^\s'\"\\]+"
ANCHOR_RES = [
    re.compile(r"^%s$" % _QUAL),
    re.compile(r"^new %s$" % _QUAL),
    re.compile(r"^\.%s$" % _IDENT),
    re.compile(r"^event:%s$" % _EVENT),
    re.compile(r"^%s\.(?:on|emit)\('%s'\)$" % (_QUAL, _EVENT)),
    re.compile(r"^require\('\*\.json'\)$"),
    re.compile(r"^#!$"),
]
ANCHOR_MAX_LEN = 200

NOTES_MARKER = "<!-- notes -->"

# The longest string literal emitted; longer texts become char arrays (ISO C only promises
# 4095 characters per string literal, and gcc -Wpedantic enforces it).
MAX_LITERAL_BYTES = 4000
# Emitted source lines stay around this width.
LINE_WIDTH = 96


class EmbedError(Exception):
    def __init__(self, path, problem, line=None):
        where = path if line is None else "%s:%d" % (path, line)
        super().__init__("%s: %s: %s" % (PROG, where, problem))


def quote(text):
    """A heading or value for an error message."""
    return "'" + text + "'"


def read_text(path):
    """The file's text: UTF-8, no BOM, LF line ends, no NUL."""
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
    return text


# ---------------------------------------------------------------------------------------------
# Reading the document

def read_doc(path):
    text = read_text(path)
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


def fence_lines(lines):
    """For each line: is it inside (or delimiting) a fenced code block? And is a fence left
    open at the end?"""
    inside, fence = [], None
    for line in lines:
        m = FENCE_RE.match(line)
        if fence is not None:
            inside.append(True)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                    and line[m.end():].strip() == "":
                fence = None
            continue
        if m:
            fence = (m.group(1)[0], len(m.group(1)))
            inside.append(True)
            continue
        inside.append(False)
    return inside, fence is not None


# ---------------------------------------------------------------------------------------------
# Reading the entries

def anchor_problem(key):
    """None if `key` is a well-formed anchor, else why not."""
    if not isinstance(key, str):
        return "an anchor must be a string"
    if key == "":
        return "an anchor is empty"
    if len(key.encode("utf-8")) > ANCHOR_MAX_LEN:
        return "an anchor is longer than %d bytes" % ANCHOR_MAX_LEN
    if not any(r.match(key) for r in ANCHOR_RES):
        return ("bad anchor %s (expected a qualified name like 'fs.readFileSync', 'new X', "
                "'.member', 'event:name', \"X.on('name')\", \"X.emit('name')\", "
                "\"require('*.json')\" or '#!')" % quote(key))
    return None


def read_entries(path):
    def no_duplicate_keys(pairs):
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise EmbedError(path, "duplicate key %s in an object" % quote(key))
            obj[key] = value
        return obj

    text = read_text(path)
    try:
        entries = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise EmbedError(path, "invalid JSON: line %d column %d: %s" % (e.lineno, e.colno, e.msg))
    if not isinstance(entries, list):
        raise EmbedError(path, "the top level must be an array of entries")
    if not entries:
        raise EmbedError(path, "no entries")

    seen_ids = {}
    anchor_owner = {}
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
            if key == "anchors":
                continue
            if not isinstance(value, str):
                raise EmbedError(path, "%s: %s must be a string" % (where, quote(key)))
            if value.strip() == "":
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
        anchors = entry.get("anchors")
        reason = entry.get("no_anchor_reason")
        if anchors is not None:
            if not isinstance(anchors, list):
                raise EmbedError(path, "%s: 'anchors' must be an array of strings" % where)
            if not anchors:
                raise EmbedError(path, "%s: 'anchors' is empty (give no_anchor_reason instead)"
                                 % where)
            if reason is not None:
                raise EmbedError(path, "%s: has both 'anchors' and 'no_anchor_reason'" % where)
            for key in anchors:
                problem = anchor_problem(key)
                if problem:
                    raise EmbedError(path, "%s: %s" % (where, problem))
                if key in anchor_owner:
                    other = anchor_owner[key]
                    raise EmbedError(path, "%s: anchor %s is already %s's" % (
                        where, quote(key), "this entry" if other == ident else quote(other)))
                anchor_owner[key] = ident
        elif reason is None:
            raise EmbedError(path, "%s: needs 'anchors' (the code that surfaces it on hover) or "
                             "'no_anchor_reason'" % where)
    return entries


# ---------------------------------------------------------------------------------------------
# Reading the translations

def read_translation(path):
    """(question, answer, [(note text, url)]) from an EN_DIR/<id>.md file."""
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].startswith("# ") or lines[0][2:].strip() == "":
        raise EmbedError(path, "line 1 must be '# <English question>'", 1)
    question = lines[0][2:].strip()
    if len(lines) < 2 or lines[1].strip() != "":
        raise EmbedError(path, "line 2 must be blank (after the '# ' question)", 2)
    marker = None
    for i, line in enumerate(lines):
        if line.strip() == NOTES_MARKER:
            if marker is not None:
                raise EmbedError(path, "a second %s line (the first is line %d)"
                                 % (NOTES_MARKER, marker + 1), i + 1)
            marker = i
    body = lines[2:marker if marker is not None else len(lines)]
    first = 2
    while body and body[0].strip() == "":
        body.pop(0)
        first += 1
    while body and body[-1].strip() == "":
        body.pop()
    if not body:
        raise EmbedError(path, "no English answer after the question", 3)
    inside, open_fence = fence_lines(body)
    if open_fence:
        raise EmbedError(path, "a code block in the answer is never closed")
    for k, line in enumerate(body):
        if not inside[k] and line.startswith("# "):
            raise EmbedError(path, "a second '# ' heading in the answer (use ### or lower)",
                             first + k + 1)
    answer = "\n".join(body)

    notes = []
    if marker is not None:
        current = None  # [text pieces, first line]
        blank_before = False

        def finish(item):
            words = " ".join(item[0]).split()
            if not words or not words[-1].startswith("https://"):
                raise EmbedError(path, "a note must end with an https:// URL (its last "
                                 "whitespace-separated token)", item[1])
            url = words[-1]
            if url[-1] in ".,;:>" or (url.endswith(")") and url.count("(") < url.count(")")):
                raise EmbedError(path, "the note's URL %s ends with punctuation that is not "
                                 "part of it (leave a space before any closing text, or none)"
                                 % quote(url), item[1])
            if url == "https://" or any(c in url for c in "<>\"'`"):
                raise EmbedError(path, "bad URL %s in a note" % quote(url), item[1])
            note = " ".join(words[:-1])
            if not note:
                raise EmbedError(path, "a note has a URL but no text", item[1])
            notes.append((note, url))

        for i in range(marker + 1, len(lines)):
            line = lines[i]
            if line.strip() == "":
                blank_before = True
                continue
            if line.startswith("- "):
                if current:
                    finish(current)
                current = [[line[2:].strip()], i + 1]
            elif line.startswith("  ") and current is not None and not blank_before:
                current[0].append(line.strip())
            elif line.startswith("  ") and current is not None:
                raise EmbedError(path, "a blank line inside a note (continuation lines follow "
                                 "the bullet directly)", i + 1)
            else:
                raise EmbedError(path, "after %s only '- ' bullets and their two-space-indented "
                                 "continuation lines may follow" % NOTES_MARKER, i + 1)
            blank_before = False
        if current:
            finish(current)
        if not notes:
            raise EmbedError(path, "%s is followed by no notes" % NOTES_MARKER, marker + 1)
    return question, answer, notes


def read_translations(en_dir, entries):
    """{id: (question, answer, notes)}; every entry needs a file."""
    ids = [e["id"] for e in entries]
    try:
        names = sorted(os.listdir(en_dir))
    except OSError as e:
        raise EmbedError(en_dir, "cannot read the translations folder: %s" % (e.strerror or e))
    known = set(ids)
    for name in names:
        if name.startswith("."):
            continue
        stem, ext = os.path.splitext(name)
        if ext != ".md" or stem not in known:
            raise EmbedError(os.path.join(en_dir, name), "not a translation file: translations "
                             "are named <entry id>.md after the ids in entries.json")
    result, missing, read = {}, [], []
    for ident in ids:
        path = os.path.join(en_dir, ident + ".md")
        if not os.path.exists(path):
            missing.append(ident)
            continue
        read.append(path)
        result[ident] = read_translation(path)
    if missing:
        raise EmbedError(en_dir, "missing English translations for %d of %d entries (each needs "
                         "%s/<id>.md): %s" % (len(missing), len(ids), os.path.basename(en_dir),
                                              ", ".join(missing)))
    return result, read


# ---------------------------------------------------------------------------------------------
# Reading the rule table

_C_TOKEN = re.compile(r'\s+|/\*.*?\*/|//[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|.',
                      re.S)


def c_tokens(text):
    """(kind, value, line) tokens of C source: 's' strings (unescaped enough for ids), 'i'
    identifiers, 'p' punctuation; comments and space dropped."""
    out, line = [], 1
    for m in _C_TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0] == '"':
            out.append(("s", tok[1:-1], line))
        elif tok[0].isalpha() or tok[0] == "_":
            out.append(("i", tok, line))
        elif not tok.isspace() and not tok.startswith("/*") and not tok.startswith("//"):
            out.append(("p", tok, line))
        line += tok.count("\n")
    return out


def read_rules(path, known_ids):
    """[(rule id, c_name, [entry ids])] from rules.def, plus the files read."""
    text = read_text(path)
    toks = c_tokens(text)
    rules, i = [], 0
    while i < len(toks):
        kind, value, line = toks[i]
        if not (kind == "i" and value == "RULE" and i + 1 < len(toks) and toks[i + 1][1] == "("):
            i += 1
            continue
        # Arguments: adjacent string literals concatenate; nested parentheses are skipped.
        args, cur, depth, j = [], [], 0, i + 2
        while j < len(toks):
            k, v, _ = toks[j]
            if k == "p" and v == "(":
                depth += 1
            elif k == "p" and v == ")":
                if depth == 0:
                    break
                depth -= 1
            elif k == "p" and v == "," and depth == 0:
                args.append(cur)
                cur = []
                j += 1
                continue
            cur.append((k, v))
            j += 1
        else:
            raise EmbedError(path, "RULE( is never closed", line)
        args.append(cur)
        if len(args) < 5:
            raise EmbedError(path, "a RULE row needs at least 5 arguments", line)

        def one(arg, allow_null):
            if allow_null and arg == [("i", "NULL")]:
                return None
            if arg and all(k == "s" for k, _ in arg):
                return "".join(v for _, v in arg)
            raise EmbedError(path, "a RULE row's id and entries must be string literals%s"
                             % (" or NULL" if allow_null else ""), line)

        if len(args[0]) != 1 or args[0][0][0] != "i":
            raise EmbedError(path, "a RULE row starts with the rule's C name", line)
        c_name = args[0][0][1]
        rule_id = one(args[1], False)
        entries = [e for e in (one(args[3], False), one(args[4], True)) if e is not None]
        for e in entries:
            if e not in known_ids:
                raise EmbedError(path, "rule %s quotes entry %s, which entries.json does not "
                                 "have" % (quote(rule_id), quote(e)), line)
        rules.append((rule_id, c_name, entries))
        i = j + 1
    if not rules:
        raise EmbedError(path, "no RULE rows")
    # Per-finding entries: ids written as string literals in the rule's own source file.
    read = []
    directory = os.path.dirname(path)
    result = []
    for rule_id, c_name, entries in rules:
        src = os.path.join(directory, c_name + ".c")
        if os.path.exists(src):
            read.append(src)
            toks = c_tokens(read_text(src))
            for n, (k, v, line) in enumerate(toks):
                if k == "s" and v in known_ids and v not in entries:
                    entries.append(v)
                # `entry = "id"` / `.entry = "id"`: a per-finding entry must exist.
                if k == "i" and v == "entry" and n + 2 < len(toks) and toks[n + 1][1] == "=" \
                        and toks[n + 2][0] == "s" and toks[n + 2][1] not in known_ids:
                    raise EmbedError(src, "rule %s sets entry %s, which entries.json does not "
                                     "have" % (quote(rule_id), quote(toks[n + 2][1])), line)
        result.append((rule_id, c_name, entries))
    return result, read


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
        records.append({
            "id": entry["id"],
            "question": entry["heading"],
            "answer": answer,
            "anchor": anchors[i],
            "line": i + 1,
            "docs_url": entry.get("docs_url"),
            "anchors": list(entry.get("anchors") or []),
            "no_anchor_reason": entry.get("no_anchor_reason"),
            "en_question": None,
            "en_answer": None,
            "notes": [],
            "rules": [],
        })
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


def generate(records, doc_path, entries_path):
    arrays = []

    def literal(name, value, indent):
        if value is None:
            return "NULL"
        if len(value.encode("utf-8")) > MAX_LITERAL_BYTES:
            arrays.append(c_char_array(name, value))
            return name
        return c_string_literal(value, indent)

    body = []
    for n, rec in enumerate(records):
        body.append("  { /* %d: %s, line %d */" % (n + 1, rec["id"], rec["line"]))
        for key in ("id", "question", "answer", "anchor", "line", "en_question", "en_answer",
                    "notes", "docs_url", "anchors", "rules", "no_anchor_reason"):
            value = rec[key]
            if key == "line":
                expr = str(value)
            elif key == "notes":
                if value:
                    name = "kb_notes_%d" % n
                    rows = []
                    for k, (text, url) in enumerate(value):
                        rows.append("    {%s,\n     %s}," % (
                            literal("kb_text_%d_note_%d" % (n, k), text, "     "),
                            c_string_literal(url, "     ")))
                    arrays.append("static const KbNote %s[] = {\n%s\n};\n" % (name, "\n".join(rows)))
                    body.append("    .notes = %s, .note_count = %d," % (name, len(value)))
                continue
            elif key in ("anchors", "rules"):
                if value:
                    name = "kb_%s_%d" % (key, n)
                    rows = ",\n    ".join(c_string_literal(v, "    ") for v in value)
                    arrays.append("static const char *const %s[] = {\n    %s,\n};\n" % (name, rows))
                    body.append("    .%s = %s, .%s_count = %d," % (key, name, key[:-1], len(value)))
                continue
            else:
                if value is None:
                    continue
                expr = literal("kb_text_%d_%s" % (n, key), value, "    " + " " * (len(key) + 4))
            body.append("    .%s = %s," % (key, expr))
        body.append("  },")

    out = []
    out.append("/* Generated by knowledge/embed.py from %s, %s, rules.def and the translations:\n"
               " * do not edit. %d entries of the embedded knowledge base (see src/knowledge/kb.h). */\n"
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


def depfile_text(target, deps):
    def esc(p):
        return p.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")
    return "%s: %s\n" % (esc(target), " \\\n  ".join(esc(d) for d in deps))


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
    args = list(argv[1:])
    depfile = None
    if "--depfile" in args:
        k = args.index("--depfile")
        if k + 1 >= len(args):
            args = []
        else:
            depfile = args[k + 1]
            del args[k:k + 2]
    if len(args) != 5:
        sys.stderr.write("%s: usage: embed.py DOC.md ENTRIES.json RULES.def EN_DIR OUT.c "
                         "[--depfile OUT.d]\n" % PROG)
        return 2
    doc_path, entries_path, rules_path, en_dir, out_path = args
    try:
        lines = read_doc(doc_path)
        entries = read_entries(entries_path)
        records = build_records(doc_path, entries_path, lines, entries)
        by_id = {r["id"]: r for r in records}
        translations, en_read = read_translations(en_dir, entries)
        for ident, (question, answer, notes) in translations.items():
            by_id[ident].update(en_question=question, en_answer=answer, notes=notes)
        rules, rules_read = read_rules(rules_path, set(by_id))
        for rule_id, _, quoted in rules:
            for e in quoted:
                if rule_id not in by_id[e]["rules"]:
                    by_id[e]["rules"].append(rule_id)
        write_atomically(out_path, generate(records, doc_path, entries_path))
        if depfile:
            deps = [doc_path, entries_path, rules_path, en_dir] + en_read + rules_read
            write_atomically(depfile, depfile_text(out_path, deps))
    except EmbedError as e:
        sys.stderr.write("%s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
