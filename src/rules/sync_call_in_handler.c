/* sync-call-in-handler: a blocking call — fs.*Sync, child_process.execSync/execFileSync/
 * spawnSync, zlib.*Sync, crypto.pbkdf2Sync/scryptSync/generateKeyPairSync, bcrypt/bcryptjs
 * hashSync/compareSync — lexically inside
 * an HTTP request handler (analysis/handlers.h), through any alias of the module.
 *
 * Module top level and functions that never serve a request are fine: the entry says blocking
 * I/O belongs to start-up (loading configuration, initialising). Entries: node中的异步和同步
 * 怎么理解, 实现一个简单的http服务器. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/handlers.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "base/utf.h"
#include "rules/rule.h"

typedef struct SyncCandidate {
  TSNode call;
  uint32_t scope;
  uint32_t func;
} SyncCandidate;

typedef struct SyncState {
  Array(SyncCandidate) candidates;
} SyncState;

/* Modules whose *Sync functions block like fs's do. */
static const char *const sync__fs_modules[] = {"fs", "fs-extra", "graceful-fs", NULL};

static void *sync__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(SyncState));
}

static void sync__destroy(void *state) {
  SyncState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

static void sync__enter(Analysis *an, void *state, TSNode call) {
  uint32_t func = analysis_func(an);
  if (func == NONE) return; /* module top level: start-up code */
  TSNode callee = node_unparen(an, node_field(call, an->syms->f_function));
  char name[64];
  if (!node_callee_name(an, callee, name, sizeof name)) return;
  size_t len = strlen(name);
  /* A bare identifier may be a renamed import (`const { spawnSync: spawn } = …`,
   * `const exists = fs.existsSync`): only resolving it after the walk can tell. A member
   * call keeps the real function name in its property. */
  bool sync_name = len > 4 && strcmp(name + len - 4, "Sync") == 0;
  if (!sync_name && node_kind(an, callee) != NK_IDENTIFIER) return;
  SyncState *s = state;
  array_push(&s->candidates, ((SyncCandidate){call, analysis_scope(an), func}));
}

/* The async equivalent to suggest for a blocking function, or NULL if `qualified` is not one
 * this rule reports. */
static bool sync__advice(const char *qualified, char *advice, size_t cap) {
  const char *dot = strrchr(qualified, '.');
  if (!dot) return false;
  size_t module_len = (size_t)(dot - qualified);
  const char *fn = dot + 1;
  size_t fn_len = strlen(fn);
  char module[64];
  if (module_len >= sizeof module || fn_len <= 4 || strcmp(fn + fn_len - 4, "Sync") != 0)
    return false;
  memcpy(module, qualified, module_len);
  module[module_len] = '\0';
  int base_len = (int)(fn_len - 4); /* without "Sync" */
  for (const char *const *m = sync__fs_modules; *m; m++) {
    if (strcmp(module, *m) != 0) continue;
    if (strcmp(fn, "existsSync") == 0)
      snprintf(advice, cap, "fs.promises.access() (fs.exists is deprecated)");
    else
      snprintf(advice, cap, "fs.promises.%.*s() or the callback form fs.%.*s()", base_len, fn,
               base_len, fn);
    return true;
  }
  if (strcmp(module, "child_process") == 0) {
    if (strcmp(fn, "execSync") && strcmp(fn, "execFileSync") && strcmp(fn, "spawnSync"))
      return false;
    snprintf(advice, cap, "child_process.%.*s() (or util.promisify(child_process.%.*s))",
             base_len, fn, base_len, fn);
    return true;
  }
  if (strcmp(module, "zlib") == 0) {
    snprintf(advice, cap, "zlib.%.*s() with a callback, or a zlib stream", base_len, fn);
    return true;
  }
  /* bcrypt's hashing is meant to be slow (tens of milliseconds at the usual cost). */
  if (strcmp(module, "bcrypt") == 0 || strcmp(module, "bcryptjs") == 0) {
    if (strcmp(fn, "hashSync") && strcmp(fn, "compareSync")) return false;
    snprintf(advice, cap, "%s.%.*s(), which returns a Promise", module, base_len, fn);
    return true;
  }
  if (strcmp(module, "crypto") == 0) {
    if (strcmp(fn, "pbkdf2Sync") && strcmp(fn, "scryptSync") && strcmp(fn, "generateKeyPairSync"))
      return false;
    snprintf(advice, cap, "crypto.%.*s() with a callback", base_len, fn);
    return true;
  }
  return false;
}

static void sync__finish(Analysis *an, void *state) {
  SyncState *s = state;
  StrBuf q;
  strbuf_init(&q);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    SyncCandidate c = s->candidates.items[i];
    TSNode callee = node_field(c.call, an->syms->f_function);
    strbuf_clear(&q);
    if (!modules_qualify(an, callee, c.scope, &q)) continue;
    char advice[160];
    if (!sync__advice(q.data, advice, sizeof advice)) continue;
    const HandlerInfo *info = NULL;
    if (handlers_enclosing(an, c.func, &info) == NONE) continue;
    char where[192];
    handlers_describe(info, where, sizeof where);
    /* Name the call as written, and what it resolves to when that differs. A callee split
     * over lines (`fs\n  .readdirSync`) is written without its blanks: a message is one line. */
    size_t text_len;
    const char *text = node_text(an, callee, &text_len);
    char written[64];
    size_t written_len = 0;
    for (size_t k = 0; k < text_len && written_len + 1 < sizeof written; k++)
      if (text[k] != ' ' && text[k] != '\t' && text[k] != '\n' && text[k] != '\r')
        written[written_len++] = text[k];
    /* Cut at a character boundary if it did not fit. */
    if (written_len + 1 == sizeof written)
      written_len = utf8_truncate(written, written_len, written_len);
    written[written_len] = '\0';
    bool same = written_len == q.len && memcmp(written, q.data, q.len) == 0;
    if (same)
      rule_report(an, RULE_sync_call_in_handler, callee,
                  "%s() blocks the event loop inside %s: every other request waits; use %s",
                  q.data, where, advice);
    else
      rule_report(an, RULE_sync_call_in_handler, callee,
                  "%.*s() (%s) blocks the event loop inside %s: every other request waits; use %s",
                  (int)written_len, written, q.data, where, advice);
  }
  strbuf_fini(&q);
}

static const NodeKind sync__kinds[] = {NK_CALL, NK_OTHER};

static const char *const sync_call_in_handler__required_words[] = {"Sync", NULL};

const RuleHooks rule_hooks_sync_call_in_handler = {
    .required_words = sync_call_in_handler__required_words,
    .node_kinds = sync__kinds,
    .create = sync__create,
    .destroy = sync__destroy,
    .enter = sync__enter,
    .finish = sync__finish,
};
