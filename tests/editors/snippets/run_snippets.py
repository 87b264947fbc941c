#!/usr/bin/env python3
"""The editor snippets that have no editor in Debian (Helix, Sublime Text LSP, Zed) are checked
without the editor: each file is parsed in its real format (TOML; Sublime's and Zed's JSON with
comments), its structure is checked (server name, command line, languages), and then the
server is run from the command line the snippet gives, fed the way that editor feeds it:
  - Helix: `config` as initializationOptions, then didChangeConfiguration {settings: config};
    workspace/configuration answered by looking the section up in `config`; languageIds
    javascript (and javascriptreact for jsx).
  - Sublime LSP: `settings` with dotted keys expanded; didChangeConfiguration and
    workspace/configuration from them.
  - Zed (editors/zed extension): workspace configuration {"nodehint": lsp.nodehint.settings};
    the command is `nodehint` plus the extension's default arguments (read from src/lib.rs).
Each session: initialize, the demo's app.js and a .jsx file get diagnostics with rule ids; the
snippet's hoverLanguage, switched to "en", reaches the server (the hover loses the Chinese
entry); no settings complaint; shutdown + exit = 0.
Last, the copies of the snippets in editors/README.md, editors/nvim/README.md (and README.md,
where the lead pasted them) must equal the files: a fenced block right after
`<!-- snippet: PATH -->`.

usage: run_snippets.py NODEHINT SOURCE_ROOT
"""
import copy
import json
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "lsp"))
from checks import ok, done  # noqa: E402
from lspclient import Client  # noqa: E402

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

SNIPPETS = ["editors/helix/languages.toml", "editors/sublime/LSP.sublime-settings",
            "editors/zed/settings.json", "editors/zed/extension.toml",
            "editors/emacs/nodehint-eglot.el", "editors/nvim/snippets/vim-lsp-config.lua",
            "editors/nvim/snippets/lspconfig.lua"]
# Where the copies must be (README.md: only where the lead pasted them).
README_COPIES = [("editors/README.md", SNIPPETS[:5]), ("editors/nvim/README.md", SNIPPETS[5:]),
                 ("README.md", [])]

JSX = """import React from 'react';
import fs from 'fs';
import express from 'express';

const app = express();
app.get('/page', (req, res) => {
  res.send(String(<div>{fs.readFileSync('page.txt', 'utf8')}</div>));
});
"""


def strip_jsonc(text):
    """JSON with // and /* */ comments and trailing commas (Sublime's and Zed's settings) →
    JSON. Strings are copied untouched."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def load_jsonc(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(strip_jsonc(f.read()))


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def expand_dotted(settings):
    """Sublime LSP's "a.b": v → {"a": {"b": v}}."""
    out = {}
    for key, value in settings.items():
        node = out
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def lookup(config, section):
    node = config
    for part in section.split(".") if section else []:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def session(name, binary, args, demo, q_zh, q_en, init_options=None, configuration=None,
            did_change=None, jsx_language="javascriptreact"):
    """One editor-like session; configuration(section) answers workspace/configuration."""
    client = Client(binary, args=args, cwd=demo,
                    settings=(lambda item: configuration(item.get("section")))
                    if configuration else None)
    root = "file://" + demo
    reply = client.initialize(
        capabilities={"workspace": {"configuration": configuration is not None},
                      "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}},
        init_options=init_options, folders=[root], root_uri=root)
    if not ok(reply and "result" in reply, "%s: `%s` answers initialize"
              % (name, " ".join([os.path.basename(binary)] + list(args))), reply):
        client.close()
        return
    if did_change is not None:
        client.notify("workspace/didChangeConfiguration", {"settings": did_change})
    uri = root + "/app.js"
    with open(os.path.join(demo, "app.js"), encoding="utf-8") as f:
        client.open(uri, f.read())
    diags = client.wait_diagnostics(uri)
    codes = sorted((d.get("code"), d["range"]["start"]["line"]) for d in diags or [])
    ok(("sync-call-in-handler", 20) in codes, "%s: app.js gets sync-call-in-handler on line 21"
       % name, codes)
    ok(all(d.get("source") == "nodehint" and d.get("code") for d in diags or []),
       "%s: every diagnostic has source nodehint and a rule id" % name, diags)
    juri = root + "/page.jsx"
    client.open(juri, JSX, language=jsx_language)
    jcodes = [d.get("code") for d in client.wait_diagnostics(juri) or []]
    ok("sync-call-in-handler" in jcodes, "%s: a .jsx file (languageId %s) is linted"
       % (name, jsx_language), jcodes)
    hover = client.hover(uri, 20, 18)
    text = json.dumps(hover.get("result"), ensure_ascii=False) if hover else ""
    # "both" (the default) shows the Chinese entry, then the English one; "en" only the English
    # (the Chinese question stays in the closing "Q&A:" line).
    ok(("### " + q_en) in text and ("### " + q_zh) not in text,
       "%s: the snippet's hoverLanguage (set to \"en\") reaches the server" % name, text[:400])
    complaints = [n["params"]["message"] for n in client.notifications
                  if n["method"] == "window/showMessage" and n["params"].get("type") in (1, 2)]
    ok(not complaints, "%s: no settings complaint (window/showMessage)" % name, complaints)
    r, code = client.shutdown_exit()
    ok(code == 0, "%s: shutdown + exit, exit code 0" % name, code)
    report = client.sanitizer_report()
    ok(report is None, "%s: no sanitizer report" % name, report)


def check_readme_copies(root):
    marker = re.compile(r"<!-- snippet: (\S+) -->\s*\n```[\w-]*\n(.*?)```", re.S)
    for readme, required in README_COPIES:
        path = os.path.join(root, readme)
        if not os.path.exists(path):
            ok(not required, "%s exists" % readme)
            continue
        with open(path, encoding="utf-8") as f:
            found = {m.group(1): m.group(2) for m in marker.finditer(f.read())}
        for snippet in required:
            ok(snippet in found, "%s shows %s (after <!-- snippet: %s -->)"
               % (readme, snippet, snippet))
        for snippet, copy_text in sorted(found.items()):
            source = os.path.join(root, snippet)
            if not ok(os.path.exists(source), "%s: snippet file %s exists" % (readme, snippet)):
                continue
            with open(source, encoding="utf-8") as f:
                ok(copy_text == f.read(), "%s: its copy of %s equals the file"
                   % (readme, snippet), copy_text)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1])
        return 2
    nodehint, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with open(os.path.join(root, "knowledge", "entries.json"), encoding="utf-8") as f:
        entry = {e["id"]: e for e in json.load(f)}["async-vs-sync"]
    q_zh = entry["heading"]
    q_en = "How should asynchronous and synchronous be understood in Node?"
    if tomllib is None:
        print("SKIP: Python %s has no tomllib (3.11+ needed to parse the TOML snippets)"
              % sys.version.split()[0])
        return 77

    with tempfile.TemporaryDirectory(prefix="nodehint-snippets-") as tmp:
        demo = os.path.join(tmp, "demo")
        shutil.copytree(os.path.join(root, "examples"), demo)
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(nodehint, os.path.join(bindir, "nodehint"))

        def resolve(command):
            found = shutil.which(command, path=bindir)
            ok(found is not None, "the snippets' command `%s` is nodehint" % command)
            return found or nodehint

        # --- Helix ---
        helix = load_toml(os.path.join(root, "editors/helix/languages.toml"))
        server = helix.get("language-server", {}).get("nodehint", {})
        ok(server.get("command") == "nodehint" and server.get("args") == ["--stdio"],
           "helix: [language-server.nodehint] runs nodehint --stdio", server)
        langs = {lang["name"]: lang for lang in helix.get("language", [])}
        for name in ("javascript", "jsx"):
            ok("nodehint" in langs.get(name, {}).get("language-servers", []),
               "helix: language %s lists nodehint" % name, langs.get(name))
            ok("typescript-language-server" in langs.get(name, {}).get("language-servers", []),
               "helix: language %s keeps typescript-language-server" % name)
        config = copy.deepcopy(server.get("config", {}))
        ok(lookup(config, "nodehint.hoverLanguage") is not None,
           "helix: config holds the nodehint section (hoverLanguage)", config)
        if isinstance(config.get("nodehint"), dict):
            config["nodehint"]["hoverLanguage"] = "en"
        session("helix", resolve(server.get("command", "nodehint")), server.get("args", []),
                demo, q_zh, q_en, init_options=config,
                configuration=lambda section: lookup(config, section),
                did_change=config)

        # --- Sublime Text LSP ---
        sublime = load_jsonc(os.path.join(root, "editors/sublime/LSP.sublime-settings"))
        client = sublime.get("clients", {}).get("nodehint", {})
        command = client.get("command", [])
        ok(client.get("enabled") is True and command == ["nodehint", "--stdio"],
           "sublime: clients.nodehint is enabled and runs nodehint --stdio", client)
        selector = client.get("selector", "")
        ok(set(s.strip() for s in selector.split("|")) >= {"source.js", "source.jsx"},
           "sublime: selector covers source.js and source.jsx", selector)
        settings = expand_dotted(client.get("settings", {}))
        ok(lookup(settings, "nodehint.hoverLanguage") is not None,
           "sublime: settings hold nodehint.hoverLanguage", settings)
        if isinstance(settings.get("nodehint"), dict):
            settings["nodehint"]["hoverLanguage"] = "en"
        session("sublime", resolve(command[0] if command else "nodehint"), command[1:],
                demo, q_zh, q_en, init_options=client.get("initializationOptions"),
                configuration=lambda section: lookup(settings, section), did_change=settings)

        # --- Zed ---
        zed = load_jsonc(os.path.join(root, "editors/zed/settings.json"))
        ext = load_toml(os.path.join(root, "editors/zed/extension.toml"))
        cargo = load_toml(os.path.join(root, "editors/zed/Cargo.toml"))
        ok("nodehint" in ext.get("language_servers", {}) and
           "JavaScript" in ext["language_servers"]["nodehint"].get("languages", []),
           "zed: extension.toml registers server nodehint for JavaScript", ext)
        ok(cargo.get("lib", {}).get("crate-type") == ["cdylib"] and
           "zed_extension_api" in cargo.get("dependencies", {}),
           "zed: Cargo.toml builds a cdylib on zed_extension_api", cargo)
        servers = zed.get("languages", {}).get("JavaScript", {}).get("language_servers", [])
        ok("nodehint" in servers and "..." in servers,
           "zed: JavaScript's language_servers list nodehint and keep the defaults", servers)
        lsp = zed.get("lsp", {}).get("nodehint", {})
        ok("hoverLanguage" in lsp.get("settings", {}), "zed: lsp.nodehint.settings", lsp)
        with open(os.path.join(root, "editors/zed/src/lib.rs"), encoding="utf-8") as f:
            lib = f.read()
        m = re.search(r'unwrap_or_else\(\|\| vec!\[([^\]]*)\]\)', lib)
        args = re.findall(r'"([^"]*)"', m.group(1)) if m else []
        ok(args == ["--stdio"] and 'const SERVER: &str = "nodehint";' in lib and
           '"nodehint": settings' in lib,
           "zed: the extension runs nodehint --stdio and passes the settings as section nodehint",
           args)
        workspace = {"nodehint": copy.deepcopy(lsp.get("settings", {}))}
        workspace["nodehint"]["hoverLanguage"] = "en"
        session("zed", resolve("nodehint"), args, demo, q_zh, q_en,
                init_options=lsp.get("initialization_options"),
                configuration=lambda section: lookup(workspace, section), did_change=workspace)

    check_readme_copies(root)
    return done()


if __name__ == "__main__":
    sys.exit(main())
