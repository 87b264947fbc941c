/* libFuzzer target for the incremental-edit path: the bytes script a session — the client's
 * capabilities, a document, then incremental edits, full replacements, hovers and pulls at
 * fuzzed positions — which is framed and run through the server in memory. Text is drawn from
 * a vocabulary (JavaScript that triggers rules, CJK, emoji, CR/LF, U+2028) so edits land in
 * and around multi-byte characters and line breaks. The same edits are also applied straight to
 * a Document, and after each batch its incrementally reparsed tree must equal a fresh parse of
 * its text whenever that text parses without errors (else abort: an edit was mis-translated),
 * and its diagnostics — from the incremental analysis by top-level statement (analysis/units.h)
 * — must equal a full analysis of the same tree (else abort). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "lsp/documents.h"
#include "lsp/lsp.h"
#include "rules/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz__words[] = {
    "(", ")", "{", "}", "[", "]", ";", ",", "\n", "\r\n", "\r", " ", "=>", "function",
    "async ", "await ", "const ", "x", "y", "err", "req, res", "fs.readFileSync('a')",
    "require('fs')", "const fs = require('fs');\n", "app.get('/', (req, res) => {",
    "a(function () {", "b(() => {", "});", "})", "'", "\"", "`", "${", "/*", "*/", "//",
    "中", "文", "😀", "🎉", "é", "\xe2\x80\xa8", "\t", "\\", "0", "new Buffer(1)",
    "fs.exists('x', cb)", ".pipe(out)", "process.on('uncaughtException', e => {})",
    "bus.on('error', e => {});\n", "bus", "helper", "module.exports = exports;\n",
    "exports = {};\n", "eval(x);\n", "// nodehint-disable-next-line\n", ";(function () {\n",
    "})();\n", "process.on('unhandledRejection', r => {});\n", "load().then(show);\n",
};

/* Statements appended to the document when the input asks (flags & 4): edits land in its first
 * lines, so these mostly stay unchanged and the analysis is incremental (analysis/units.h) —
 * with module-scope names (fs, helper, bus) the edited lines can link to. */
static const char fuzz__tail[] =
    "\nconst fs = require('fs');\n"
    "function helper(err, data) { return data; }\n"
    "const bus = new (require('events'))();\n"
    "bus.on('data', helper);\n"
    "fs.readFile('x', helper);\n"
    ";(function () { a(function () { b(function () { c(function () { d(); }); }); }); })();\n"
    ";(function () { x(); })();\n;(function () { y(); })();\n;(function () { z(); })();\n"
    ";(function () { x(); })();\n;(function () { y(); })();\n;(function () { z(); })();\n"
    ";(function () { x(); })();\n;(function () { y(); })();\n;(function () { z(); })();\n"
    ";(function () { x(); })();\n;(function () { y(); })();\n;(function () { z(); })();\n";
#define FUZZ__WORDS (sizeof fuzz__words / sizeof fuzz__words[0])

typedef struct Reader {
  const uint8_t *p;
  size_t n;
} Reader;

static unsigned fuzz__byte(Reader *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}

/* A text of up to `max_words` vocabulary words. */
static void fuzz__text(Reader *r, StrBuf *out, unsigned max_words) {
  strbuf_clear(out);
  unsigned count = fuzz__byte(r) % (max_words + 1);
  for (unsigned i = 0; i < count; i++) strbuf_puts(out, fuzz__words[fuzz__byte(r) % FUZZ__WORDS]);
}

static void fuzz__send(StrBuf *in, json_t *msg) {
  char *body = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (!body) return;
  strbuf_printf(in, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  free(body);
}

static json_t *fuzz__position(Reader *r, json_int_t *line_out, json_int_t *char_out) {
  /* Mostly small values; sometimes far out of range. */
  unsigned a = fuzz__byte(r), b = fuzz__byte(r);
  json_int_t line = a < 240 ? a % 24 : (json_int_t)a * 100000;
  json_int_t character = b < 240 ? b % 40 : -(json_int_t)b;
  if (line_out) *line_out = line, *char_out = character;
  return json_pack("{s:I,s:I}", "line", line, "character", character);
}

/* Removes every " (comment)" from an S-expression, in place. */
static void fuzz__drop_comments(char *sexp) {
  static const char comment[] = " (comment)";
  char *out = sexp;
  for (const char *in = sexp; *in;) {
    if (strncmp(in, comment, sizeof comment - 1) == 0) {
      in += sizeof comment - 1;
      continue;
    }
    *out++ = *in++;
  }
  *out = '\0';
}

/* The oracles: the incremental tree of `doc` against a fresh parse of the same text, and its
 * incremental analysis against a full one. */
static void fuzz__check(Document *doc, Analyzer *analyzer, const LintConfig *config) {
  static uint64_t clock;
  document_analyze(doc, analyzer, config, 1 << 20, false, &clock);
  if (!doc->tree) return;
  DiagList full = ARRAY_EMPTY;
  analyze_tree(doc->tree, doc->text, doc->len, config, &full);
  if (full.size != doc->diags.size) abort();
  for (uint32_t i = 0; i < full.size; i++)
    if (!diag_equal(&full.items[i], &doc->diags.items[i])) abort();
  diag_list_fini(&full);
  TSTree *fresh = analyzer_parse(analyzer, doc->text, doc->len, NULL);
  if (!fresh) return;
  if (!ts_node_has_error(ts_tree_root_node(fresh))) {
    char *a = ts_node_string(ts_tree_root_node(doc->tree));
    char *b = ts_node_string(ts_tree_root_node(fresh));
    /* Where a comment hangs is not an edit's business: a trailing comment may end up inside
     * the statement before it in one parse and after it in the other (tree-sitter attaches
     * extras wherever the parse stack happens to be). Compare the trees without them. */
    fuzz__drop_comments(a);
    fuzz__drop_comments(b);
    if (strcmp(a, b) != 0) abort();
    free(a);
    free(b);
  }
  ts_tree_delete(fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Reader r = {data, size};
  StrBuf in, text;
  strbuf_init(&in);
  strbuf_init(&text);
  unsigned flags = fuzz__byte(&r);
  json_t *caps = json_object();
  if (flags & 1)
    json_object_set_new(caps, "general", json_pack("{s:[s,s]}", "positionEncodings", "utf-8", "utf-16"));
  if (flags & 2)
    json_object_set_new(caps, "textDocument", json_pack("{s:{s:[s]},s:{}}", "hover", "contentFormat",
                                                        "markdown", "diagnostic"));
  fuzz__send(&in, json_pack("{s:s,s:i,s:s,s:{s:o}}", "jsonrpc", "2.0", "id", 1, "method",
                            "initialize", "params", "capabilities", caps));
  fuzz__send(&in, json_pack("{s:s,s:s,s:{}}", "jsonrpc", "2.0", "method", "initialized", "params"));
  const char *uri = "untitled:fuzz.js";
  fuzz__text(&r, &text, 64);
  if (flags & 4) strbuf_puts(&text, fuzz__tail);
  json_t *open_text = json_stringn_nocheck(text.data, text.len);
  fuzz__send(&in, json_pack("{s:s,s:s,s:{s:{s:s,s:s,s:i,s:o}}}", "jsonrpc", "2.0", "method",
                            "textDocument/didOpen", "params", "textDocument", "uri", uri,
                            "languageId", "javascript", "version", 1, "text", open_text));
  PosEncoding enc = flags & 1 ? POS_UTF8 : POS_UTF16;
  Analyzer *analyzer = analyzer_create();
  LintConfig config;
  lint_config_defaults(&config);
  DocumentStore store;
  documents_init(&store);
  Document *doc = documents_open(&store, uri, "javascript", 1, text.data, text.len);
  fuzz__check(doc, analyzer, &config);
  int version = 1, id = 2;
  while (r.n) {
    unsigned op = fuzz__byte(&r) % 8;
    if (op <= 3) { /* incremental edits, 1-4 in one didChange */
      json_t *changes = json_array();
      for (unsigned k = 0; k <= op; k++) {
        json_int_t pos[4];
        json_t *start = fuzz__position(&r, &pos[0], &pos[1]), *end = fuzz__position(&r, &pos[2], &pos[3]);
        fuzz__text(&r, &text, 6);
        document_edit(doc, enc, pos[0], pos[1], pos[2], pos[3], text.data, text.len);
        json_array_append_new(changes, json_pack("{s:{s:o,s:o},s:o}", "range", "start", start, "end",
                                                 end, "text", json_stringn_nocheck(text.data, text.len)));
      }
      fuzz__send(&in, json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:o}}", "jsonrpc", "2.0", "method",
                                "textDocument/didChange", "params", "textDocument", "uri", uri,
                                "version", ++version, "contentChanges", changes));
      fuzz__check(doc, analyzer, &config);
    } else if (op == 4) { /* full replacement */
      fuzz__text(&r, &text, 32);
      document_replace(doc, text.data, text.len);
      fuzz__check(doc, analyzer, &config);
      fuzz__send(&in, json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:[{s:o}]}}", "jsonrpc", "2.0", "method",
                                "textDocument/didChange", "params", "textDocument", "uri", uri,
                                "version", ++version, "contentChanges", "text",
                                json_stringn_nocheck(text.data, text.len)));
    } else if (op <= 6) {
      fuzz__send(&in, json_pack("{s:s,s:i,s:s,s:{s:{s:s},s:o}}", "jsonrpc", "2.0", "id", id++,
                                "method", "textDocument/hover", "params", "textDocument", "uri",
                                uri, "position", fuzz__position(&r, NULL, NULL)));
    } else {
      fuzz__send(&in, json_pack("{s:s,s:i,s:s,s:{s:{s:s}}}", "jsonrpc", "2.0", "id", id++, "method",
                                "textDocument/diagnostic", "params", "textDocument", "uri", uri));
    }
  }
  fuzz__send(&in, json_pack("{s:s,s:i,s:s,s:{s:{s:s},s:{s:i,s:i}}}", "jsonrpc", "2.0", "id", id++,
                            "method", "textDocument/hover", "params", "textDocument", "uri", uri,
                            "position", "line", 0, "character", 0));
  fuzz__send(&in, json_pack("{s:s,s:i,s:s}", "jsonrpc", "2.0", "id", id++, "method", "shutdown"));
  fuzz__send(&in, json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", "exit"));
  documents_fini(&store);
  analyzer_destroy(analyzer);
  LspOptions options = {1 << 20, true, false};
  lsp_run_memory(in.data, in.len, NULL, &options);
  strbuf_fini(&in);
  strbuf_fini(&text);
  return 0;
}
