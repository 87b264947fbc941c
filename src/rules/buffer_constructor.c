/* buffer-constructor: `new Buffer(…)` or `Buffer(…)` called as a function — deprecated since
 * Node 6 (DEP0005), and with a number it handed out uninitialised memory. Node's Buffer is
 * recognised through every spelling the module resolver knows: the global (unshadowed),
 * `require('buffer').Buffer`, `import { Buffer } from 'node:buffer'`, `global.Buffer`, and
 * safe-buffer's Buffer, which is Node's own Buffer on every Node that has Buffer.from.
 *
 * The message names the replacement that fits the argument: Buffer.alloc() for a size (a
 * number literal, arithmetic, `.length`, Math.*, a const holding one), Buffer.from() for data
 * (strings, templates, arrays, typed arrays, or any call with an encoding/offset argument),
 * both when the argument's type is unknown.
 *
 * Not reported: Buffer.from/alloc/allocUnsafe/isBuffer/byteLength, `typeof Buffer`, a Buffer
 * that is not Node's (declared in the file, `require('buffer/')`, safer-buffer), and the
 * fallback branch of a feature test for old Node versions (`Buffer.from ? Buffer.from(s) :
 * new Buffer(s)`, `if (Buffer.alloc) return Buffer.alloc(n); return new Buffer(n);`, a test
 * of process.version): that branch never runs on a Node with the new API. Entry: node中的
 * Buffer如何应用. */
/* memmem */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

/* Hops through `const n = …` bindings when guessing an argument's type. */
#define BUFFER_MAX_HOPS 4

/* Ancestors looked at for a feature test, and tests kept per candidate. */
#define BUFFER_MAX_UP 48
#define BUFFER_MAX_TESTS 8

typedef enum BufferTestKind {
  TEST_FALLBACK, /* we are in the branch a feature test did not take, or after its return */
  TEST_TYPEOF,   /* we are in the branch a `typeof x === '…'` test took */
} BufferTestKind;

typedef struct BufferTest {
  TSNode condition;
  uint8_t kind; /* BufferTestKind */
} BufferTest;

typedef struct BufferCandidate {
  TSNode node;   /* new_expression or call_expression */
  TSNode callee; /* the constructor / function */
  uint32_t scope;
  uint32_t test_start; /* its tests: BufferState.tests[test_start, +test_count) */
  uint8_t test_count;
} BufferCandidate;

typedef struct BufferState {
  Array(BufferCandidate) candidates;
  Array(BufferTest) tests; /* conditions around the candidates, innermost first */
} BufferState;

typedef enum BufferArg { ARG_UNKNOWN, ARG_NUMBER, ARG_STRING, ARG_DATA } BufferArg;

/* What Node's Buffer resolves to (modules.h qualified names). */
static const char *const buffer__names[] = {
    "Buffer", "buffer.Buffer", "global.Buffer", "globalThis.Buffer", "safe-buffer.Buffer", NULL,
};

/* Methods whose result is a string or other data Buffer.from() takes. */
static const char *const buffer__data_methods[] = {
    "toString", "join",     "toUpperCase", "toLowerCase", "trim",    "trimStart", "trimEnd",
    "slice",    "substring", "substr",     "replace",     "replaceAll", "padStart", "padEnd",
    "repeat",   "stringify", "toJSON",     "digest",      "map",     "filter",    "concat",
    NULL,
};

/* Names whose call yields a number. */
static const char *const buffer__number_functions[] = {"Number", "parseInt", "parseFloat", NULL};

/* Text that marks a test for the new API or for the Node version. */
static const char *const buffer__guard_words[] = {"from", "From", "alloc", "Alloc", "version",
                                                  "Version", NULL};

static void *buffer__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(BufferState));
}

static void buffer__destroy(void *state) {
  BufferState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  array_delete(&s->tests);
  free(s);
}

static bool buffer__inside(TSNode outer, TSNode inner) {
  return !ts_node_is_null(outer) && ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
         ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/* Does this branch leave the function (`return …;` or a block holding a return)? */
static bool buffer__returns(Analysis *an, TSNode branch) {
  if (node_kind(an, branch) == NK_RETURN) return true;
  if (node_kind(an, branch) != NK_STATEMENT_BLOCK) return false;
  uint32_t n = ts_node_named_child_count(branch);
  for (uint32_t i = 0; i < n && i < 64; i++)
    if (node_kind(an, ts_node_named_child(branch, i)) == NK_RETURN) return true;
  return false;
}

static void buffer__add_test(BufferState *s, BufferCandidate *c, BufferTestKind kind,
                             TSNode test) {
  if (c->test_count == BUFFER_MAX_TESTS || ts_node_is_null(test)) return;
  array_push(&s->tests, ((BufferTest){test, (uint8_t)kind}));
  c->test_count++;
}

/* Collects, from the walk's ancestors (a bounded number of them), the tests that decide
 * whether the call runs: conditions whose other branch holds it (fallbacks), conditions whose
 * taken branch holds it (typeof tests, inside the function only), and `if (…) return …;`
 * statements before it in a function body. Judged in finish, when names resolve. */
static void buffer__collect_tests(Analysis *an, BufferState *s, TSNode node,
                                  BufferCandidate *c) {
  const Syms *sy = an->syms;
  c->test_start = s->tests.size;
  TSNode child = node;
  bool same_function = true;
  for (uint32_t k = 0; k < BUFFER_MAX_UP && k < an->ancestors.size; k++) {
    TSNode up = analysis_ancestor(an, k);
    NodeKind kind = node_kind(an, up);
    if (kind == NK_IF || kind == NK_TERNARY) {
      TSNode cond = node_field(up, sy->f_condition);
      if (!buffer__inside(cond, child)) {
        buffer__add_test(s, c, TEST_FALLBACK, cond);
        if (same_function && !buffer__inside(node_field(up, sy->f_alternative), child))
          buffer__add_test(s, c, TEST_TYPEOF, cond);
      }
    } else if (kind == NK_BINARY_EXPRESSION) {
      TSNode left = node_field(up, sy->f_left);
      if (!buffer__inside(left, child)) {
        buffer__add_test(s, c, TEST_FALLBACK, left);
        if (same_function && node_text_eq(an, node_field(up, sy->f_operator), "&&"))
          buffer__add_test(s, c, TEST_TYPEOF, left);
      }
    } else if (kind == NK_STATEMENT_BLOCK && node_is_function(an, analysis_ancestor(an, k + 1))) {
      /* `if (Buffer.alloc) return Buffer.alloc(n);` earlier in the function body. */
      TSTreeCursor cursor = ts_tree_cursor_new(up);
      uint32_t seen = 0, limit = ts_node_start_byte(child);
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
          TSNode stmt = ts_tree_cursor_current_node(&cursor);
          if (ts_node_start_byte(stmt) >= limit || ++seen > 256) break;
          /* Only a statement that mentions Buffer: one that does not is no feature test of
           * it, and incremental analysis (analysis/units.h) links statements by that word. */
          size_t stmt_len;
          const char *stmt_text = node_text(an, stmt, &stmt_len);
          if (node_kind(an, stmt) == NK_IF && memmem(stmt_text, stmt_len, "Buffer", 6) &&
              buffer__returns(an, node_field(stmt, sy->f_consequence)))
            buffer__add_test(s, c, TEST_FALLBACK, node_field(stmt, sy->f_condition));
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
      }
      ts_tree_cursor_delete(&cursor);
    }
    if (syms_kind_is_function(kind)) same_function = false;
    child = up;
  }
}

static void buffer__enter(Analysis *an, void *state, TSNode node) {
  const Syms *sy = an->syms;
  bool is_new = node_kind(an, node) == NK_NEW;
  TSNode callee = node_unparen(an, node_field(node, is_new ? sy->f_constructor : sy->f_function));
  NodeKind kind = node_kind(an, callee);
  /* `Buffer(…)`, `buffer.Buffer(…)` / `require('buffer').Buffer(…)`, or an alias, resolved
   * in finish: any `new B(…)`, and plain calls of names containing "Buffer" (`NodeBuffer(n)`):
   * aliases called without `new` are rare, and every call of the file is not worth keeping. */
  bool plain_name = false;
  if (kind == NK_MEMBER) {
    if (!node_text_eq(an, node_field(callee, sy->f_property), "Buffer")) return;
    plain_name = true;
  } else if (kind == NK_IDENTIFIER) {
    size_t len;
    const char *text = node_text(an, callee, &len);
    plain_name = len == 6 && memcmp(text, "Buffer", 6) == 0;
    bool mentions = false;
    for (size_t i = 0; i + 6 <= len && !mentions; i++)
      mentions = memcmp(text + i, "Buffer", 6) == 0;
    if (!is_new && !mentions) return;
  } else {
    return;
  }
  BufferState *s = state;
  BufferCandidate c;
  memset(&c, 0, sizeof c);
  c.node = node;
  c.callee = callee;
  c.scope = analysis_scope(an);
  c.test_start = s->tests.size;
  /* Feature tests are looked for around the spellings of Buffer itself, not around every
   * `new X(…)` of the file. */
  if (plain_name) buffer__collect_tests(an, s, node, &c);
  array_push(&s->candidates, c);
}

static BufferArg buffer__same(BufferArg a, BufferArg b) {
  return a == b ? a : ARG_UNKNOWN;
}

/* A guess at the type of `expr`: iterative over `const` hops and one level of operators. */
static BufferArg buffer__classify(Analysis *an, TSNode expr, uint32_t scope, int depth) {
  const Syms *sy = an->syms;
  expr = node_unparen(an, expr);
  switch (node_kind(an, expr)) {
    case NK_NUMBER:
      return ARG_NUMBER;
    case NK_STRING:
    case NK_TEMPLATE_STRING:
      return ARG_STRING;
    case NK_ARRAY:
      return ARG_DATA;
    case NK_UNARY: {
      TSNode op = node_field(expr, sy->f_operator);
      if (node_text_eq(an, op, "-") || node_text_eq(an, op, "+") || node_text_eq(an, op, "~"))
        return ARG_NUMBER;
      return ARG_UNKNOWN;
    }
    case NK_BINARY_EXPRESSION: {
      if (depth >= BUFFER_MAX_HOPS) return ARG_UNKNOWN;
      static const char *const arithmetic[] = {"-", "*", "/", "%", "**", "<<", ">>", ">>>",
                                               "&", "|", "^", NULL};
      TSNode op = node_field(expr, sy->f_operator);
      if (node_text_in(an, op, arithmetic)) return ARG_NUMBER;
      BufferArg l = buffer__classify(an, node_field(expr, sy->f_left), scope, depth + 1);
      BufferArg r = buffer__classify(an, node_field(expr, sy->f_right), scope, depth + 1);
      if (node_text_eq(an, op, "+")) {
        if (l == ARG_STRING || r == ARG_STRING) return ARG_STRING;
        return l == ARG_NUMBER && r == ARG_NUMBER ? ARG_NUMBER : ARG_UNKNOWN;
      }
      return ARG_UNKNOWN;
    }
    case NK_TERNARY:
      if (depth >= BUFFER_MAX_HOPS) return ARG_UNKNOWN;
      return buffer__same(
          buffer__classify(an, node_field(expr, sy->f_consequence), scope, depth + 1),
          buffer__classify(an, node_field(expr, sy->f_alternative), scope, depth + 1));
    case NK_MEMBER: {
      TSNode prop = node_field(expr, sy->f_property);
      if (node_text_eq(an, prop, "length") || node_text_eq(an, prop, "byteLength"))
        return ARG_NUMBER;
      return ARG_UNKNOWN;
    }
    case NK_CALL: {
      TSNode callee = node_unparen(an, node_field(expr, sy->f_function));
      if (node_kind(an, callee) == NK_MEMBER) {
        TSNode object = node_unparen(an, node_field(callee, sy->f_object));
        if (node_kind(an, object) == NK_IDENTIFIER && node_text_eq(an, object, "Math"))
          return ARG_NUMBER;
        if (node_kind(an, object) == NK_IDENTIFIER && node_text_eq(an, object, "String"))
          return ARG_STRING; /* String.fromCharCode(…), String.raw(…) */
        if (node_text_in(an, node_field(callee, sy->f_property), buffer__data_methods))
          return ARG_DATA;
        return ARG_UNKNOWN;
      }
      if (node_kind(an, callee) == NK_IDENTIFIER) {
        if (node_text_in(an, callee, buffer__number_functions)) return ARG_NUMBER;
        if (node_text_eq(an, callee, "String")) return ARG_STRING;
      }
      return ARG_UNKNOWN;
    }
    case NK_NEW:
      return ARG_DATA; /* new Uint8Array(…), new ArrayBuffer(…): not a number */
    case NK_IDENTIFIER: {
      if (depth >= BUFFER_MAX_HOPS) return ARG_UNKNOWN;
      uint32_t b = scope_lookup_node(an, scope, expr);
      if (b == NONE) return ARG_UNKNOWN;
      const Binding *binding = &an->bindings.items[b];
      if (binding->path || (binding->flags & BINDING_REASSIGNED) ||
          (binding->kind != BIND_CONST && binding->kind != BIND_LET && binding->kind != BIND_VAR) ||
          ts_node_is_null(binding->value))
        return ARG_UNKNOWN;
      return buffer__classify(an, binding->value, binding->scope, depth + 1);
    }
    default:
      return ARG_UNKNOWN;
  }
}

static bool buffer__text_has_guard(Analysis *an, TSNode node) {
  size_t len;
  const char *text = node_text(an, node, &len);
  for (const char *const *w = buffer__guard_words; *w; w++) {
    size_t wl = strlen(*w);
    for (size_t i = 0; i + wl <= len; i++)
      if (memcmp(text + i, *w, wl) == 0) return true;
  }
  return false;
}

/* Does a test mention the new API or the Node version, itself or through the variable it
 * reads (`const legacy = semver.lt(process.version, '4.5.0'); if (legacy) …`)? */
static bool buffer__mentions_guard(Analysis *an, TSNode test) {
  if (ts_node_is_null(test)) return false;
  if (buffer__text_has_guard(an, test)) return true;
  TSNode cur = node_unparen(an, test);
  for (int i = 0; i < 4 && node_kind(an, cur) == NK_UNARY; i++)
    cur = node_unparen(an, node_field(cur, an->syms->f_argument));
  if (node_kind(an, cur) != NK_IDENTIFIER) return false;
  uint32_t b = scope_lookup_node(an, scope_at_byte(an, ts_node_start_byte(cur)), cur);
  if (b == NONE) return false;
  TSNode value = an->bindings.items[b].value;
  return !ts_node_is_null(value) && buffer__text_has_guard(an, value);
}


/* The node's text on one line if it is short and free of comments; false otherwise. */
static bool buffer__short_text(Analysis *an, TSNode node, char *buf, size_t cap) {
  node_text_oneline(an, node, buf, cap);
  size_t len = strlen(buf);
  return !strstr(buf, "//") && !strstr(buf, "/*") &&
         !(len >= 3 && memcmp(buf + len - 3, "\xE2\x80\xA6", 3) == 0);
}

/* `new Buffer(size)` as written, or `new Buffer(…)` when the arguments are long. */
static void buffer__display(Analysis *an, TSNode call, TSNode callee, char *buf, size_t cap) {
  if (buffer__short_text(an, call, buf, cap)) return;
  char name[48];
  if (!buffer__short_text(an, callee, name, sizeof name)) strcpy(name, "Buffer");
  snprintf(buf, cap, "%s%s(\xE2\x80\xA6)", node_kind(an, call) == NK_NEW ? "new " : "", name);
}


/* The type a `typeof x === 'string'` test gives `arg` (an identifier), if it is one. */
static BufferArg buffer__typeof_type(Analysis *an, TSNode test, TSNode arg) {
  arg = node_unparen(an, arg);
  if (node_kind(an, arg) != NK_IDENTIFIER) return ARG_UNKNOWN;
  size_t name_len, len;
  const char *name = node_text(an, arg, &name_len);
  const char *text = node_text(an, test, &len);
  if (name_len > 64 || len > 200) return ARG_UNKNOWN;
  char want[96], copy[208];
  snprintf(want, sizeof want, "typeof %.*s ", (int)name_len, name);
  memcpy(copy, text, len);
  copy[len] = '\0';
  if (!strstr(copy, want) || strstr(copy, "||") || strstr(copy, "!=")) return ARG_UNKNOWN;
  if (strstr(copy, "'string'") || strstr(copy, "\"string\"")) return ARG_STRING;
  if (strstr(copy, "'number'") || strstr(copy, "\"number\"")) return ARG_NUMBER;
  return ARG_UNKNOWN;
}

static bool buffer__in_fallback(Analysis *an, const BufferState *s, const BufferCandidate *c) {
  for (uint32_t i = c->test_start; i < c->test_start + c->test_count; i++)
    if (s->tests.items[i].kind == TEST_FALLBACK &&
        buffer__mentions_guard(an, s->tests.items[i].condition))
      return true;
  return false;
}

static BufferArg buffer__typeof_guard(Analysis *an, const BufferState *s, const BufferCandidate *c,
                                      TSNode arg) {
  for (uint32_t i = c->test_start; i < c->test_start + c->test_count; i++) {
    if (s->tests.items[i].kind != TEST_TYPEOF) continue;
    BufferArg t = buffer__typeof_type(an, s->tests.items[i].condition, arg);
    if (t != ARG_UNKNOWN) return t;
  }
  return ARG_UNKNOWN;
}

static void buffer__finish(Analysis *an, void *state) {
  const Syms *sy = an->syms;
  BufferState *s = state;
  StrBuf q;
  strbuf_init(&q);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    BufferCandidate c = s->candidates.items[i];
    strbuf_clear(&q);
    if (!modules_qualify(an, c.callee, c.scope, &q)) continue;
    bool node_buffer = false;
    for (const char *const *n = buffer__names; *n && !node_buffer; n++)
      node_buffer = strcmp(q.data, *n) == 0;
    if (!node_buffer || buffer__in_fallback(an, s, &c)) continue;

    TSNode args = node_field(c.node, sy->f_arguments); /* null for `new Buffer` */
    uint32_t argc = 0;
    uint32_t n = node_kind(an, args) == NK_ARGUMENTS ? ts_node_named_child_count(args) : 0;
    TSNode first = {{0, 0, 0, 0}, NULL, NULL};
    bool spread = false;
    for (uint32_t k = 0; k < n; k++) {
      TSNode a = ts_node_named_child(args, k);
      NodeKind ak = node_kind(an, a);
      if (ak == NK_COMMENT) continue;
      if (ak == NK_SPREAD_ELEMENT) spread = true;
      if (argc++ == 0) first = a;
    }
    BufferArg type = ARG_UNKNOWN;
    if (!spread && argc >= 2)
      type = ARG_DATA; /* (string, encoding) or (arrayBuffer, byteOffset, length) */
    else if (!spread && argc == 1)
      type = buffer__classify(an, first, c.scope, 0);

    if (type == ARG_UNKNOWN && !spread && argc == 1)
      type = buffer__typeof_guard(an, s, &c, first);
    char written[80], arg_text[64];
    buffer__display(an, c.node, c.callee, written, sizeof written);
    if (ts_node_is_null(args))
      strcpy(arg_text, "()");
    else if (!buffer__short_text(an, args, arg_text, sizeof arg_text))
      strcpy(arg_text, "(\xE2\x80\xA6)");
    const char *alias = strcmp(q.data, "Buffer") == 0 && node_text_eq(an, c.callee, "Buffer")
                            ? ""
                            : " (Node's Buffer)";
    Diag *d;
    if (type == ARG_NUMBER)
      d = rule_report(an, RULE_buffer_constructor, c.node,
                      "`%s`%s is deprecated (DEP0005) and, given a size, returns memory that "
                      "was not zero-filled in older Node versions; use Buffer.alloc%s",
                      written, alias, arg_text);
    else if (type == ARG_STRING || type == ARG_DATA)
      d = rule_report(an, RULE_buffer_constructor, c.node,
                      "`%s`%s is deprecated (DEP0005); use Buffer.from%s", written, alias,
                      arg_text);
    else
      d = rule_report(an, RULE_buffer_constructor, c.node,
                      "`%s`%s is deprecated (DEP0005) and unsafe if given a number; use "
                      "Buffer.from() for a string, array or buffer, or Buffer.alloc() for a size",
                      written, alias);
    d->tags |= DIAG_TAG_DEPRECATED;
  }
  strbuf_fini(&q);
}

static const NodeKind buffer__kinds[] = {NK_NEW, NK_CALL, NK_OTHER};

static const char *const buffer_constructor__required_words[] = {"Buffer", NULL};

const RuleHooks rule_hooks_buffer_constructor = {
    .required_words = buffer_constructor__required_words,
    .node_kinds = buffer__kinds,
    .create = buffer__create,
    .destroy = buffer__destroy,
    .enter = buffer__enter,
    .finish = buffer__finish,
};
