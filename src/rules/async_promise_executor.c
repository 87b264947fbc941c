/* async-promise-executor: `new Promise(async (resolve, reject) => …)` — an async function (or
 * the name of one declared in this file) as the executor. The Promise constructor ignores
 * what the executor returns, so when an async executor throws (or an awaited promise rejects)
 * the error goes into a promise nobody holds: the outer promise never settles and the process
 * gets an unhandled rejection instead.
 *
 * The constructor must be the global Promise (not shadowed), `global.Promise`/`globalThis.
 * Promise`, or bluebird's (`const Promise = require('bluebird')`), whose constructor drops an
 * async executor's rejection the same way. Any other local `Promise` (a parameter, a
 * polyfill of unknown origin) is not reported, nor is an executor whose whole body is one
 * try/catch that calls reject() in its catch (the error does settle the promise).
 * Entry: 什么是Promise. */
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/utf.h"
#include "rules/rule.h"

typedef struct ExecutorCandidate {
  TSNode new_expr;
  TSNode executor; /* the first argument, unparenthesized */
  uint32_t scope;
} ExecutorCandidate;

typedef struct ExecutorState {
  Array(ExecutorCandidate) candidates;
} ExecutorState;

/* What the constructor may resolve to. */
static const char *const executor__promises[] = {
    "Promise", "global.Promise", "globalThis.Promise", "bluebird", "bluebird.Promise", NULL,
};

static void *executor__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(ExecutorState));
}

static void executor__destroy(void *state) {
  ExecutorState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

static void executor__enter(Analysis *an, void *state, TSNode node) {
  const Syms *sy = an->syms;
  TSNode ctor = node_unparen(an, node_field(node, sy->f_constructor));
  NodeKind ck = node_kind(an, ctor);
  if (ck != NK_IDENTIFIER && ck != NK_MEMBER) return;
  if (ck == NK_MEMBER && !node_text_eq(an, node_field(ctor, sy->f_property), "Promise")) return;
  TSNode args = node_field(node, sy->f_arguments);
  if (node_kind(an, args) != NK_ARGUMENTS) return;
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t i = 0; i < n; i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (node_kind(an, arg) == NK_COMMENT) continue;
    arg = node_unparen(an, arg);
    NodeKind k = node_kind(an, arg);
    if (k == NK_FUNCTION_EXPRESSION || k == NK_ARROW_FUNCTION || k == NK_IDENTIFIER) {
      ExecutorState *s = state;
      array_push(&s->candidates, ((ExecutorCandidate){node, arg, analysis_scope(an)}));
    }
    return; /* only the first argument is the executor */
  }
}

/* Does the function node start with the `async` keyword? */
static bool executor__is_async(Analysis *an, TSNode fn) {
  NodeKind k = node_kind(an, fn);
  if (k != NK_FUNCTION_EXPRESSION && k != NK_ARROW_FUNCTION && k != NK_FUNCTION_DECLARATION)
    return false;
  TSNode first = ts_node_child(fn, 0);
  return !ts_node_is_null(first) && !ts_node_is_named(first) && node_text_eq(an, first, "async");
}

/* The async function an executor names: itself, or the function a const/function declaration
 * of this file binds to the identifier. Null node when not an async function. */
static TSNode executor__async_function(Analysis *an, TSNode executor, uint32_t scope,
                                       TSNode *declared) {
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  *declared = null_node;
  if (node_kind(an, executor) == NK_IDENTIFIER) {
    uint32_t b = scope_lookup_node(an, scope, executor);
    if (b == NONE) return null_node;
    const Binding *binding = &an->bindings.items[b];
    if (binding->flags & BINDING_REASSIGNED) return null_node;
    if (binding->path) return null_node;
    if (binding->kind != BIND_FUNCTION && binding->kind != BIND_CONST &&
        binding->kind != BIND_LET && binding->kind != BIND_VAR)
      return null_node;
    *declared = binding->name_node;
    executor = node_unparen(an, binding->value);
  }
  return executor__is_async(an, executor) ? executor : null_node;
}

static bool executor__ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Is the whole body of the executor one try/catch whose catch calls the executor's reject
 * parameter (`try { resolve(await load()); } catch (err) { reject(err); }`)? Then a throw or
 * rejection inside settles the outer promise after all: the error is not lost. The catch is
 * scanned as text for `reject(` (bounded work). */
static bool executor__body_guarded(Analysis *an, TSNode fn) {
  const Syms *sy = an->syms;
  TSNode body = node_field(fn, sy->f_body);
  if (node_kind(an, body) != NK_STATEMENT_BLOCK) return false;
  char reject[64];
  if (!node_function_param_name(an, fn, 1, reject, sizeof reject)) return false;
  TSNode try_node = {{0, 0, 0, 0}, NULL, NULL};
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode st = ts_node_named_child(body, i);
    NodeKind k = node_kind(an, st);
    if (k == NK_COMMENT) continue;
    if (k != NK_TRY || !ts_node_is_null(try_node)) return false;
    try_node = st;
  }
  if (ts_node_is_null(try_node)) return false;
  TSNode handler = ts_node_child_by_field_name(try_node, "handler", 7);
  if (ts_node_is_null(handler)) return false;
  size_t hlen, rlen = strlen(reject);
  const char *h = node_text(an, node_field(handler, sy->f_body), &hlen);
  if (hlen > 65536) return false;
  for (size_t i = 0; i + rlen < hlen; i++) {
    if (memcmp(h + i, reject, rlen) != 0) continue;
    if (i > 0 && (executor__ident_char(h[i - 1]) || h[i - 1] == '.')) continue;
    size_t j = i + rlen;
    while (j < hlen && (h[j] == ' ' || h[j] == '\t')) j++;
    if (j < hlen && h[j] == '(') return true;
  }
  return false;
}

static void executor__finish(Analysis *an, void *state) {
  ExecutorState *s = state;
  const Syms *sy = an->syms;
  StrBuf q;
  strbuf_init(&q);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    ExecutorCandidate c = s->candidates.items[i];
    TSNode declared;
    TSNode fn = executor__async_function(an, c.executor, c.scope, &declared);
    if (ts_node_is_null(fn) || executor__body_guarded(an, fn)) continue;
    TSNode ctor = node_field(c.new_expr, sy->f_constructor);
    strbuf_clear(&q);
    if (!modules_qualify(an, ctor, c.scope, &q)) continue;
    bool promise = false;
    for (const char *const *p = executor__promises; *p && !promise; p++)
      promise = strcmp(q.data, *p) == 0;
    if (!promise) continue;
    /* The constructor as written, and what it is when that differs: "new B() (bluebird)". */
    char ctor_text[48], shown[112];
    size_t ctor_len;
    const char *t = node_text(an, node_unparen(an, ctor), &ctor_len);
    size_t used = 0, k = 0;
    for (; k < ctor_len && used + 1 < sizeof ctor_text; k++)
      if (t[k] != ' ' && t[k] != '\t' && t[k] != '\n' && t[k] != '\r') ctor_text[used++] = t[k];
    if (k < ctor_len) { /* cut short: end on a character boundary, then "…" */
      used = utf8_truncate(ctor_text, used, sizeof ctor_text - 4);
      memcpy(ctor_text + used, "\xe2\x80\xa6", 3);
      used += 3;
    }
    ctor_text[used] = '\0';
    if (strcmp(ctor_text, q.data) != 0)
      snprintf(shown, sizeof shown, "%s() (%s)", ctor_text, q.data);
    else
      snprintf(shown, sizeof shown, "%s()", ctor_text);
    char name[64] = "";
    if (node_kind(an, c.executor) == NK_IDENTIFIER)
      node_text_copy(an, c.executor, name, sizeof name);
    Diag *d;
    if (name[0])
      d = rule_report_span(an, RULE_async_promise_executor, c.new_expr, ctor,
                           "new %s is given the async function `%s` as its executor: "
                           "if it throws or an awaited promise rejects, the error is lost (the "
                           "promise never settles; an unhandled rejection is raised instead); "
                           "make the executor a plain function, or drop new Promise() and "
                           "write an async function",
                           shown, name);
    else
      d = rule_report_span(an, RULE_async_promise_executor, c.new_expr, ctor,
                           "new %s is given an async executor: if it throws or an "
                           "awaited promise rejects, the error is lost (the promise never "
                           "settles; an unhandled rejection is raised instead); make the "
                           "executor a plain function, or drop new Promise() and write an "
                           "async function",
                           shown);
    if (name[0] && !ts_node_is_null(declared))
      rule_relate(d, declared, "`%s` is declared async here", name);
  }
  strbuf_fini(&q);
}

static const NodeKind executor__kinds[] = {NK_NEW, NK_OTHER};

static const char *const async_promise_executor__required_words[] = {"async", NULL};

const RuleHooks rule_hooks_async_promise_executor = {
    .required_words = async_promise_executor__required_words,
    .node_kinds = executor__kinds,
    .create = executor__create,
    .destroy = executor__destroy,
    .enter = executor__enter,
    .finish = executor__finish,
};
