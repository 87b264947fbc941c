/* The shared analysis every rule relies on: module aliases through every spelling, scopes and
 * shadowing, request-handler detection. Each case parses a snippet and asks what the callee of
 * the call marked with an at-sign comment (slash-star-at-star-slash) resolves to. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/analyze.h"
#include "analysis/handlers.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "analysis/walk.h"
#include "check.h"

/* The internal pieces analyze_tree() wires together, driven step by step. */
typedef struct Probe {
  Analysis an;
  LintConfig config;
  DiagList out;
  TSTree *tree;
} Probe;

static Analyzer *analyzer;

static void probe_open(Probe *p, const char *src) {
  memset(p, 0, sizeof *p);
  lint_config_defaults(&p->config);
  p->tree = analyzer_parse(analyzer, src, strlen(src), NULL);
  analysis_init(&p->an, src, (uint32_t)strlen(src), &p->config, &p->out);
  bool none[RULE_COUNT] = {false};
  scope_push(&p->an, SCOPE_MODULE, ts_tree_root_node(p->tree));
  walk_run(&p->an, ts_tree_root_node(p->tree), none, NULL);
  scope_resolve_assignments(&p->an);
}

static void probe_close(Probe *p) {
  analysis_fini(&p->an);
  diag_list_fini(&p->out);
  ts_tree_delete(p->tree);
}

/* The call expression that starts right after the marker. */
static TSNode marked_call(Probe *p, const char *src) {
  const char *mark = strstr(src, "/*@*/");
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  if (!mark) return null_node;
  uint32_t at = (uint32_t)(mark - src) + 5;
  TSNode n = ts_node_descendant_for_byte_range(ts_tree_root_node(p->tree), at, at + 1);
  while (!ts_node_is_null(n) && node_kind(&p->an, n) != NK_CALL) n = ts_node_parent(n);
  /* The outermost call starting there: require('fs').readFileSync(…) is the whole chain. */
  for (TSNode up = ts_node_parent(n); !ts_node_is_null(up); up = ts_node_parent(up)) {
    if (ts_node_start_byte(up) != at) break;
    if (node_kind(&p->an, up) == NK_CALL) n = up;
  }
  return n;
}

/* Which scope is the marked call in? */
static uint32_t scope_at(Probe *p, TSNode node) { return scope_at_byte(&p->an, ts_node_start_byte(node)); }

static void expect_callee(const char *src, const char *want) {
  Probe p;
  probe_open(&p, src);
  TSNode call = marked_call(&p, src);
  StrBuf q;
  strbuf_init(&q);
  bool ok = !ts_node_is_null(call) &&
            modules_qualify(&p.an, node_field(call, p.an.syms->f_function), scope_at(&p, call), &q);
  if (want)
    CHECK_MSG(ok && strcmp(q.data, want) == 0, "%s\n  wanted %s, got %s", src, want,
              ok ? q.data : "(unknown)");
  else
    CHECK_MSG(!ok, "%s\n  wanted unknown, got %s", src, q.data);
  strbuf_fini(&q);
  probe_close(&p);
}

/* Is the function enclosing the marked call a request handler, and how is it described? */
static void expect_handler(const char *src, const char *want) {
  Probe p;
  probe_open(&p, src);
  TSNode call = marked_call(&p, src);
  uint32_t func = NONE, best = 0;
  for (uint32_t i = 0; i < p.an.funcs.size; i++) {
    TSNode fn = p.an.funcs.items[i].node;
    if (ts_node_start_byte(fn) <= ts_node_start_byte(call) &&
        ts_node_end_byte(fn) >= ts_node_end_byte(call) && ts_node_start_byte(fn) >= best) {
      best = ts_node_start_byte(fn);
      func = i;
    }
  }
  const HandlerInfo *info = NULL;
  bool is = func != NONE && handlers_enclosing(&p.an, func, &info) != NONE;
  char desc[256] = "";
  if (is) handlers_describe(info, desc, sizeof desc);
  if (want)
    CHECK_MSG(is && strcmp(desc, want) == 0, "%s\n  wanted '%s', got '%s'", src, want,
              is ? desc : "(not a handler)");
  else
    CHECK_MSG(!is, "%s\n  wanted no handler, got '%s'", src, desc);
  probe_close(&p);
}

int main(void) {
  analyzer = analyzer_create();
  if (!analyzer) return 2;

  /* CommonJS spellings */
  expect_callee("const fs = require('fs'); /*@*/fs.readFileSync('x');", "fs.readFileSync");
  expect_callee("var fs = require('node:fs'); /*@*/fs.readFileSync('x');", "fs.readFileSync");
  expect_callee("const { readFileSync } = require('fs'); /*@*/readFileSync('x');", "fs.readFileSync");
  expect_callee("const { readFileSync: rf } = require('node:fs'); /*@*/rf('x');", "fs.readFileSync");
  expect_callee("const rf = require('fs').readFileSync; /*@*/rf('x');", "fs.readFileSync");
  expect_callee("/*@*/require('fs').readFileSync('x');", "fs.readFileSync");
  expect_callee("const fsp = require('fs').promises; /*@*/fsp.readFile('x');", "fs.promises.readFile");
  expect_callee("const fsp = require('fs/promises'); /*@*/fsp.readFile('x');", "fs/promises.readFile");
  expect_callee("const { promises: { readFile } } = require('fs'); /*@*/readFile('x');", "fs.promises.readFile");
  expect_callee("const fs = require('fs'); const f2 = fs; const r = f2.readFileSync; /*@*/r();", "fs.readFileSync");
  expect_callee("let fs; fs = require('fs'); /*@*/fs.readFileSync('x');", "fs.readFileSync");
  expect_callee("const cp = require('child_process'); /*@*/cp['execSync']('ls');", "child_process.execSync");
  expect_callee("const app = require('express')(); /*@*/app.get('/', h);", "express().get");
  expect_callee("const express = require('express'); const r = express.Router(); /*@*/r.get('/', h);", "express.Router().get");
  /* ESM spellings */
  expect_callee("import fs from 'fs'; /*@*/fs.readFileSync('x');", "fs.readFileSync");
  expect_callee("import * as fs from 'node:fs'; /*@*/fs.readFileSync('x');", "fs.readFileSync");
  expect_callee("import { readFileSync } from 'node:fs'; /*@*/readFileSync('x');", "fs.readFileSync");
  expect_callee("import { readFileSync as rfs } from 'fs'; /*@*/rfs('x');", "fs.readFileSync");
  expect_callee("import fs, { statSync } from 'fs'; /*@*/statSync('x');", "fs.statSync");
  expect_callee("import { readFile } from 'fs/promises'; /*@*/readFile('x');", "fs/promises.readFile");
  /* scopes: shadowing, hoisting, unknown */
  expect_callee("const fs = require('fs'); function f(fs) { /*@*/fs.readFileSync('x'); }", NULL);
  expect_callee("const fs = require('fs'); function f() { const fs = other; /*@*/fs.readFileSync('x'); }", NULL);
  expect_callee("const fs = require('fs'); function f() { { let fs = 1; } /*@*/fs.readFileSync('x'); }", "fs.readFileSync");
  expect_callee("function f() { /*@*/fs.readFileSync('x'); } var fs = require('fs');", "fs.readFileSync");
  expect_callee("/*@*/fs.readFileSync('x');", NULL);
  expect_callee("const fs = require('fs'); try {} catch (fs) { /*@*/fs.readFileSync(); }", NULL);
  expect_callee("let fs = require('fs'); fs = mock; /*@*/fs.readFileSync('x');", NULL);
  expect_callee("const a = b, b = a; /*@*/a.readFileSync();", NULL);
  expect_callee("/*@*/process.nextTick(f);", "process.nextTick");
  expect_callee("const process = fake; /*@*/process.nextTick(f);", NULL);
  expect_callee("for (const fs of list) { /*@*/fs.readFileSync(); }", NULL);
  expect_callee("const fs = require('fs'); const { x = 1 } = {}; /*@*/fs.readFileSync();", "fs.readFileSync");

  /* handlers */
  expect_handler("const http = require('http'); http.createServer((req, res) => { /*@*/f(); });",
                 "the http.createServer request handler");
  expect_handler("const { createServer } = require('node:https'); createServer(opts, function (q, s) { /*@*/f(); });",
                 "the https.createServer request handler");
  expect_handler("const app = require('express')(); app.get('/users', (req, res) => { /*@*/f(); });",
                 "the request handler for GET /users");
  expect_handler("const app = require('express')(); app.get('/users', auth, function (rq, rs) { /*@*/f(); });",
                 "the request handler for GET /users");
  expect_handler("router.post('/items', async (req, res, next) => { /*@*/f(); });",
                 "the request handler for POST /items");
  expect_handler("app.use((err, req, res, next) => { /*@*/f(); });", "the express middleware");
  expect_handler("app.use(async (ctx, next) => { /*@*/f(); });", "the koa middleware");
  expect_handler("fastify.get('/', async (request, reply) => { /*@*/f(); });",
                 "the request handler for GET /");
  expect_handler("fastify.route({ method: 'GET', url: '/x', handler: async (request, reply) => { /*@*/f(); } });",
                 "the request handler for GET /x");
  expect_handler("app.get('/a', list); function list(req, res) { /*@*/f(); }",
                 "the request handler for GET /a");
  expect_handler("const list = (req, res) => { /*@*/f(); }; app.get('/a', list);",
                 "the request handler for GET /a");
  expect_handler("server.on('request', (req, res) => { /*@*/f(); });", "the server's 'request' listener");
  expect_handler("app.route('/book').get((req, res) => { /*@*/f(); });",
                 "the request handler for GET /book");
  expect_handler("app.get('/', (req, res) => { setTimeout(() => { /*@*/f(); }, 1); });",
                 "the request handler for GET /");
  expect_handler("app.listen(3000, () => { /*@*/f(); });", NULL);
  expect_handler("map.get('k', (a, b) => { /*@*/f(); });", NULL);
  expect_handler("page.on('request', (req) => { /*@*/f(); });", NULL);
  expect_handler("function helper(req, res) { /*@*/f(); }", NULL);
  expect_handler("cache.get(key, function (err, value) { /*@*/f(); });", NULL);
  expect_handler("program.command('x').action((req, res) => { /*@*/f(); });", NULL);
  expect_handler("app.get('/a', [auth, (req, res) => { /*@*/f(); }]);", "the request handler for GET /a");
  expect_handler("app.get('/a', asyncHandler(async (req, res) => { /*@*/f(); }));",
                 "the request handler for GET /a");
  expect_handler("ipcMain.on('request', (event, arg) => { /*@*/f(); });", NULL);
  expect_handler("function serve(root) { return function (req, res, next) { /*@*/f(); }; }",
                 "the request handler serve() returns");
  expect_handler("exports.list = (req, res) => { /*@*/f(); };", "the exported request handler list");
  expect_handler("export const list = async (req, res) => { /*@*/f(); };",
                 "the exported request handler list");
  expect_handler("module.exports = function (req, res) { /*@*/f(); };",
                 "the request handler this module exports");
  expect_handler("const http2 = require('http2'); http2.createSecureServer(o, (req, res) => { /*@*/f(); });",
                 "the http2.createSecureServer request handler");
  expect_handler("exports.format = (a, b) => { /*@*/f(); };", NULL);

  analyzer_destroy(analyzer);
  return CHECK_DONE();
}
