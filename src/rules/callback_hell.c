/* callback-hell: a function expression or arrow passed straight to a call, nested inside
 * maxDepth (default 3) enclosing such callbacks. Reported once per chain, on the callback that
 * first crosses the limit; deeper ones inside it are the same chain.
 *
 * Not counted as a level: callbacks of synchronous array methods (map, forEach, …), test
 * framework nesting (describe/it/test/…), and `new Promise(executor)` (the executor runs
 * synchronously: wrapping a callback API in a Promise is the remedy, not the disease). Flat
 * promise chains never nest, so they never count beyond one level. Entries: 如何避免回调地狱,
 * 有哪些方法可以进行异步流程的控制. */
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/node.h"
#include "rules/rule.h"

enum { OPT_MAX_DEPTH };

static const RuleOptionSpec callback_hell__options[] = {
    {"maxDepth", 1, 100, 3, "callback levels allowed; the next level is reported"},
};

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

typedef struct CallbackHellState {
  Array(uint16_t) depth; /* callback level of each enclosing function */
} CallbackHellState;

static void *callback_hell__create(Analysis *an) {
  (void)an;
  CallbackHellState *s = xcalloc(1, sizeof *s);
  return s;
}

static void callback_hell__destroy(void *state) {
  CallbackHellState *s = state;
  if (!s) return;
  array_delete(&s->depth);
  free(s);
}

/* The identifier a callee chain starts from: `describe` for `describe.only.each(t)`. */
static TSNode callback_hell__callee_root(Analysis *an, TSNode callee) {
  const Syms *sy = an->syms;
  for (int i = 0; i < 8; i++) {
    callee = node_unparen(an, callee);
    NodeKind k = node_kind(an, callee);
    if (k == NK_MEMBER) callee = node_field(callee, sy->f_object);
    else if (k == NK_CALL) callee = node_field(callee, sy->f_function);
    else break;
  }
  return callee;
}

/* Does passing a function to this call add a level of callback nesting? */
static bool callback_hell__counts(Analysis *an, TSNode call) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (node_kind(an, callee) == NK_MEMBER) {
    TSNode prop = node_field(callee, sy->f_property);
    if (node_text_in(an, prop, callback_hell__sync_methods)) return false;
    if (node_text_in(an, prop, callback_hell__test_methods)) return false;
  }
  TSNode root = callback_hell__callee_root(an, callee);
  if (node_kind(an, root) == NK_IDENTIFIER && node_text_in(an, root, callback_hell__test_functions))
    return false;
  return true;
}

static void callback_hell__enter(Analysis *an, void *state, TSNode node) {
  CallbackHellState *s = state;
  uint16_t outer = s->depth.size ? *array_back(&s->depth) : 0;
  uint16_t depth = outer;
  const FuncInfo *f = &an->funcs.items[analysis_func(an)];
  NodeKind kind = node_kind(an, node);
  bool expression = kind == NK_FUNCTION_EXPRESSION || kind == NK_ARROW_FUNCTION ||
                    kind == NK_GENERATOR_FUNCTION;
  if (expression && !ts_node_is_null(f->call) && !(f->flags & FUNC_HANDLER_PROP) &&
      callback_hell__counts(an, f->call)) {
    depth = outer < UINT16_MAX ? outer + 1 : outer;
    int64_t max = rule_option(an, RULE_callback_hell, OPT_MAX_DEPTH);
    if (depth == max + 1) {
      rule_report_range(an, RULE_callback_hell, node_function_header_range(an, node),
                        "callback nested %d levels deep (more than %d): move it into a named "
                        "function, or use async/await or Promises",
                        (int)depth, (int)max);
    }
  }
  array_push(&s->depth, depth);
}

static void callback_hell__leave(Analysis *an, void *state, TSNode node) {
  (void)an;
  (void)node;
  CallbackHellState *s = state;
  if (s->depth.size) s->depth.size--;
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
