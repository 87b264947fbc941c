/* callback-hell: a function expression or arrow passed straight to a call, nested inside
 * maxDepth (default 3) enclosing such callbacks. Reported once per chain, on the callback that
 * first crosses the limit; deeper ones inside it are the same chain.
 *
 * Not counted as a level: callbacks of synchronous array methods (map, forEach, …) and of
 * String#replace, test framework nesting (describe/it/test/…), `new Promise(executor)` (the
 * executor runs synchronously: wrapping a callback API in a Promise is the remedy, not the
 * disease), and module wrappers (the factory a UMD IIFE or AMD `define` is given, or any
 * callback whose body opens with "use strict"). Flat promise chains never nest: all their links
 * sit at one level, and one chain is one finding. Entries: 如何避免回调地狱,
 * 有哪些方法可以进行异步流程的控制. */
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/node.h"
#include "rules/rule.h"

enum { OPT_MAX_DEPTH };

static const RuleOptionSpec callback_hell__options[] = {
    {"maxDepth", 1, 100, 3, "callback levels allowed; the next level is reported"},
};

/* Array methods that call their first argument synchronously. */
static const char *const callback_hell__sync_methods[] = {
    "map",       "filter",   "forEach",       "reduce", "reduceRight", "some",
    "every",     "find",     "findIndex",     "findLast", "findLastIndex", "sort",
    "flatMap",   "toSorted", NULL,
};

static const char *const callback_hell__test_functions[] = {
    "describe", "it",         "test",      "context",   "suite",      "specify",
    "before",   "beforeEach", "after",     "afterEach", "beforeAll",  "afterAll",
    "setup",    "teardown",   "suiteSetup", "suiteTeardown", "xit",   "xdescribe",
    "fit",      "fdescribe",  "xtest",     "xcontext",  "xspecify",   NULL,
};

/* The names test runners nest under as methods: t.test(…), tap.test(…), test.describe(…). */
static const char *const callback_hell__test_methods[] = {"test", "describe", "it", NULL};

/* What may stand between a test function and its call: describe.only(…), it.each(table)(…),
 * test.concurrent(…), test.describe.parallel(…) (Playwright), it.skipIf(cond)(…) (Vitest). */
static const char *const callback_hell__test_modifiers[] = {
    "only",   "skip",   "todo",   "each",   "concurrent", "failing", "serial", "parallel",
    "sequential", "fixme", "fails", "runIf", "skipIf",  "step",    "cb",     NULL,
};

/* String methods whose function argument (the second) is called synchronously. */
static const char *const callback_hell__sync_string_methods[] = {"replace", "replaceAll", NULL};

/* Receivers whose array-method names are synchronous whatever the argument position:
 * _.map(list, fn). Elsewhere only the first argument is: async.map(list, iteratee, done) and
 * Model.find(query, done) take real callbacks after other arguments. */
static const char *const callback_hell__sync_libraries[] = {"_", "lodash", NULL};

static const char *const callback_hell__promise_links[] = {"then", "catch", "finally", NULL};

typedef struct CallbackHellState {
  Array(uint16_t) levels; /* callback level of each enclosing function, innermost last */
} CallbackHellState;

static void *callback_hell__create(Analysis *an) {
  (void)an;
  CallbackHellState *s = xcalloc(1, sizeof *s);
  return s;
}

static void callback_hell__destroy(void *state) {
  CallbackHellState *s = state;
  if (!s) return;
  array_delete(&s->levels);
  free(s);
}

/* Is this callee a test framework's nesting function? `t.test`, `tap.test`: by method name on
 * any receiver. Otherwise a test function name reached only through modifiers and the calls
 * that configure it (`describe.only`, `it.each(table)`): a receiver that merely starts with
 * such a name (`context.db.query`, `setup.server.on`) is ordinary code. */
static bool callback_hell__test_callee(Analysis *an, TSNode callee) {
  const Syms *sy = an->syms;
  callee = node_unparen(an, callee);
  if (node_kind(an, callee) == NK_MEMBER &&
      node_text_in(an, node_field(callee, sy->f_property), callback_hell__test_methods))
    return true;
  for (;;) { /* bounded by the length of the callee chain */
    callee = node_unparen(an, callee);
    switch (node_kind(an, callee)) {
      case NK_IDENTIFIER:
        return node_text_in(an, callee, callback_hell__test_functions);
      case NK_CALL:
        callee = node_field(callee, sy->f_function);
        break;
      case NK_MEMBER: {
        TSNode prop = node_field(callee, sy->f_property);
        if (!node_text_in(an, prop, callback_hell__test_modifiers) &&
            !node_text_in(an, prop, callback_hell__test_functions))
          return false;
        callee = node_field(callee, sy->f_object);
        break;
      }
      default:
        return false;
    }
  }
}

/* Does passing a function as argument `arg_index` of this call add a level of nesting? */
static bool callback_hell__counts(Analysis *an, TSNode call, uint8_t arg_index) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  NodeKind kind = node_kind(an, callee);
  /* The factory a UMD wrapper `(function (root, factory) {…})(this, function () {…})` or AMD
   * `define([…], function () {…})` receives is the whole module, run once: every function of
   * the file would otherwise start one level down. (Factories that say "use strict" are caught
   * by their body too, whoever receives them.) */
  if (kind == NK_FUNCTION_EXPRESSION || kind == NK_ARROW_FUNCTION) return false;
  if (kind == NK_IDENTIFIER && node_text_eq(an, callee, "define")) return false;
  if (kind == NK_MEMBER) {
    TSNode prop = node_field(callee, sy->f_property);
    TSNode receiver = node_unparen(an, node_field(callee, sy->f_object));
    if (node_text_in(an, prop, callback_hell__sync_methods) &&
        (arg_index == 0 || (node_kind(an, receiver) == NK_IDENTIFIER &&
                            node_text_in(an, receiver, callback_hell__sync_libraries))))
      return false;
    if (arg_index == 1 && node_text_in(an, prop, callback_hell__sync_string_methods))
      return false;
  }
  return !callback_hell__test_callee(an, callee);
}

/* Does the function's body open with a "use strict" directive? That marks a module body: the
 * factory of a UMD or AMD wrapper, or of a bundler's module table (esbuild's minified
 * `d(exports => {"use strict"; …})`). An asynchronous callback never opens with one. */
static bool callback_hell__module_body(Analysis *an, TSNode fn) {
  TSNode body = node_field(fn, an->syms->f_body);
  if (node_kind(an, body) != NK_STATEMENT_BLOCK) return false;
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode stmt = ts_node_named_child(body, i);
    if (node_kind(an, stmt) == NK_COMMENT) continue;
    if (node_kind(an, stmt) != NK_EXPRESSION_STATEMENT) return false;
    char value[16];
    TSNode str = ts_node_named_child(stmt, 0);
    return node_kind(an, str) == NK_STRING && node_string_value(an, str, value, sizeof value) &&
           strcmp(value, "use strict") == 0;
  }
  return false;
}

/* Is `node` a function written in place, or such a function's `.bind(…)`? */
static bool callback_hell__inline_function(Analysis *an, TSNode node) {
  const Syms *sy = an->syms;
  node = node_unparen(an, node);
  if (node_kind(an, node) == NK_CALL) {
    TSNode callee = node_unparen(an, node_field(node, sy->f_function));
    if (node_kind(an, callee) != NK_MEMBER ||
        !node_text_eq(an, node_field(callee, sy->f_property), "bind"))
      return false;
    node = node_unparen(an, node_field(callee, sy->f_object));
  }
  NodeKind k = node_kind(an, node);
  return k == NK_FUNCTION_EXPRESSION || k == NK_ARROW_FUNCTION || k == NK_GENERATOR_FUNCTION;
}

/* Does this call take a function written in place among its first `before` arguments? */
static bool callback_hell__takes_inline(Analysis *an, TSNode call, uint32_t before) {
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t i = 0, k = 0; i < n && k < before; i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (node_kind(an, arg) == NK_COMMENT) continue; /* not counted, as in FuncInfo.arg_index */
    if (callback_hell__inline_function(an, arg)) return true;
    k++;
  }
  return false;
}

/* Has this flat promise chain already had a callback written in place, before this one?
 * Every callback of the chain sits at the same level (they share the enclosing function), so
 * that earlier one crossed the limit too and was reported: `p.then(a).then(b)` and
 * `p.then(a, b)` are one chain, one finding. Walks down the chain, not the tree. */
static bool callback_hell__later_link(Analysis *an, TSNode call, uint8_t arg_index) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (node_kind(an, callee) != NK_MEMBER ||
      !node_text_in(an, node_field(callee, sy->f_property), callback_hell__promise_links))
    return false;
  if (callback_hell__takes_inline(an, call, arg_index)) return true;
  for (;;) {
    TSNode link = node_unparen(an, node_field(callee, sy->f_object));
    if (node_kind(an, link) != NK_CALL) return false;
    callee = node_unparen(an, node_field(link, sy->f_function));
    if (node_kind(an, callee) != NK_MEMBER ||
        !node_text_in(an, node_field(callee, sy->f_property), callback_hell__promise_links))
      return false;
    if (callback_hell__takes_inline(an, link, UINT32_MAX)) return true;
  }
}

static void callback_hell__enter(Analysis *an, void *state, TSNode node) {
  /* The walk never enters ERROR nodes, so nothing here is inside one. */
  CallbackHellState *s = state;
  uint16_t outer = s->levels.size ? *array_back(&s->levels) : 0;
  uint16_t depth = outer;
  const FuncInfo *f = &an->funcs.items[analysis_func(an)];
  NodeKind kind = node_kind(an, node);
  bool expression = kind == NK_FUNCTION_EXPRESSION || kind == NK_ARROW_FUNCTION ||
                    kind == NK_GENERATOR_FUNCTION;
  if (expression && !ts_node_is_null(f->call) &&
      !(f->flags & FUNC_HANDLER_PROP) && callback_hell__counts(an, f->call, f->arg_index) &&
      !callback_hell__module_body(an, node)) {
    depth = outer < UINT16_MAX ? outer + 1 : outer;
    int64_t max = rule_option(an, RULE_callback_hell, OPT_MAX_DEPTH);
    if (depth == max + 1 && !callback_hell__later_link(an, f->call, f->arg_index)) {
      rule_report_range(an, RULE_callback_hell, node_function_header_range(an, node),
                        "callback nested %d levels deep (more than %d): move it into a named "
                        "function, or use async/await or Promises",
                        (int)depth, (int)max);
    }
  }
  array_push(&s->levels, depth);
}

static void callback_hell__leave(Analysis *an, void *state, TSNode node) {
  (void)an;
  (void)node;
  CallbackHellState *s = state;
  if (s->levels.size) s->levels.size--;
}

static const NodeKind callback_hell__kinds[] = {
    NK_FUNCTION_EXPRESSION, NK_ARROW_FUNCTION,  NK_GENERATOR_FUNCTION, NK_FUNCTION_DECLARATION,
    NK_GENERATOR_FUNCTION_DECLARATION, NK_METHOD_DEFINITION, NK_OTHER,
};

const RuleHooks rule_hooks_callback_hell = {
    .node_kinds = callback_hell__kinds,
    .options = callback_hell__options,
    .option_count = 1,
    .create = callback_hell__create,
    .destroy = callback_hell__destroy,
    .enter = callback_hell__enter,
    .leave = callback_hell__leave,
};
