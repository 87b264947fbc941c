/* callback-err-unhandled: an error-first callback whose first parameter (`err`, `error`, `er`,
 * or a camelCase name ending in Err/Error such as `readErr`) is never read in its body, so a
 * failure passes silently and the code goes on with `undefined` results.
 *
 * A callback is a function expression or arrow passed as the last argument of a call (also
 * through `.bind(…)`), or a function of this file passed there by name (`fs.readFile(p, onRead)`
 * with `function onRead(err, data)` or `const onRead = (err, data) => …`). A read anywhere
 * counts, nested functions included; a nested declaration of the same name (a parameter, a
 * `const err`, a catch clause) shadows it and does not. Every identifier with an error-like
 * name is recorded during the walk and resolved after it, so the check is linear.
 *
 * Deliberately not reported (the author chose to drop the error, visibly, or the parameter is
 * not a Node error-first argument):
 *   - promise rejection handlers (`.catch(err => …)`, `.then(ok, err => …)`, `.finally`,
 *     Bluebird/Q/jQuery `caught`/`fail`/`otherwise`/`error`), event listeners (`on`, `once`,
 *     `addListener`, `addEventListener`, …, and any call whose first argument is 'error'),
 *     two-callback APIs whose last callback only runs on failure (`obs.subscribe(next, err =>
 *     …)`, `getCurrentPosition(ok, error => …)`), timers (`setImmediate(done)`), assertion
 *     validators (`assert.throws(fn, err => …)`), `listen()` callbacks (errors come as an
 *     'error' event), AMD factories;
 *   - an empty body or one that only holds comments (`fs.unlink(tmp, (err) => {})`), and an
 *     arrow whose body is a bare literal (`err => null`): a visible no-op;
 *   - Express error middleware and other handler-shaped functions (`(err, req, res, next)`);
 *   - callbacks of synchronous array methods (`errors.forEach(error => …)`) and of lodash /
 *     underscore (`_.each(errors, …)`);
 *   - functions that use `arguments` (it may forward the error), files that call `eval`, and
 *     functions with a syntax error inside (the walk skips ERROR nodes, where a read may hide);
 *   - `_err`, `_`, destructured first parameters, capitalised names (`HttpError`, a class),
 *     names such as `isError`, `hadError`, `onError`, `createError` (a flag or a function),
 *     and `ignoredErr`/`unusedErr` (dropped by name);
 *   - the final callback of an async-library iteration (`async.eachLimit(list, 4, (item,
 *     next) => { …; next(); }, err => …)`) whose in-place iteratee only ever calls its
 *     callback without an error (`next()`, `next(null, x)`): that `err` is always null.
 * Entries: 什么是错误优先的回调函数, 如何捕获NodeJS中的错误，有几种方法. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

typedef struct CbeCandidate {
  TSNode fn;          /* the function */
  TSNode param;       /* its first parameter's identifier */
  uint32_t binding;   /* the parameter's binding */
  uint32_t func;      /* FuncInfo index */
  TSNode call;        /* the call it is passed to (null: not passed in place) */
  uint32_t call_scope;
  TSNode ref;         /* when passed by name: the identifier argument */
  bool uses_arguments;
} CbeCandidate;

typedef struct CbeRef {
  TSNode node;
  uint32_t scope;
} CbeRef;

typedef struct CbeNamedArg {
  TSNode call, ident;
  uint32_t scope;
} CbeNamedArg;

typedef struct CbeState {
  Array(CbeCandidate) candidates; /* in document order of their functions */
  Array(CbeRef) refs;             /* identifiers with an error-like name */
  Array(uint32_t) arguments_funcs; /* functions in which `arguments` appears */
  Array(uint32_t) arguments_owner; /* per FuncInfo: the function whose `arguments` it sees */
  Array(CbeNamedArg) named_args;  /* calls whose last argument is an identifier */
  bool has_eval;
} CbeState;

/* Method names whose function arguments are not Node error-first callbacks. */
static const char *const cbe__skip_methods[] = {
    /* promise rejection handlers (any promise library) */
    "then", "catch", "finally", "caught", "fail", "otherwise", "error", "tapCatch",
    /* event listeners */
    "on", "once", "addListener", "prependListener", "prependOnceListener", "addEventListener",
    "removeListener", "removeEventListener", "off", "onError", "onerror",
    /* assertion validators */
    "throws", "rejects", "doesNotThrow", "doesNotReject", "throwsAsync", "toThrow",
    /* two-callback APIs: the last one runs only on failure (RxJS, geolocation) */
    "subscribe", "getCurrentPosition", "watchPosition",
    /* timers and queues call their function with no error */
    "setImmediate", "nextTick", "queueMicrotask", "setTimeout", "setInterval",
    "requestAnimationFrame",
    /* errors of listen() arrive as an 'error' event; AMD factories */
    "listen", "define", "require", NULL,
};

/* Array methods that call their first argument synchronously with an element. */
static const char *const cbe__array_methods[] = {
    "map",  "filter", "forEach", "reduce", "reduceRight", "some", "every", "find",
    "findIndex", "findLast", "findLastIndex", "sort", "flatMap", "toSorted", NULL,
};

static const char *const cbe__sync_libraries[] = {"_", "lodash", "underscore", NULL};

/* Camel-case prefixes of names that end in Error but hold a flag or a function. */
static const char *const cbe__not_value_prefixes[] = {
    "is", "has", "had", "should", "on", "handle", "create", "make", "throw", "format", "log",
    "report", "emit", "wrap", "get", "set", "to", "render", "show", "print", "send", "ignore",
    "normalize", "build", "with", "map", "custom", "ignored", "unused", NULL,
};

/* Iteration functions of the async library (and neo-async): their final callback gets an
 * error only from an iteratee that passes one to its own callback. */
static const char *const cbe__async_iterations[] = {
    "each",       "eachLimit",       "eachSeries",    "eachOf",       "eachOfLimit",
    "eachOfSeries", "forEach",       "forEachLimit",  "forEachSeries", "forEachOf",
    "forEachOfLimit", "forEachOfSeries", "map",       "mapLimit",     "mapSeries",
    "mapValues",  "mapValuesLimit",  "mapValuesSeries", "times",      "timesLimit",
    "timesSeries", NULL,
};

static const char *const cbe__async_modules[] = {"async", "neo-async", NULL};

/* Arguments of a callback call that pass no error: `next(null, value)`. */
static const char *const cbe__no_error_args[] = {"null", "undefined", "void 0", NULL};

enum { CBE_ITERATEE_WALK_LIMIT = 2000 }; /* syntax nodes of an iteratee looked at, at most */

static const char *const cbe__noop_bodies[] = {"null", "undefined", "void 0", "true", "false",
                                               "0", NULL};

static const char *const cbe__request_names[] = {"req", "request", NULL};

static bool cbe__is_err_name(const char *s, size_t n) {
  if ((n == 3 && memcmp(s, "err", 3) == 0) || (n == 5 && memcmp(s, "error", 5) == 0) ||
      (n == 2 && memcmp(s, "er", 2) == 0))
    return true;
  if (n == 0 || s[0] < 'a' || s[0] > 'z') return false;
  size_t base;
  if (n > 5 && memcmp(s + n - 5, "Error", 5) == 0)
    base = n - 5;
  else if (n > 3 && memcmp(s + n - 3, "Err", 3) == 0)
    base = n - 3;
  else
    return false;
  char last = s[base - 1];
  if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) return false;
  for (const char *const *p = cbe__not_value_prefixes; *p; p++) {
    size_t k = strlen(*p);
    if (k <= base && memcmp(s, *p, k) == 0 && (k == base || (s[k] >= 'A' && s[k] <= 'Z')))
      return false;
  }
  return true;
}

static void *cbe__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(CbeState));
}

static void cbe__destroy(void *state) {
  CbeState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  array_delete(&s->refs);
  array_delete(&s->arguments_funcs);
  array_delete(&s->arguments_owner);
  array_delete(&s->named_args);
  free(s);
}

/* The number of arguments of a call, comments left out (as in FuncInfo.arg_index). A cursor:
 * ts_node_named_child(args, i) costs O(i), and calls may have thousands of arguments. */
static uint32_t cbe__arg_count(Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  if (ts_node_is_null(args)) return 0;
  uint32_t count = 0;
  TSTreeCursor c = ts_tree_cursor_new(args);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode n = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(n) && node_kind(an, n) != NK_COMMENT) count++;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return count;
}

/* The last argument of a call, comments left out, or a null node. A forward cursor pass:
 * ts_node_prev_sibling and ts_node_parent walk down from the root in this runtime, which is
 * quadratic on deeply nested callbacks. */
static TSNode cbe__last_arg(Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  TSNode last = {{0, 0, 0, 0}, NULL, NULL};
  if (ts_node_is_null(args)) return last;
  TSTreeCursor c = ts_tree_cursor_new(args);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode n = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(n) && node_kind(an, n) != NK_COMMENT) last = n;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return last;
}

/* Is a function passed as argument `arg_index` of this call possibly an error-first callback? */
static bool cbe__callback_call(Analysis *an, TSNode call, uint32_t arg_index) {
  const Syms *sy = an->syms;
  if (node_kind(an, call) != NK_CALL) return false;
  uint32_t count = cbe__arg_count(an, call);
  if (count == 0 || arg_index != count - 1) return false; /* Node callbacks come last */
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  NodeKind kind = node_kind(an, callee);
  if (kind == NK_IDENTIFIER) {
    if (node_text_in(an, callee, cbe__skip_methods)) return false;
  } else if (kind == NK_MEMBER) {
    TSNode prop = node_field(callee, sy->f_property);
    if (node_text_in(an, prop, cbe__skip_methods)) return false;
    TSNode receiver = node_unparen(an, node_field(callee, sy->f_object));
    bool library = node_kind(an, receiver) == NK_IDENTIFIER &&
                   node_text_in(an, receiver, cbe__sync_libraries);
    /* `errors.forEach(error => …)`, `_.each(list, fn)` (lodash calls its iteratees
     * synchronously); but `User.find(query, cb)` and `async.map(list, fn, done)` take real
     * callbacks after other arguments. */
    if (library || (arg_index == 0 && node_text_in(an, prop, cbe__array_methods))) return false;
    if (node_text_eq(an, prop, "from") && node_text_eq(an, receiver, "Array")) return false;
  } else if (kind != NK_CALL && kind != NK_SUBSCRIPT) {
    return false; /* IIFEs, `new`, templates: not a callback API */
  }
  /* `bus.subscribe('error', err => …)`: an 'error' event listener under another name. */
  TSNode args = node_field(call, sy->f_arguments);
  TSNode first = ts_node_named_child(args, 0);
  char event[8];
  if (count > 1 && node_string_value(an, first, event, sizeof event) &&
      strcmp(event, "error") == 0)
    return false;
  return true;
}

/* Is the function a visible no-op: an empty body, one holding only comments, `err => null`? */
static bool cbe__noop_body(Analysis *an, TSNode fn) {
  TSNode body = node_field(fn, an->syms->f_body);
  if (node_kind(an, body) != NK_STATEMENT_BLOCK) return node_text_in(an, body, cbe__noop_bodies);
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++)
    if (node_kind(an, ts_node_named_child(body, i)) != NK_COMMENT) return false;
  return true;
}

static void cbe__enter_function(Analysis *an, CbeState *s, TSNode fn) {
  uint32_t func = analysis_func(an);
  if (func == NONE) return;
  const FuncInfo *f = &an->funcs.items[func];
  TSNode param = node_function_param(an, fn, 0);
  if (node_kind(an, param) == NK_ASSIGNMENT_PATTERN) param = node_field(param, an->syms->f_left);
  if (node_kind(an, param) != NK_IDENTIFIER) return;
  size_t len;
  const char *name = node_text(an, param, &len);
  if (!cbe__is_err_name(name, len)) return;
  /* (err, req, res, next) and its kin: an error handler of a web framework. */
  char second[16];
  if (node_function_param_name(an, fn, 1, second, sizeof second)) {
    const char *const *w = cbe__request_names;
    for (; *w; w++)
      if (strcmp(second, *w) == 0) return;
  }
  if (cbe__noop_body(an, fn)) return;
  /* The walk skips ERROR nodes: a read of err may hide in the broken part. */
  if (ts_node_has_error(fn)) return;
  uint32_t binding = scope_lookup(an, f->scope, name, len);
  if (binding == NONE) return;
  CbeCandidate c;
  memset(&c, 0, sizeof c);
  c.fn = fn;
  c.param = param;
  c.binding = binding;
  c.func = func;
  c.call_scope = f->outer_scope;
  if (!ts_node_is_null(f->call) && !(f->flags & FUNC_HANDLER_PROP) &&
      node_kind(an, fn) != NK_FUNCTION_DECLARATION) {
    if (!cbe__callback_call(an, f->call, f->arg_index)) return;
    c.call = f->call;
  }
  array_push(&s->candidates, c);
}

/* `arguments` belongs to the nearest enclosing function that is not an arrow. */
static void cbe__note_arguments(Analysis *an, CbeState *s) {
  uint32_t func = analysis_func(an);
  if (func == NONE || func >= s->arguments_owner.size) return;
  uint32_t owner = s->arguments_owner.items[func];
  if (owner != NONE) array_push(&s->arguments_funcs, owner);
}

/* Records, for the function being entered, whose `arguments` it sees: its own, or (an arrow)
 * its parent's. One step per function, however deep arrows nest. */
static void cbe__note_function(Analysis *an, CbeState *s, TSNode fn) {
  uint32_t func = analysis_func(an);
  if (func == NONE) return;
  while (s->arguments_owner.size <= func) array_push(&s->arguments_owner, NONE);
  uint32_t owner = func;
  if (node_kind(an, fn) == NK_ARROW_FUNCTION) {
    uint32_t parent = an->funcs.items[func].parent;
    owner = parent != NONE && parent < s->arguments_owner.size ? s->arguments_owner.items[parent]
                                                              : NONE;
  }
  s->arguments_owner.items[func] = owner;
}

static void cbe__enter(Analysis *an, void *state, TSNode node) {
  CbeState *s = state;
  NodeKind kind = node_kind(an, node);
  if (kind == NK_IDENTIFIER || kind == NK_SHORTHAND_PROPERTY_IDENTIFIER) {
    size_t len;
    const char *t = node_text(an, node, &len);
    if (cbe__is_err_name(t, len)) {
      array_push(&s->refs, ((CbeRef){node, analysis_scope(an)}));
    } else if (kind == NK_IDENTIFIER && len == 9 && memcmp(t, "arguments", 9) == 0) {
      cbe__note_arguments(an, s);
    } else if (kind == NK_IDENTIFIER && len == 4 && memcmp(t, "eval", 4) == 0) {
      s->has_eval = true;
    }
    return;
  }
  if (kind == NK_CALL) {
    TSNode arg = node_unparen(an, cbe__last_arg(an, node));
    /* `fs.readFile(p, onRead)` or `fs.readFile(p, onRead.bind(this))` */
    if (node_kind(an, arg) == NK_CALL) {
      TSNode callee = node_unparen(an, node_field(arg, an->syms->f_function));
      if (node_kind(an, callee) != NK_MEMBER ||
          !node_text_eq(an, node_field(callee, an->syms->f_property), "bind"))
        return;
      arg = node_unparen(an, node_field(callee, an->syms->f_object));
    }
    if (node_kind(an, arg) == NK_IDENTIFIER)
      array_push(&s->named_args, ((CbeNamedArg){node, arg, analysis_scope(an)}));
    return;
  }
  cbe__note_function(an, s, node);
  if (kind == NK_FUNCTION_EXPRESSION || kind == NK_ARROW_FUNCTION ||
      kind == NK_FUNCTION_DECLARATION)
    cbe__enter_function(an, s, node);
}

/* The candidate for the function starting at `start`, or NULL (binary search: candidates are
 * in document order). */
static CbeCandidate *cbe__candidate_at(CbeState *s, uint32_t start) {
  uint32_t lo = 0, hi = s->candidates.size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t at = ts_node_start_byte(s->candidates.items[mid].fn);
    if (at == start) return &s->candidates.items[mid];
    if (at < start) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* The function a name passed as an argument refers to, when it is declared in this file and
 * never reassigned. */
static CbeCandidate *cbe__named_candidate(Analysis *an, CbeState *s, const CbeNamedArg *a) {
  uint32_t b = scope_lookup_node(an, a->scope, a->ident);
  if (b == NONE) return NULL;
  const Binding *binding = &an->bindings.items[b];
  if (binding->flags & BINDING_REASSIGNED) return NULL;
  TSNode fn;
  if (binding->kind == BIND_FUNCTION && binding->func != NONE) {
    fn = an->funcs.items[binding->func].node;
  } else if ((binding->kind == BIND_CONST || binding->kind == BIND_LET ||
              binding->kind == BIND_VAR) && !binding->path) {
    fn = node_unparen(an, binding->value);
    NodeKind k = node_kind(an, fn);
    if (k != NK_FUNCTION_EXPRESSION && k != NK_ARROW_FUNCTION) return NULL;
  } else {
    return NULL;
  }
  return cbe__candidate_at(s, ts_node_start_byte(fn));
}

/* Node globals modules_qualify knows, reachable without any binding. */
static const char *const cbe__qualified_globals[] = {
    "require", "process", "Buffer", "global", "globalThis", "module", "exports", NULL,
};

/* Can modules_qualify name this callee? Its root must be a name bound to a value, an import,
 * or one of the globals it knows — resolved from `scope`, so that a binding elsewhere in the
 * file never changes the answer here. */
static bool cbe__may_qualify(Analysis *an, uint32_t scope, TSNode callee) {
  const Syms *sy = an->syms;
  for (TSNode n = callee;;) { /* bounded by the length of the callee chain */
    n = node_unparen(an, n);
    switch (node_kind(an, n)) {
      case NK_MEMBER:
      case NK_SUBSCRIPT:
        n = node_field(n, sy->f_object);
        break;
      case NK_CALL:
        n = node_field(n, sy->f_function);
        break;
      case NK_IDENTIFIER: {
        uint32_t b = scope_lookup_node(an, scope, n);
        if (b == NONE) return node_text_in(an, n, cbe__qualified_globals);
        return an->bindings.items[b].kind == BIND_IMPORT ||
               !ts_node_is_null(an->bindings.items[b].value);
      }
      default:
        return false;
    }
  }
}

/* Describes the callee for the message: "fs.readFile()" when it resolves to a package, else
 * its text when it is a short plain chain (`db.query`), else "….end()". */
static void cbe__describe_callee(Analysis *an, TSNode call,
                                 uint32_t scope, char *buf, size_t cap) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  StrBuf q;
  strbuf_init(&q);
  /* A module of this project (`./db.listReports`) reads better as written (`db.listReports`). */
  if (cbe__may_qualify(an, scope, callee) && modules_qualify(an, callee, scope, &q) &&
      q.len < 96 && q.data[0] != '.' && q.data[0] != '/') {
    snprintf(buf, cap, "%s()", q.data);
    strbuf_fini(&q);
    return;
  }
  strbuf_fini(&q);
  bool plain = true;
  for (TSNode n = callee; plain;) {
    NodeKind k = node_kind(an, n);
    if (k == NK_MEMBER) {
      n = node_unparen(an, node_field(n, sy->f_object));
      continue;
    }
    if (k != NK_IDENTIFIER && !node_text_eq(an, n, "this")) plain = false;
    break;
  }
  size_t len;
  const char *t = node_text(an, callee, &len);
  if (plain && len < 48 && !memchr(t, '\n', len) && !memchr(t, ' ', len)) {
    snprintf(buf, cap, "%.*s()", (int)len, t);
    return;
  }
  char name[48];
  if (node_callee_name(an, callee, name, sizeof name))
    snprintf(buf, cap, "%s%s()", node_kind(an, callee) == NK_MEMBER ? "…." : "", name);
  else
    snprintf(buf, cap, "the call");
}

/* The argument before the last one (comments left out), or a null node. */
static TSNode cbe__penultimate_arg(Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  TSNode prev = {{0, 0, 0, 0}, NULL, NULL}, last = prev;
  if (ts_node_is_null(args)) return prev;
  TSTreeCursor c = ts_tree_cursor_new(args);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode n = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(n) && node_kind(an, n) != NK_COMMENT) {
        prev = last;
        last = n;
      }
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return prev;
}

/* Is this call of the iteratee's callback one that passes no error: `next()`,
 * `next(null, value)`, or a deferral of it (`process.nextTick(next)`)? */
static bool cbe__errorless_call(Analysis *an, TSNode call, const char *name, size_t len) {
  TSNode callee = node_unparen(an, node_field(call, an->syms->f_function));
  uint32_t count = cbe__arg_count(an, call);
  TSNode args = node_field(call, an->syms->f_arguments);
  TSNode first = count ? ts_node_named_child(args, 0) : args;
  if (count && node_kind(an, first) == NK_COMMENT) return false; /* rare: stay safe */
  /* `process.nextTick(next)`, `setImmediate(next)`, `setTimeout(next, ms)`: called with no
   * argument at all. */
  char deferrer[16];
  if (count >= 1 && node_callee_name(an, callee, deferrer, sizeof deferrer) &&
      (((strcmp(deferrer, "nextTick") == 0 || strcmp(deferrer, "setImmediate") == 0) &&
        count == 1) ||
       (strcmp(deferrer, "setTimeout") == 0 && count <= 2)) &&
      node_kind(an, first) == NK_IDENTIFIER) {
    size_t n;
    const char *t = node_text(an, first, &n);
    return n == len && memcmp(t, name, len) == 0;
  }
  if (node_kind(an, callee) != NK_IDENTIFIER) return false;
  size_t n;
  const char *t = node_text(an, callee, &n);
  if (n != len || memcmp(t, name, len) != 0) return false;
  return count == 0 || node_text_in(an, first, cbe__no_error_args);
}

/* Is the candidate the final callback of an async-library iteration whose in-place iteratee
 * only calls its callback parameter without an error? Every mention of that name in the
 * iteratee must be such a call (a nested parameter of the same name, a hand-over such as
 * `fs.rmdir(dir, next)` or `setTimeout(next)` all count as other mentions). An explicit
 * cursor walk, bounded: a huge iteratee is simply not cleared. */
static bool cbe__errorless_iteration(Analysis *an, const CbeCandidate *c) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(c->call, sy->f_function));
  char fn_name[32];
  if (!node_callee_name(an, callee, fn_name, sizeof fn_name)) return false;
  const char *const *it = cbe__async_iterations;
  for (; *it; it++)
    if (strcmp(*it, fn_name) == 0) break;
  if (!*it) return false;
  TSNode iteratee = node_unparen(an, cbe__penultimate_arg(an, c->call));
  NodeKind k = node_kind(an, iteratee);
  if (k != NK_FUNCTION_EXPRESSION && k != NK_ARROW_FUNCTION) return false;
  uint32_t count = node_function_param_count(an, iteratee);
  if (count < 2) return false;
  TSNode param = node_function_param(an, iteratee, count - 1);
  if (node_kind(an, param) != NK_IDENTIFIER) return false;
  size_t len;
  const char *name = node_text(an, param, &len);
  TSNode body = node_field(iteratee, sy->f_body);
  if (ts_node_is_null(body) || ts_node_has_error(body)) return false;
  if (!cbe__may_qualify(an, c->call_scope, callee)) return false;
  StrBuf q;
  strbuf_init(&q);
  bool from_async = false;
  if (modules_qualify(an, callee, c->call_scope, &q)) {
    for (const char *const *m = cbe__async_modules; *m; m++) {
      size_t m_len = strlen(*m);
      if (q.len > m_len && memcmp(q.data, *m, m_len) == 0 &&
          (q.data[m_len] == '.' || q.data[m_len] == '/'))
        from_async = true;
    }
  }
  strbuf_fini(&q);
  if (!from_async) return false;
  /* Each errorless call is met before the name it calls (or defers), so the walk ends as
   * soon as the name has been mentioned more often than called that way. */
  uint32_t errorless = 0, mentions = 0, visited = 0;
  TSTreeCursor cur = ts_tree_cursor_new(body);
  for (bool more = true; more && mentions <= errorless && visited < CBE_ITERATEE_WALK_LIMIT;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    visited++;
    NodeKind nk = node_kind(an, n);
    if (nk == NK_IDENTIFIER || nk == NK_SHORTHAND_PROPERTY_IDENTIFIER) {
      size_t n_len;
      const char *t = node_text(an, n, &n_len);
      if (n_len == len && memcmp(t, name, len) == 0) mentions++;
      if (n_len == 9 && memcmp(t, "arguments", 9) == 0) mentions = UINT32_MAX;
    } else if (nk == NK_CALL && cbe__errorless_call(an, n, name, len)) {
      errorless++;
    }
    if (ts_tree_cursor_goto_first_child(&cur)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cur)) {
      if (!ts_tree_cursor_goto_parent(&cur)) {
        more = false;
        break;
      }
    }
  }
  bool complete = visited < CBE_ITERATEE_WALK_LIMIT;
  ts_tree_cursor_delete(&cur);
  return complete && mentions > 0 && mentions == errorless;
}

static void cbe__finish(Analysis *an, void *state) {
  CbeState *s = state;
  if (!s->candidates.size || s->has_eval) return;
  /* Which bindings are read. */
  uint8_t *read = xcalloc(an->bindings.size ? an->bindings.size : 1, 1);
  for (uint32_t i = 0; i < s->refs.size; i++) {
    uint32_t b = scope_lookup_node(an, s->refs.items[i].scope, s->refs.items[i].node);
    if (b == NONE || b >= an->bindings.size) continue;
    if (an->bindings.items[b].name_start == ts_node_start_byte(s->refs.items[i].node)) continue;
    read[b] = 1;
  }
  /* Functions passed by name. */
  for (uint32_t i = 0; i < s->named_args.size; i++) {
    const CbeNamedArg *a = &s->named_args.items[i];
    CbeCandidate *c = cbe__named_candidate(an, s, a);
    if (!c || !ts_node_is_null(c->call)) continue;
    if (!cbe__callback_call(an, a->call, cbe__arg_count(an, a->call) - 1)) continue;
    c->call = a->call;
    c->call_scope = a->scope;
    c->ref = a->ident;
  }
  /* Which functions see `arguments` used (a flag per function). */
  uint8_t *uses_arguments = xcalloc(an->funcs.size ? an->funcs.size : 1, 1);
  for (uint32_t i = 0; i < s->arguments_funcs.size; i++) {
    uint32_t func = s->arguments_funcs.items[i];
    if (func < an->funcs.size) uses_arguments[func] = 1;
  }
  for (uint32_t k = 0; k < s->candidates.size; k++) {
    CbeCandidate *c = &s->candidates.items[k];
    if (c->func < an->funcs.size && uses_arguments[c->func]) c->uses_arguments = true;
  }
  free(uses_arguments);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    CbeCandidate *c = &s->candidates.items[i];
    if (ts_node_is_null(c->call) || c->uses_arguments || read[c->binding]) continue;
    if (cbe__errorless_iteration(an, c)) continue;
    char callee[128];
    cbe__describe_callee(an, c->call, c->call_scope, callee, sizeof callee);
    size_t len;
    const char *name = node_text(an, c->param, &len);
    Diag *d = rule_report(an, RULE_callback_err_unhandled, c->param,
                          "`%.*s` is never checked: the error from %s is silently ignored",
                          (int)len, name, callee);
    if (!ts_node_is_null(c->ref)) {
      size_t ref_len;
      const char *ref = node_text(an, c->ref, &ref_len);
      rule_relate(d, c->ref, "`%.*s` is passed as the callback of %s here", (int)ref_len, ref,
                  callee);
    }
  }
  free(read);
}

static const NodeKind cbe__kinds[] = {
    NK_FUNCTION_EXPRESSION, NK_ARROW_FUNCTION, NK_FUNCTION_DECLARATION, NK_GENERATOR_FUNCTION,
    NK_GENERATOR_FUNCTION_DECLARATION, NK_METHOD_DEFINITION, NK_IDENTIFIER,
    NK_SHORTHAND_PROPERTY_IDENTIFIER, NK_CALL, NK_OTHER,
};

const RuleHooks rule_hooks_callback_err_unhandled = {
    .node_kinds = cbe__kinds,
    .create = cbe__create,
    .destroy = cbe__destroy,
    .enter = cbe__enter,
    .finish = cbe__finish,
};
