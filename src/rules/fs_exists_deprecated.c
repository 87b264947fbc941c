/* fs-exists-deprecated: fs.exists() (DEP0034), called or handed on as a function
 * (`async.filter(files, fs.exists, done)`, `util.promisify(fs.exists)`), through any alias:
 * `require('fs')`, `node:fs`, destructuring with renames, ESM default/namespace/named imports,
 * graceful-fs (a drop-in fs). Its callback breaks the error-first convention: it receives one
 * boolean, so `(err) => { if (err) … }` reads the answer upside down.
 *
 * Not reported: fs.existsSync (not deprecated), fs-extra's exists (a promise-returning
 * wrapper whose replacement is pathExists, a different library's API), path.exists, other
 * objects' exists(), a feature test such as `typeof fs.exists`. Entries: async都有哪些常用方法
 * (its async.filter example passes fs.exists), 读写一个文件有多少种方法. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/utf.h"
#include "rules/rule.h"

typedef struct ExistsCandidate {
  TSNode expr; /* the callee, or an argument that may be the function itself */
  TSNode call; /* the call (for the callee case), or a null node (argument case) */
  uint32_t scope;
} ExistsCandidate;

typedef struct ExistsState {
  Array(ExistsCandidate) candidates;
} ExistsState;

/* Modules whose `exists` is Node's fs.exists. */
static const char *const fs_exists__names[] = {"fs.exists", "graceful-fs.exists", NULL};

static void *fs_exists__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(ExistsState));
}

static void fs_exists__destroy(void *state) {
  ExistsState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

/* Could `expr` name fs.exists? A member `….exists`, or an identifier (a renamed import). */
static bool fs_exists__maybe(Analysis *an, TSNode expr) {
  switch (node_kind(an, expr)) {
    case NK_IDENTIFIER:
      return true;
    case NK_MEMBER:
      return node_text_eq(an, node_field(expr, an->syms->f_property), "exists");
    case NK_SUBSCRIPT: {
      char key[16];
      return node_string_value(an, node_field(expr, an->syms->f_index), key, sizeof key) &&
             strcmp(key, "exists") == 0;
    }
    default:
      return false;
  }
}

static void fs_exists__enter(Analysis *an, void *state, TSNode call) {
  ExistsState *s = state;
  const Syms *sy = an->syms;
  uint32_t scope = analysis_scope(an);
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (fs_exists__maybe(an, callee))
    array_push(&s->candidates, ((ExistsCandidate){callee, call, scope}));
  /* fs.exists handed to another function: async.filter(files, fs.exists, done). */
  TSNode args = node_field(call, sy->f_arguments);
  if (node_kind(an, args) != NK_ARGUMENTS) return;
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode arg = node_unparen(an, ts_node_named_child(args, i));
    if (fs_exists__maybe(an, arg))
      array_push(&s->candidates, ((ExistsCandidate){arg, null_node, scope}));
  }
}

/* Writes the expression as written, without blanks (a message is one line), into buf. */
static void fs_exists__written(Analysis *an, TSNode expr, char *buf, size_t cap) {
  size_t len, used = 0, k = 0;
  const char *t = node_text(an, expr, &len);
  for (; k < len && used + 1 < cap; k++)
    if (t[k] != ' ' && t[k] != '\t' && t[k] != '\n' && t[k] != '\r') buf[used++] = t[k];
  /* Cut short: end on a character boundary, then "…". */
  if (k < len && cap >= 4) {
    used = utf8_truncate(buf, used, cap - 4);
    memcpy(buf + used, "\xe2\x80\xa6", 3);
    used += 3;
  }
  buf[used] = '\0';
}

/* The name of the callback's first parameter when it reads like an error ("err"), else "". */
static void fs_exists__err_param(Analysis *an, TSNode call, char *buf, size_t cap) {
  static const char *const err_names[] = {"err", "error", "er", "_err", NULL};
  buf[0] = '\0';
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode fn = node_unparen(an, ts_node_named_child(args, i));
    if (!node_is_function(an, fn)) continue;
    char name[32];
    if (node_function_param_name(an, fn, 0, name, sizeof name)) {
      for (const char *const *w = err_names; *w; w++)
        if (strcmp(name, *w) == 0) {
          snprintf(buf, cap, "%s", name);
          return;
        }
    }
    return;
  }
}

static const char fs_exists__advice[] =
    "use fs.promises.access() or fs.access() (fs.existsSync() is not deprecated)";

static void fs_exists__finish(Analysis *an, void *state) {
  ExistsState *s = state;
  if (!s->candidates.size) return; /* most files: skip the scan of every binding below */
  StrBuf q;
  strbuf_init(&q);
  HolderSet holders;
  scope_member_holders(an, "exists", &holders);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    ExistsCandidate c = s->candidates.items[i];
    if (node_kind(an, c.expr) == NK_IDENTIFIER &&
        !scope_refers_to_one_of(an, c.scope, c.expr, &holders))
      continue;
    strbuf_clear(&q);
    if (!modules_qualify(an, c.expr, c.scope, &q)) continue;
    bool match = false;
    for (const char *const *m = fs_exists__names; *m && !match; m++)
      match = strcmp(q.data, *m) == 0;
    if (!match) continue;
    char written[64];
    fs_exists__written(an, c.expr, written, sizeof written);
    /* Name it as written, and what it resolves to when that differs. */
    bool call = !ts_node_is_null(c.call);
    char shown[160];
    if (strcmp(written, q.data) == 0)
      snprintf(shown, sizeof shown, "%s%s", q.data, call ? "()" : "");
    else
      snprintf(shown, sizeof shown, "%s%s (%s)", written, call ? "()" : "", q.data);
    Diag *d;
    if (!call) {
      d = rule_report(an, RULE_fs_exists_deprecated, c.expr,
                      "%s is deprecated (DEP0034) and is passed on as a function, but its "
                      "callback gets a single boolean, not (err, result); %s",
                      shown, fs_exists__advice);
    } else {
      char err[32];
      fs_exists__err_param(an, c.call, err, sizeof err);
      if (err[0])
        d = rule_report(an, RULE_fs_exists_deprecated, c.expr,
                        "%s is deprecated (DEP0034), and the first parameter `%s` of its "
                        "callback is a boolean (true when the path exists), not an error; %s",
                        shown, err, fs_exists__advice);
      else
        d = rule_report(an, RULE_fs_exists_deprecated, c.expr,
                        "%s is deprecated (DEP0034) and its callback breaks the error-first "
                        "convention (it gets only a boolean); %s",
                        shown, fs_exists__advice);
    }
    d->tags |= DIAG_TAG_DEPRECATED;
  }
  holder_set_fini(&holders);
  strbuf_fini(&q);
}

static const NodeKind fs_exists__kinds[] = {NK_CALL, NK_OTHER};

static const char *const fs_exists_deprecated__required_words[] = {"exists", NULL};

const RuleHooks rule_hooks_fs_exists_deprecated = {
    .required_words = fs_exists_deprecated__required_words,
    .node_kinds = fs_exists__kinds,
    .create = fs_exists__create,
    .destroy = fs_exists__destroy,
    .enter = fs_exists__enter,
    .finish = fs_exists__finish,
};
