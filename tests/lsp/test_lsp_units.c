/* Unit tests of the server's layers, in process: position conversion, framing, the JSON-RPC
 * envelope, and incremental edits checked against a fresh parse (the same tree, the same
 * diagnostics) over thousands of seeded random edits. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lsp/documents.h"
#include "lsp/lsp.h"
#include "lsp/position.h"
#include "lsp/rpc.h"
#include "lsp/transport.h"
#include "rules/settings.h"

static size_t to_off(const char *text, PosEncoding enc, int64_t line, int64_t ch) {
  LineIndex idx;
  line_index_init(&idx);
  line_index_build(&idx, text, strlen(text));
  size_t off = position_to_offset(&idx, text, strlen(text), enc, line, ch);
  line_index_fini(&idx);
  return off;
}

static void from_off(const char *text, PosEncoding enc, size_t off, uint32_t *line, uint32_t *ch) {
  LineIndex idx;
  line_index_init(&idx);
  line_index_build(&idx, text, strlen(text));
  position_from_offset(&idx, text, strlen(text), enc, off, line, ch);
  line_index_fini(&idx);
}

static void test_positions(void) {
  /* "a中😀b\r\nxy\rz": 中 is 3 bytes / 1 unit, 😀 4 bytes / 2 units. */
  const char *t = "a\xe4\xb8\xad\xf0\x9f\x98\x80" "b\r\nxy\rz";
  CHECK(to_off(t, POS_UTF16, 0, 0) == 0);
  CHECK(to_off(t, POS_UTF16, 0, 2) == 4);       /* after 中 */
  CHECK(to_off(t, POS_UTF16, 0, 3) == 8);       /* inside the pair: rounds up past 😀 */
  CHECK(to_off(t, POS_UTF16, 0, 4) == 8);
  CHECK(to_off(t, POS_UTF16, 0, 5) == 9);       /* end of line content, before \r\n */
  CHECK(to_off(t, POS_UTF16, 0, 99) == 9);      /* clamped before the terminator */
  CHECK(to_off(t, POS_UTF8, 0, 4) == 4);
  CHECK(to_off(t, POS_UTF8, 0, 99) == 9);
  CHECK(to_off(t, POS_UTF16, 1, 1) == 12);
  CHECK(to_off(t, POS_UTF16, 1, 9) == 13);      /* lone \r ends line 1 */
  CHECK(to_off(t, POS_UTF16, 2, 0) == 14);
  CHECK(to_off(t, POS_UTF16, 2, 5) == 15);      /* end of file */
  CHECK(to_off(t, POS_UTF16, 3, 0) == 15);      /* past the last line: end of file */
  CHECK(to_off(t, POS_UTF16, -1, -1) == 0);
  CHECK(to_off(t, POS_UTF16, 1, -7) == 11);
  uint32_t l, c;
  from_off(t, POS_UTF16, 8, &l, &c);
  CHECK(l == 0 && c == 4);
  from_off(t, POS_UTF8, 8, &l, &c);
  CHECK(l == 0 && c == 8);
  from_off(t, POS_UTF16, 10, &l, &c); /* between \r and \n: end of line 0 */
  CHECK(l == 0 && c == 5);
  from_off(t, POS_UTF16, 15, &l, &c);
  CHECK(l == 2 && c == 1);
  from_off(t, POS_UTF16, 999, &l, &c);
  CHECK(l == 2 && c == 1);
  from_off("", POS_UTF16, 0, &l, &c);
  CHECK(l == 0 && c == 0);
  from_off("x\n", POS_UTF16, 2, &l, &c); /* after a final newline: an empty last line */
  CHECK(l == 1 && c == 0);
  TSPoint p = position_ts_point("ab\ncd\r\nef", 8);
  CHECK(p.row == 2 && p.column == 1);
  p = position_ts_point_advance((TSPoint){3, 4}, "x\ny", 3);
  CHECK(p.row == 4 && p.column == 1);
  p = position_ts_point_advance((TSPoint){3, 4}, "xyz", 3);
  CHECK(p.row == 3 && p.column == 7);
}

static TransportStatus read_one(Transport *t, char **body, size_t *len) {
  *body = NULL;
  return transport_read(t, body, len, true);
}

static void test_transport(void) {
  const char input[] =
      "Content-Length: 2\r\n\r\n{}"                       /* ok */
      "content-length:3\n\n[1]"                             /* lower case, bare \n */
      "\r\n"                                                /* stray blank line */
      "Content-Type: x\r\n\r\n{\"a\":1}"                    /* missing length: resync */
      "Content-Length: -4\r\n\r\nabcd"                      /* negative: resync */
      "Content-Length: 12x\r\n\r\nabcdefghijkl"             /* non-numeric: resync */
      "Content-Length: 30\r\n\r\n012345678901234567890123456789" /* over the cap (20): skipped */
      "Content-Length: 1\r\nContent-Type: y\r\n\r\n7"      /* extra header */
      "Content-Length: 9\r\n\r\nabc";                       /* truncated */
  Transport *t = transport_create_memory(input, sizeof input - 1, NULL, 20);
  char *body;
  size_t len;
  CHECK(read_one(t, &body, &len) == TRANSPORT_FRAME && len == 2 && memcmp(body, "{}", 2) == 0);
  free(body);
  CHECK(read_one(t, &body, &len) == TRANSPORT_FRAME && len == 3 && memcmp(body, "[1]", 3) == 0);
  free(body);
  CHECK(read_one(t, &body, &len) == TRANSPORT_BAD);
  CHECK(strstr(transport_error(t), "without Content-Length") != NULL);
  CHECK(read_one(t, &body, &len) == TRANSPORT_BAD);
  CHECK(read_one(t, &body, &len) == TRANSPORT_BAD);
  CHECK(read_one(t, &body, &len) == TRANSPORT_BAD);
  CHECK(strstr(transport_error(t), "over the 20-byte limit") != NULL);
  CHECK(read_one(t, &body, &len) == TRANSPORT_FRAME && len == 1 && body[0] == '7');
  free(body);
  CHECK(read_one(t, &body, &len) == TRANSPORT_EOF);
  CHECK(strstr(transport_error(t), "inside a message") != NULL);
  CHECK(read_one(t, &body, &len) == TRANSPORT_EOF);
  transport_destroy(t);

  /* Garbage with no header end: resynchronises at the next Content-Length. */
  char *garbage = malloc(20000 + 64);
  memset(garbage, 'x', 20000);
  strcpy(garbage + 20000, "Content-Length: 2\r\n\r\nok");
  t = transport_create_memory(garbage, strlen(garbage), NULL, 0);
  CHECK(read_one(t, &body, &len) == TRANSPORT_BAD);
  CHECK(read_one(t, &body, &len) == TRANSPORT_FRAME && len == 2 && memcmp(body, "ok", 2) == 0);
  free(body);
  transport_destroy(t);
  free(garbage);

  StrBuf out;
  strbuf_init(&out);
  t = transport_create_memory("", 0, &out, 0);
  CHECK(transport_write(t, "{}", 2));
  CHECK_STR_EQ(out.data, "Content-Length: 2\r\n\r\n{}");
  transport_destroy(t);
  strbuf_fini(&out);
}

static void test_rpc(void) {
  static const struct {
    const char *body;
    RpcKind kind;
    int code;
  } cases[] = {
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}", RPC_REQUEST, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"m\",\"params\":{}}", RPC_REQUEST, 0},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[]}", RPC_NOTIFICATION, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}", RPC_RESPONSE, 0},
      {"{bad", RPC_INVALID, RPC_PARSE_ERROR},
      {"42", RPC_INVALID, RPC_INVALID_REQUEST},
      {"[]", RPC_INVALID, RPC_INVALID_REQUEST},
      {"{\"id\":1,\"method\":\"m\"}", RPC_INVALID, RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"m\"}", RPC_INVALID, RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}", RPC_INVALID, RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", RPC_INVALID, RPC_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":3}", RPC_INVALID, RPC_INVALID_PARAMS},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"m\"}", RPC_INVALID, RPC_PARSE_ERROR},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    RpcMessage m;
    rpc_message_parse(&m, cases[i].body, strlen(cases[i].body));
    CHECK_MSG(m.kind == cases[i].kind && (m.kind != RPC_INVALID || m.error_code == cases[i].code),
              "case %zu: kind %d code %d", i, (int)m.kind, m.error_code);
    rpc_message_fini(&m);
  }
}

/* --- incremental edits against fresh parses --- */

static uint64_t rng_state = 42;
static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((rng_state >> 33) % n);
}

static const char *const pieces[] = {
    "a(function () {", "});", "\n", "\r\n", "中文", "😀", " ", "fs.readFileSync('x')",
    "app.get('/', (req, res) => {", "(", ")", "{", "}", "'", "`", "//", "x", "const fs = require('fs');\n",
};

static void test_incremental(void) {
  Analyzer *analyzer = analyzer_create();
  CHECK(analyzer != NULL);
  if (!analyzer) return;
  LintConfig config;
  lint_config_defaults(&config);
  const char *start =
      "const fs = require('fs');\nconst app = require('express')();\n"
      "app.get('/', (req, res) => {\n  res.send(fs.readFileSync('x'));\n});\n"
      "a(function () { b(function () { c(function () { d(function () { }); }); }); });\n";
  DocumentStore store;
  documents_init(&store);
  Document *doc = documents_open(&store, "file:///t/inc.js", "javascript", 1, start, strlen(start));
  document_analyze(doc, analyzer, &config, 1 << 20, false, &store.clock);
  int mismatches = 0, compared = 0;
  for (int round = 0; round < 1500; round++) {
    PosEncoding enc = round % 2 ? POS_UTF8 : POS_UTF16;
    int edits = 1 + (int)rnd(4);
    for (int e = 0; e < edits; e++) {
      const char *piece = rnd(3) ? pieces[rnd(sizeof pieces / sizeof pieces[0])] : "";
      int64_t l1 = rnd(12), c1 = rnd(30), l2 = l1 + rnd(2), c2 = rnd(30);
      if (rnd(4)) { /* mostly edits that keep the program well-formed: whole lines */
        static const char *const lines[] = {
            "// ä¸­æð comment\n", "\n", "\r\n", "x();\r\n",
            "const s = 'ðä¸­';\n",
            "a(function () { b(function () { c(function () { d(function () { }); }); }); });\n",
            "app.post('/u', (req, res) => { fs.writeFileSync('f', req.body); });\n"};
        piece = rnd(3) ? lines[rnd(sizeof lines / sizeof lines[0])] : "";
        c1 = 0;
        c2 = 0;
        l2 = *piece ? l1 : l1 + 1;
        /* never cut a multi-line statement: only delete lines that are whole statements */
        if (!*piece) {
          const LineIndex *li = document_lines(doc);
          if ((size_t)l1 + 1 >= li->starts.size) continue;
          size_t a0 = li->starts.items[l1], b0 = li->starts.items[l1 + 1];
          const char *t = doc->text;
          bool whole = b0 > a0 && (t[a0] == '/' || t[a0] == 'x' || t[a0] == '\n' ||
                                   t[a0] == '\r' || strncmp(t + a0, "const s", 7) == 0 ||
                                   strncmp(t + a0, "a(function", 10) == 0 ||
                                   strncmp(t + a0, "app.post", 8) == 0);
          if (!whole) continue;
        }
      }
      if (enc == POS_UTF8) { /* keep UTF-8 positions on character boundaries */
        const LineIndex *lines = document_lines(doc);
        size_t o1 = position_to_offset(lines, doc->text, doc->len, POS_UTF16, l1, c1);
        size_t o2 = position_to_offset(lines, doc->text, doc->len, POS_UTF16, l2, c2);
        uint32_t a, b;
        position_from_offset(lines, doc->text, doc->len, POS_UTF8, o1, &a, &b);
        l1 = a, c1 = b;
        position_from_offset(lines, doc->text, doc->len, POS_UTF8, o2, &a, &b);
        l2 = a, c2 = b;
      }
      document_edit(doc, enc, l1, c1, l2, c2, piece, strlen(piece));
    }
    document_analyze(doc, analyzer, &config, 1 << 20, false, &store.clock);
    if (!doc->tree) continue;
    TSTree *fresh = analyzer_parse(analyzer, doc->text, doc->len, NULL);
    char *a = ts_node_string(ts_tree_root_node(doc->tree));
    char *b = ts_node_string(ts_tree_root_node(fresh));
    /* Error recovery may legitimately differ; well-formed text must parse the same. */
    if (!ts_node_has_error(ts_tree_root_node(fresh))) {
      compared++;
      if (strcmp(a, b) != 0) mismatches++;
      DiagList diags = ARRAY_EMPTY;
      analyze_tree(fresh, doc->text, doc->len, &config, &diags);
      bool same = diags.size == doc->diags.size;
      for (uint32_t i = 0; same && i < diags.size; i++)
        same = diags.items[i].rule == doc->diags.items[i].rule &&
               memcmp(&diags.items[i].range, &doc->diags.items[i].range, sizeof(SourceRange)) == 0;
      CHECK_MSG(same, "round %d: incremental diagnostics differ from a fresh analysis", round);
      diag_list_fini(&diags);
    }
    free(a);
    free(b);
    bool broken = ts_node_has_error(ts_tree_root_node(fresh));
    ts_tree_delete(fresh);
    /* Back to a well-formed text now and then, and when it grows. */
    if (doc->len > 4000 || (broken && rnd(2)))
      document_replace(doc, start, strlen(start));
  }
  CHECK_MSG(mismatches == 0, "%d of %d incremental trees differ from a fresh parse", mismatches, compared);
  CHECK_MSG(compared > 20, "only %d rounds compared", compared);
  documents_fini(&store);
  analyzer_destroy(analyzer);
}

static void frame(StrBuf *in, const char *body) {
  strbuf_printf(in, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
}

static void test_memory_session(void) {
  /* The loop over memory: a request before initialize, then initialize. */
  StrBuf in, out;
  strbuf_init(&in);
  strbuf_init(&out);
  frame(&in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\",\"params\":null}");
  frame(&in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
  frame(&in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}");
  frame(&in, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  int rc = lsp_run_memory(in.data, in.len, &out, NULL);
  CHECK(rc == 0);
  CHECK(strstr(out.data, "-32002") != NULL);
  CHECK(strstr(out.data, "\"positionEncoding\":\"utf-16\"") != NULL);
  strbuf_fini(&in);
  strbuf_fini(&out);
}

/* Documents beyond DOCUMENTS_MAX_TREES lose their tree; editing one of them again parses it from
 * scratch and must give the same diagnostics as before (nothing stale from the dropped tree). */
static void test_tree_cap(void) {
  Analyzer *analyzer = analyzer_create();
  CHECK(analyzer != NULL);
  if (!analyzer) return;
  LintConfig config;
  lint_config_defaults(&config);
  const char *text = "a(function () { b(function () { c(function () { d(function () { }); }); }); });\n";
  DocumentStore store;
  documents_init(&store);
  enum { OPEN = DOCUMENTS_MAX_TREES + 5 };
  Document *first = NULL;
  for (int i = 0; i < OPEN; i++) {
    char uri[64];
    snprintf(uri, sizeof uri, "file:///t/cap%d.js", i);
    Document *doc = documents_open(&store, uri, "javascript", 1, text, strlen(text));
    if (!first) first = doc;
    document_analyze(doc, analyzer, &config, 1 << 20, false, &store.clock);
    documents_trim_trees(&store);
  }
  int trees = 0;
  for (uint32_t i = 0; i < store.docs.size; i++) trees += store.docs.items[i]->tree != NULL;
  CHECK_MSG(trees == DOCUMENTS_MAX_TREES, "%d trees kept for %d documents", trees, OPEN);
  CHECK(first->tree == NULL && first->diags.size == 1); /* diagnostics survive the drop */
  SourceRange before = first->diags.items[0].range;
  document_edit(first, POS_UTF16, 0, 0, 0, 0, "\n", 1);
  document_analyze(first, analyzer, &config, 1 << 20, false, &store.clock);
  documents_trim_trees(&store);
  CHECK(first->tree != NULL && first->diags.size == 1);
  if (first->diags.size == 1)
    CHECK(first->diags.items[0].range.start_row == before.start_row + 1 &&
          first->diags.items[0].range.start_col == before.start_col);
  trees = 0;
  for (uint32_t i = 0; i < store.docs.size; i++) trees += store.docs.items[i]->tree != NULL;
  CHECK(trees == DOCUMENTS_MAX_TREES);
  documents_fini(&store);
  analyzer_destroy(analyzer);
}

int main(void) {
  test_positions();
  test_transport();
  test_rpc();
  test_incremental();
  test_tree_cap();
  test_memory_session();
  return CHECK_DONE();
}
