#!/usr/bin/env python3
"""Scripted LSP sessions against `nodehint --stdio` (see lspclient.py). Each session_* function
is one server process. Usage: run_lsp_tests.py NODEHINT [SESSION...]. Prints failures, then
"N passed, N failed"."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from checks import done, ok  # noqa: E402
import lspclient  # noqa: E402
from lspclient import Client, frame, subset  # noqa: E402

NODEHINT = None

# A request handler with a sync call (line 4, characters 15-30: `fs.readFileSync`) and four
# nested callbacks (line 7, characters 50-61: the 4th `function ()`).
SRC = ("const fs = require('fs');\n"
       "const express = require('express');\n"
       "const app = express();\n"
       "app.get('/', (req, res) => {\n"
       "  const data = fs.readFileSync('x');\n"
       "  res.send(data);\n"
       "});\n"
       "a(function () { b(function () { c(function () { d(function () { }); }); }); });\n")
SYNC = ("sync-call-in-handler", 4, 15, 30)
HELL = ("callback-hell", 7, 50, 61)
URI = "file:///nonexistent-nodehint-test/app.js"

UTF8_CAPS = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
MD_CAPS = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}


def where(diags):
    return sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["character"]) for d in diags or [])


def rng(l1, c1, l2=None, c2=None):
    return {"start": {"line": l1, "character": c1},
            "end": {"line": l1 if l2 is None else l2, "character": c1 if c2 is None else c2}}


def client(args=("--stdio",), **kw):
    return Client(NODEHINT, args, **kw)


def finish(c, name):
    r, code = c.shutdown_exit()
    ok(r is not None and r.get("result", 1) is None, name + ": shutdown answers null", r)
    ok(code == 0, name + ": exit code 0 after shutdown", (code, c.stderr[-2000:]))
    ok(not c.framing_errors, name + ": stdout holds frames only", c.framing_errors)


# --- lifecycle ---------------------------------------------------------------------------

def session_lifecycle():
    c = client()
    r = c.request("textDocument/hover", {"textDocument": {"uri": URI},
                                         "position": {"line": 0, "character": 0}})
    ok(subset({"error": {"code": -32002}}, r), "request before initialize: -32002", r)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "javascript",
                                                       "version": 1, "text": SRC}})
    r = c.initialize()
    caps = r["result"]["capabilities"]
    ok(subset({"positionEncoding": "utf-16", "textDocumentSync": {"openClose": True, "change": 2},
               "hoverProvider": True}, caps), "initialize: capabilities", caps)
    ok("diagnosticProvider" not in caps, "no diagnosticProvider for a push-only client", caps)
    ok(r["result"]["serverInfo"]["name"] == "nodehint", "serverInfo")
    # The didOpen before initialize was dropped: hover finds no document.
    ok(c.hover(URI, 4, 20).get("result", 1) is None, "notification before initialize ignored")
    r = c.request("initialize", {"capabilities": {}})
    ok(subset({"error": {"code": -32600}}, r), "second initialize: -32600", r)
    r = c.request("shutdown")
    ok(subset({"result": None}, r), "shutdown")
    r = c.hover(URI, 0, 0)
    ok(subset({"error": {"code": -32600}}, r), "request after shutdown: -32600", r)
    c.notify("exit")
    ok(c.close() == 0, "exit after shutdown: 0")

    c = client(("lsp",))
    c.initialize()
    c.notify("exit")
    ok(c.close() == 1, "exit without shutdown: 1 (nodehint lsp)")

    c = client()
    c.initialize()
    code = c.close()
    ok(code == 1, "stdin EOF without shutdown exits (1)", code)
    c = client()
    c.initialize()
    c.request("shutdown")
    ok(c.close() == 0, "stdin EOF after shutdown exits 0")

    p = subprocess.run([NODEHINT, "lsp", "--help"], capture_output=True, timeout=30)
    ok(p.returncode == 0 and b"--stdio" in p.stdout, "nodehint lsp --help")
    p = subprocess.run([NODEHINT, "--help"], capture_output=True, timeout=30)
    ok(b"--stdio" in p.stdout, "nodehint --help mentions --stdio")
    p = subprocess.run([NODEHINT, "lsp", "--bogus"], capture_output=True, timeout=30)
    ok(p.returncode == 2, "unknown lsp option: exit 2")


def session_trace_and_ids():
    c = client()
    c.initialize()
    r = c.request("shutdown_nope", id="abc")
    ok(subset({"id": "abc", "error": {"code": -32601}}, r), "string id echoed; unknown method", r)
    r = c.request("nodehint/unknown", id=7)
    ok(subset({"id": 7, "error": {"code": -32601}}, r), "number id echoed", r)
    c.notify("nodehint/unknownNotification", {"x": 1})
    c.notify("$/unknown")
    c.notify("$/setTrace", {"value": "verbose"})
    c.open(URI, SRC)
    ok(c.wait_notification("$/logTrace") is not None, "$/setTrace verbose: $/logTrace sent")
    c.notify("$/setTrace", {"value": "off"})
    ok(c.hover(URI, 4, 20)["result"] is not None, "hover after unknown notifications")
    finish(c, "trace")


def session_cancel():
    c = client()
    c.initialize()
    c.open(URI, SRC)
    hover = {"jsonrpc": "2.0", "id": 50, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": URI}, "position": {"line": 4, "character": 20}}}
    cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 50}}
    c.send_raw(frame(hover) + frame(cancel))
    r = c.wait_response(50)
    ok(subset({"error": {"code": -32800}}, r), "$/cancelRequest of a queued request: -32800", r)
    c.notify("$/cancelRequest", {"id": 999})
    ok(c.hover(URI, 4, 20)["result"] is not None, "cancel of an unknown id is harmless")
    finish(c, "cancel")


# --- diagnostics -------------------------------------------------------------------------

def session_push_diagnostics():
    c = client()
    c.initialize()
    c.open(URI, SRC, version=3)
    msg = c.wait_notification("textDocument/publishDiagnostics")
    ok(msg and msg["params"]["version"] == 3, "publishDiagnostics carries the version", msg)
    diags = msg["params"]["diagnostics"]
    ok(where(diags) == sorted([SYNC, HELL]), "diagnostics on open", where(diags))
    d = next(d for d in diags if d["code"] == "sync-call-in-handler")
    ok(subset({"source": "nodehint", "severity": 2, "data": {"rule": "sync-call-in-handler",
                                                             "entry": "async-vs-sync"}}, d),
       "diagnostic fields", d)
    ok(d.get("codeDescription", {}).get("href", "").startswith("https://"), "codeDescription.href", d)
    # Full-content change.
    c.change(URI, 4, [{"text": SRC.replace("fs.readFileSync('x')", "await fs.promises.readFile('x')")
                       .replace("(req, res) =>", "async (req, res) =>")}])
    ok(where(c.wait_diagnostics(URI, 4)) == [HELL], "full change re-publishes")
    # Unknown document and a version going backwards: ignored.
    c.change("file:///nowhere.js", 9, [{"text": "x"}])
    c.change(URI, 2, [{"text": SRC}])
    c.settle(0.5)
    r = c.hover(URI, 4, 20)
    ok(r.get("result", 1) is None, "backwards version ignored (text unchanged)", r)
    ok(b"not open" in c.stderr and b"version 2 after 4" in c.stderr, "both logged", c.stderr[-1500:])
    # A document that is not JavaScript is not linted.
    c.open("file:///tmp/readme.md", "fs.readFileSync()", language="markdown")
    c.open("file:///tmp/x.mjs", SRC, language="whatever")
    ok(where(c.wait_diagnostics("file:///tmp/x.mjs")) == sorted([SYNC, HELL]), ".mjs by extension")
    # Tags and related information (rules written concurrently: checked loosely).
    c.open("file:///tmp/rel.js", "const b = new Buffer(10);\nconst fs = require('fs');\n"
           "fs.createReadStream('a').pipe(fs.createWriteStream('b'));\n")
    diags = c.wait_diagnostics("file:///tmp/rel.js") or []
    ok(any(d.get("tags") == [2] for d in diags), "a deprecated API is tagged Deprecated", diags)
    ok(any(subset({"relatedInformation": [{"location": {"uri": "file:///tmp/rel.js", "range": "*"},
                                           "message": "*"}]}, d) for d in diags),
       "relatedInformation carries the second location", diags)
    c.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
    ok(c.wait_diagnostics(URI) == [], "didClose clears diagnostics")
    pushes = [n for n in c.notifications if n["method"] == "textDocument/publishDiagnostics"
              and n["params"]["uri"] == "file:///tmp/readme.md"]
    ok(not pushes, "nothing published for markdown", pushes)
    finish(c, "push")


def edit_session(encoding):
    caps = UTF8_CAPS if encoding == "utf-8" else {}
    c = client()
    r = c.initialize(caps)
    ok(r["result"]["capabilities"]["positionEncoding"] == encoding, "negotiated " + encoding)
    u8 = encoding == "utf-8"
    c.open(URI, SRC)
    ok(where(c.wait_diagnostics(URI, 1)) == sorted([SYNC, HELL]), encoding + ": open")
    # Insert Chinese + emoji before the sync call on its own line.
    ins = "/*中文😀*/"
    width = len(ins.encode()) if u8 else len(ins.encode("utf-16-le")) // 2   # 14 or 8
    c.change(URI, 2, [{"range": rng(4, 0), "text": ins}])
    ok(where(c.wait_diagnostics(URI, 2)) == sorted([("sync-call-in-handler", 4, 15 + width, 30 + width), HELL]),
       encoding + ": range moves after Chinese/emoji insert", where(c.notifications[-1]["params"]["diagnostics"]))
    # Insert right after the emoji comment (a position counted past the surrogate pair).
    c.change(URI, 3, [{"range": rng(4, width), "text": "  "}])
    ok(where(c.wait_diagnostics(URI, 3)) == sorted([("sync-call-in-handler", 4, 17 + width, 32 + width), HELL]),
       encoding + ": edit after the emoji", where(c.notifications[-1]["params"]["diagnostics"]))
    # A line of CJK and emoji before everything, then delete it again; two changes, one message.
    c.change(URI, 4, [{"range": rng(0, 0), "text": "// 你好😀世界\n"},
                      {"range": rng(0, 3, 1, 0), "text": "😀\n"}])
    ok(where(c.wait_diagnostics(URI, 4)) == sorted([("sync-call-in-handler", 5, 17 + width, 32 + width),
                                                    ("callback-hell", 8, 50, 61)]),
       encoding + ": lines move", where(c.notifications[-1]["params"]["diagnostics"]))
    # Hover lands on the moved identifier.
    h = c.hover(URI, 5, 17 + width + 4)
    ok(h["result"] and h["result"]["range"] == rng(5, 17 + width + 3, 5, 32 + width),
       encoding + ": hover range is the identifier", h)
    # Replace a range that starts inside the emoji (utf-16: inside the surrogate pair rounds
    # up to its end; utf-8: mid-character splits it, the document becomes invalid UTF-8).
    if not u8:
        c.change(URI, 5, [{"range": rng(0, 4, 0, 4), "text": "x"}])  # between the surrogates
        ok(where(c.wait_diagnostics(URI, 5)) == sorted([("sync-call-in-handler", 5, 17 + width, 32 + width),
                                                        ("callback-hell", 8, 50, 61)]),
           "utf-16: position inside a surrogate pair rounds up")
    else:
        c.change(URI, 5, [{"range": rng(0, 4, 0, 5), "text": ""}])  # removes 1 byte of 😀
        ok(c.wait_diagnostics(URI, 5) == [], "utf-8: split character → no diagnostics")
        ok(c.notified("window/showMessage", lambda p: "UTF-8" in p["message"]) is not None,
           "utf-8: showMessage says why")
        h = c.hover(URI, 5, 20)
        ok("result" in h, "hover still answers on an invalid document", h)
        c.change(URI, 6, [{"text": SRC}])
        ok(where(c.wait_diagnostics(URI, 6)) == sorted([SYNC, HELL]), "utf-8: full change recovers")
    finish(c, "edits " + encoding)


def session_edits_utf16():
    edit_session("utf-16")


def session_edits_utf8():
    edit_session("utf-8")


def session_crlf_and_eof():
    c = client()
    c.initialize()
    crlf = SRC.replace("\n", "\r\n")
    c.open(URI, crlf)
    ok(where(c.wait_diagnostics(URI, 1)) == sorted([SYNC, HELL]), "CRLF: open")
    # A character past the end of a CRLF line clamps before the \r.
    c.change(URI, 2, [{"range": rng(4, 500), "text": " "}])
    ok(where(c.wait_diagnostics(URI, 2)) == sorted([SYNC, HELL]), "CRLF: clamped insert keeps lines")
    c.change(URI, 3, [{"range": rng(0, 0), "text": "// 注释\r\n"}])
    ok(where(c.wait_diagnostics(URI, 3)) == sorted([("sync-call-in-handler", 5, 15, 30),
                                                    ("callback-hell", 8, 50, 61)]), "CRLF: insert line")
    # Lone CR counts as a line break too.
    c.change(URI, 4, [{"range": rng(0, 0), "text": "//\r"}])
    ok(where(c.wait_diagnostics(URI, 4)) == sorted([("sync-call-in-handler", 6, 15, 30),
                                                    ("callback-hell", 9, 50, 61)]), "lone CR is a line break")
    # Append at the end of file with a clamped far-away position: the new nesting is flagged
    # on the last line, and a diagnostic ending at EOF converts.
    tail = "a(function () { b(function () { c(function () { d(function () { }); }); }); });"
    c.change(URI, 5, [{"range": rng(9999, 9999, 10000, 0), "text": tail}])
    diags = c.wait_diagnostics(URI, 5)
    ok(("callback-hell", 10, 50, 61) in where(diags), "append at clamped EOF position", where(diags))
    c.change(URI, 6, [{"range": rng(10, 79, 10, 79), "text": ""}])
    h = c.hover(URI, 10, 55)
    ok(h["result"] is not None, "hover at the last line", h)
    h = c.hover(URI, 10, 9999)
    ok("result" in h, "hover past EOF answers", h)
    h = c.hover(URI, -5, -5)
    ok("result" in h, "negative position clamped", h)
    # Delete with start after end: swapped.
    c.change(URI, 7, [{"range": rng(10, 79, 10, 0), "text": ""}])
    diags = c.wait_diagnostics(URI, 7)
    ok(("callback-hell", 10, 50, 61) not in where(diags), "reversed range deletes the line", where(diags))
    finish(c, "crlf")


def session_queued_changes():
    c = client()
    c.initialize()
    c.open(URI, SRC)
    c.wait_diagnostics(URI, 1)
    blob = b""
    for v in range(2, 42):
        blob += frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                       "params": {"textDocument": {"uri": URI, "version": v},
                                  "contentChanges": [{"range": rng(0, 0), "text": "//x\n"}]}})
    c.send_raw(blob)
    diags = c.wait_diagnostics(URI, 41)
    ok(where(diags) == sorted([("sync-call-in-handler", 44, 15, 30), ("callback-hell", 47, 50, 61)]),
       "40 queued edits applied", where(diags))
    pubs = [n for n in c.notifications if n["method"] == "textDocument/publishDiagnostics"]
    ok(len(pubs) <= 3, "queued edits analysed in few batches (%d publishes for 40 edits)" % (len(pubs) - 1))
    finish(c, "queued")


def session_pull():
    c = client()
    caps = {"textDocument": {"diagnostic": {"dynamicRegistration": False}},
            "workspace": {"diagnostics": {"refreshSupport": True}}}
    r = c.initialize(caps)
    ok(subset({"diagnosticProvider": {"interFileDependencies": False, "workspaceDiagnostics": False}},
              r["result"]["capabilities"]), "diagnosticProvider advertised", r)
    c.open(URI, SRC)
    doc = {"textDocument": {"uri": URI}}
    r = c.request("textDocument/diagnostic", doc)["result"]
    ok(r["kind"] == "full" and where(r["items"]) == sorted([SYNC, HELL]), "pull: full report", r)
    rid = r["resultId"]
    r = c.request("textDocument/diagnostic", dict(doc, previousResultId=rid))["result"]
    ok(r == {"kind": "unchanged", "resultId": rid}, "pull: unchanged", r)
    c.change(URI, 2, [{"range": rng(4, 0), "text": "😀"}])
    r = c.request("textDocument/diagnostic", dict(doc, previousResultId=rid))["result"]
    ok(r["kind"] == "full" and r["resultId"] != rid and
       ("sync-call-in-handler", 4, 17, 32) in where(r["items"]), "pull: after an edit", r)
    c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {"rules": {"callback-hell": "off"}}}})
    ok(c._pump(lambda m: m.get("method") == "workspace/diagnostic/refresh", 10) is not None,
       "pull: settings change asks the client to refresh")
    r = c.request("textDocument/diagnostic", doc)["result"]
    ok(where(r["items"]) == [("sync-call-in-handler", 4, 17, 32)], "pull: settings applied", r)
    pushes = [n for n in c.notifications if n["method"] == "textDocument/publishDiagnostics"]
    ok(not pushes, "pull client gets no pushes", pushes)
    r = c.request("textDocument/diagnostic", {"textDocument": {"uri": "file:///nope.js"}})
    ok(subset({"result": {"kind": "full", "items": []}}, r), "pull: unknown document", r)
    r = c.request("textDocument/diagnostic", {"textDocument": 5})
    ok(subset({"error": {"code": -32602}}, r), "pull: bad params", r)
    finish(c, "pull")


# --- hover ---------------------------------------------------------------------------------

def session_hover():
    c = client()
    c.initialize(MD_CAPS)
    c.open(URI, SRC)
    c.wait_diagnostics(URI)
    h = c.hover(URI, 4, 20)["result"]
    ok(h and h["contents"]["kind"] == "markdown", "hover: markdown", h)
    v = h["contents"]["value"] if h else ""
    ok("node中的异步和同步怎么理解" in v and "sync-call-in-handler" in v, "hover: quotes the entry", v)
    ok(h and h["range"] == rng(4, 18, 4, 30), "hover: range is the identifier", h)
    h = c.hover(URI, 7, 52)["result"]
    ok(h and "如何避免回调地狱" in h["contents"]["value"], "hover: callback-hell entry", h)
    ok(c.hover(URI, 1, 3)["result"] is None, "hover on nothing: null")
    # An anchored API (the knowledge base's anchors): its entry, the identifier as range.
    c.open("file:///tmp/anchor.js", "const util = require('util');\nconst p = util.promisify(f);\n")
    h = c.hover("file:///tmp/anchor.js", 1, 17)["result"]
    ok(h and h["range"] == rng(1, 15, 1, 24) and h["contents"]["value"].startswith("###"),
       "hover on an anchored API (util.promisify)", h)
    ok(c.hover("file:///tmp/anchor.js", 0, 2)["result"] is None, "hover on a plain const: null")
    ok(c.hover("file:///unknown.js", 0, 0)["result"] is None, "hover on an unknown document: null")
    r = c.request("textDocument/hover", {"textDocument": {"uri": URI}})
    ok(subset({"error": {"code": -32602}}, r), "hover: bad params -32602", r)
    finish(c, "hover")

    c = client()
    c.initialize({"textDocument": {"hover": {"contentFormat": ["plaintext"]}}})
    c.open(URI, SRC)
    h = c.hover(URI, 4, 20)["result"]
    ok(h and h["contents"]["kind"] == "plaintext" and "###" not in h["contents"]["value"],
       "hover: plaintext for a plaintext client", h)
    finish(c, "hover plaintext")


# --- configuration ---------------------------------------------------------------------------

def session_configuration():
    c = client()
    c.initialize(MD_CAPS, init_options={"rules": {"callback-hell": "off"}, "hoverLanguage": "zh"})
    c.open(URI, SRC)
    ok(where(c.wait_diagnostics(URI)) == [SYNC], "initializationOptions turn a rule off")
    zh = c.hover(URI, 4, 20)["result"]["contents"]["value"]
    ok("node中的异步和同步怎么理解" in zh, "hoverLanguage zh: the Chinese quote", zh)
    c.notify("workspace/didChangeConfiguration",
             {"settings": {"nodehint": {"rules": {"sync-call-in-handler": "error",
                                                  "callback-hell": ["warning", {"maxDepth": 2}]}}}})
    diags = c.wait_diagnostics(URI)
    ok(("sync-call-in-handler", 4, 15, 30) in where(diags) and
       any(d["code"] == "sync-call-in-handler" and d["severity"] == 1 for d in diags),
       "didChangeConfiguration: severity error", diags)
    ok(any(d["code"] == "callback-hell" and d["range"]["start"]["line"] == 7 for d in diags),
       "didChangeConfiguration: options (maxDepth 2)", where(diags))
    c.notify("workspace/didChangeConfiguration",
             {"settings": {"nodehint": {"rules": {"sync-call-in-handler": "off"}}}})
    ok(where(c.wait_diagnostics(URI)) == [], "rule turned off: re-published without it")
    c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {"rules": {"nope": "off"}}}})
    m = c.wait_notification("window/showMessage")
    ok(m and "rules.nope" in m["params"]["message"], "bad settings: showMessage names the key", m)
    c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {"hoverLanguage": "xx"}}})
    m = c.wait_notification("window/showMessage")
    ok(m and "hoverLanguage" in m["params"]["message"], "bad hoverLanguage reported", m)
    c.settle(0.5)
    c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {"hoverLanguage": "en"}}})
    ok(where(c.wait_diagnostics(URI)) == [SYNC], "settings replaced: initializationOptions remain")
    en = c.hover(URI, 4, 20)["result"]["contents"]["value"]
    ok("### node中的异步和同步怎么理解" not in en and en != zh, "hoverLanguage en: no Chinese heading", en)
    c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {"hoverLanguage": "both"}}})
    c.wait_diagnostics(URI)
    both = c.hover(URI, 4, 20)["result"]["contents"]["value"]
    ok("node中的异步和同步怎么理解" in both and both != zh, "hoverLanguage both (default)", both)
    c.notify("workspace/didChangeConfiguration", {"settings": {"rules": {"sync-call-in-handler": "off"}}})
    ok(where(c.wait_diagnostics(URI)) == [], "settings without the nodehint wrapper")
    # Neovim encodes an empty Lua table as []: read as {} wherever settings expect an object.
    for empty in ({"nodehint": []}, {"nodehint": {"rules": []}},
                  {"nodehint": {"enable": True, "path": "/opt/nodehint", "rules": {}}},
                  {"nodehint": {"rules": {"sync-call-in-handler": ["warning", []]}}}):
        c.notify("workspace/didChangeConfiguration", {"settings": empty})
        ok(c.wait_diagnostics(URI) is not None and
           c.wait_notification("window/showMessage", timeout=0.5) is None,
           "empty Lua tables as settings: %s accepted" % json.dumps(empty))
    finish(c, "configuration")

    # workspace/configuration (pulled settings), with per-folder scope.
    tmp = tempfile.mkdtemp(prefix="nodehint-lsp-")
    try:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        os.makedirs(a)
        os.makedirs(b)
        ua, ub = "file://" + a, "file://" + b

        def settings(item):
            if item.get("scopeUri") == ub:
                return {"rules": {"callback-hell": "off"}}
            return {"rules": {"sync-call-in-handler": "info"}}

        c = client(settings=settings)
        c.initialize({"workspace": {"configuration": True, "workspaceFolders": True}},
                     folders=[ua, ub])
        req = c._pump(lambda m: m.get("method") == "workspace/configuration", 10)
        ok(req and len(req["params"]["items"]) == 3, "workspace/configuration: one item per folder", req)
        c.open(ua + "/x.js", SRC)
        c.open(ub + "/x.js", SRC)
        time.sleep(0.3)
        c.change(ua + "/x.js", 2, [{"range": rng(0, 0), "text": ""}])
        c.change(ub + "/x.js", 2, [{"range": rng(0, 0), "text": ""}])
        da = c.wait_diagnostics(ua + "/x.js", 2)
        db = c.wait_diagnostics(ub + "/x.js", 2)
        ok(any(d["code"] == "sync-call-in-handler" and d["severity"] == 3 for d in da) and
           ("callback-hell", 7, 50, 61) in where(da), "folder a: workspace settings", da)
        ok(where(db) == [SYNC], "folder b: its folder settings", where(db))
        finish(c, "workspace/configuration")
    finally:
        shutil.rmtree(tmp)


def session_rc_files():
    tmp = tempfile.mkdtemp(prefix="nodehint-lsp-")
    try:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        os.makedirs(os.path.join(a, "sub"))
        os.makedirs(b)
        with open(os.path.join(a, ".nodehintrc.json"), "w") as f:
            json.dump({"rules": {"callback-hell": "off"}, "ignore": ["gen/**"]}, f)
        with open(os.path.join(b, ".nodehintrc.json"), "w") as f:
            json.dump({"rules": {"sync-call-in-handler": "error"}}, f)
        ua, ub = "file://" + a, "file://" + b
        c = client()
        c.initialize(folders=[ua, ub])
        c.open(ua + "/sub/x.js", SRC)
        ok(where(c.wait_diagnostics(ua + "/sub/x.js")) == [SYNC], ".nodehintrc.json (nearest) applies")
        c.open(ub + "/x.js", SRC)
        db = c.wait_diagnostics(ub + "/x.js")
        ok(where(db) == sorted([SYNC, HELL]) and
           next(d for d in db if d["code"] == "sync-call-in-handler")["severity"] == 1,
           "multi-root: the other folder's config", db)
        c.open(ua + "/gen/y.js", SRC)
        ok(c.wait_diagnostics(ua + "/gen/y.js") == [], "ignore patterns apply")
        # The editor's settings override the file.
        c.notify("workspace/didChangeConfiguration",
                 {"settings": {"nodehint": {"rules": {"callback-hell": "error"}}}})
        d = c.wait_diagnostics(ua + "/sub/x.js")
        ok(("callback-hell", 7, 50, 61) in where(d), "editor settings override .nodehintrc.json", d)
        # A changed file on disk is reloaded on didSave.
        c.notify("workspace/didChangeConfiguration", {"settings": {"nodehint": {}}})
        c.wait_diagnostics(ua + "/sub/x.js")
        with open(os.path.join(a, ".nodehintrc.json"), "w") as f:
            json.dump({"rules": {"sync-call-in-handler": "off"}}, f)
        c.notify("textDocument/didSave", {"textDocument": {"uri": ua + "/.nodehintrc.json"}})
        ok(where(c.wait_diagnostics(ua + "/sub/x.js")) == [HELL], "didSave of .nodehintrc.json reloads")
        # A broken file: reported once, defaults used.
        with open(os.path.join(a, ".nodehintrc.json"), "w") as f:
            f.write("{ not json")
        c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": ua + "/.nodehintrc.json", "type": 2}]})
        m = c.notified("window/showMessage", lambda p: ".nodehintrc.json" in p["message"])
        ok(m is not None, "broken .nodehintrc.json reported", m)
        ok(where(c.wait_diagnostics(ua + "/sub/x.js")) == sorted([SYNC, HELL]), "broken file: defaults")
        # Folder removed / added.
        c.notify("workspace/didChangeWorkspaceFolders",
                 {"event": {"added": [{"uri": "file:///tmp", "name": "t"}], "removed": [{"uri": ub, "name": "b"}]}})
        ok(c.hover(ub + "/x.js", 4, 20)["result"] is not None, "folders change: still serving")
        finish(c, "rc files")
    finally:
        shutil.rmtree(tmp)


# --- bad input ---------------------------------------------------------------------------------

def session_bad_input():
    c = client(("--stdio", "--max-message-size", "100000"))
    c.initialize()
    c.open(URI, SRC)
    c.wait_diagnostics(URI)

    def still_ok(what):
        h = c.hover(URI, 4, 20)
        ok(h is not None and h.get("result") is not None, what + ": a following hover answers", h)

    c.send_raw(frame(b"{not json"))
    r = c._pump(lambda m: "error" in m, 10)
    ok(subset({"id": None, "error": {"code": -32700}}, r), "invalid JSON: -32700 with id null", r)
    still_ok("invalid JSON")
    for body in (b"[1,2]", b"42", b'{"jsonrpc":"2.0"}', b'{"id":3,"method":"x"}',
                 b'{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}',
                 b'{"jsonrpc":"2.0","id":4,"method":5}'):
        c.send_raw(frame(body))
        r = c._pump(lambda m: "error" in m, 10)
        ok(subset({"error": {"code": -32600}}, r), "not a request object %r: -32600" % body, r)
    ok(subset({"id": 3}, c.request("x", id=3) and {"id": 3}), "id echo")
    still_ok("invalid request")
    r = c.request("textDocument/definition", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
    ok(subset({"error": {"code": -32601}}, r), "unknown request: -32601", r)
    c.notify("textDocument/unknownThing", {})
    r = c.request("textDocument/hover", {"textDocument": {"uri": 5}, "position": {"line": "a"}})
    ok(subset({"error": {"code": -32602}}, r), "bad params: -32602", r)
    r = c.request("textDocument/hover", [1, 2])
    ok(subset({"error": {"code": -32602}}, r), "params array: -32602", r)
    c.send_raw(frame({"jsonrpc": "2.0", "id": 61, "method": "textDocument/hover", "params": 5}))
    r = c.wait_response(61)
    ok(subset({"error": {"code": -32602}}, r), "params scalar: -32602", r)
    still_ok("bad params")
    # Framing.
    body = json.dumps({"jsonrpc": "2.0", "id": 70, "method": "shutdown"}).encode()
    cases = {
        "missing Content-Length": b"Content-Type: application/json\r\n\r\n" + body,
        "negative Content-Length": b"Content-Length: -5\r\n\r\n" + body,
        "non-numeric Content-Length": b"Content-Length: abc\r\n\r\n" + body,
        "empty Content-Length": b"Content-Length: \r\n\r\n" + body,
        "huge Content-Length": b"Content-Length: 99999999999999999999999\r\n\r\n" + body,
        "garbage header": os.urandom(3000).replace(b"\n", b"x").replace(b"C", b"c") + b"\r\n\r\n",
        "garbage without end": b"x" * 20000,
    }
    for what, data in cases.items():
        c.send_raw(data)
        still_ok(what)
        ok(c.wait_response(70, timeout=0.2) is None, what + ": the body was not executed")
    big = b'{"jsonrpc":"2.0","id":71,"method":"shutdown","x":"' + b"y" * 200000 + b'"}'
    c.send_raw(frame(big))
    still_ok("over the limit")
    ok(c.wait_response(71, timeout=0.2) is None, "over the limit: body skipped, not executed")
    c.send_raw(b"\r\n\r\n")
    still_ok("stray blank lines")
    ok(b"Content-Length" in c.stderr and b"over the 100000-byte limit" in c.stderr, "framing errors logged",
       c.stderr[-3000:])
    logs = [n for n in c.notifications if n["method"] == "window/logMessage" and n["params"]["type"] == 1]
    ok(len(logs) >= 5, "framing errors also sent as window/logMessage", len(logs))
    # Documents.
    c.open("file:///tmp/bin.js", "const a = 1;\u0000\u0001\u0002")
    ok(c.wait_diagnostics("file:///tmp/bin.js") == [], "binary document: no diagnostics")
    m = c.notified("window/showMessage", lambda p: "binary" in p["message"])
    ok(m is not None, "binary document: showMessage", m)
    ok("result" in c.hover("file:///tmp/bin.js", 0, 14), "hover on a binary document answers")
    c.send_raw(frame(b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":'
                     b'{"uri":"file:///tmp/bad8.js","languageId":"javascript","version":1,"text":"\xff\xfe x"}}}'))
    r = c._pump(lambda m: "error" in m, 10)
    ok(subset({"error": {"code": -32700}}, r), "non-UTF-8 message: -32700", r)
    still_ok("non-UTF-8 document")
    c.open("file:///tmp/deep.js", "(" * 60000)
    ok(c.wait_diagnostics("file:///tmp/deep.js") == [], "too deep: no diagnostics")
    still_ok("deep document")
    c.change(URI, 1, [{"text": ""}])
    c.change(URI, 5, [{"range": {"start": {"line": 0}}, "text": "x"}])
    c.change(URI, 5, "nope")
    c.notify("textDocument/didOpen", {"textDocument": {"uri": 1}})
    c.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never-opened.js"}})
    still_ok("bad notifications")
    finish(c, "bad input")


def session_oversized_default():
    c = client()
    c.initialize()
    c.open(URI, SRC)
    c.wait_diagnostics(URI)
    limit = 64 << 20
    c.send_raw(b"Content-Length: %d\r\n\r\n" % (limit + 1) + b" " * (limit + 1))
    h = c.hover(URI, 4, 20)
    ok(h and h.get("result") is not None, "64 MiB + 1 message skipped; hover answers", h)
    ok(b"over the 67108864-byte limit" in c.stderr, "64 MiB limit logged", c.stderr[-500:])
    finish(c, "oversized")


SESSIONS = [v for k, v in sorted(globals().items()) if k.startswith("session_")]


def main():
    global NODEHINT
    NODEHINT = os.path.abspath(sys.argv[1])
    only = sys.argv[2:]
    for s in SESSIONS:
        name = s.__name__[len("session_"):]
        if only and name not in only:
            continue
        t = time.time()
        try:
            s()
        except Exception as e:  # a broken session is one failure, the others still run
            import traceback
            ok(False, "session %s raised %r" % (name, e), traceback.format_exc())
        for c in lspclient.CLIENTS:
            report = c.sanitizer_report()
            ok(report is None, "session %s: no sanitizer report" % name, (report or b"").decode("utf-8", "replace"))
        lspclient.CLIENTS.clear()
        sys.stdout.write("session %s: %.1fs\n" % (name, time.time() - t))
    return done()


if __name__ == "__main__":
    sys.exit(main())
