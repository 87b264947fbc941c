/* uncaught-exception-continue: `process.on('uncaughtException', handler)` (also once,
 * addListener, prependListener, prependOnceListener) whose handler lets the process go on.
 * Node's documentation: after an uncaught exception the process is in an undefined state;
 * the handler is for synchronous cleanup, logging, then exiting — resuming is not safe. The
 * Q&A lists "a global exception catcher" as the remedy for Node's fragility; this rule keeps
 * that remedy from hiding the crash.
 *
 * The handler ends the process when anything in it (nested callbacks included, e.g.
 * `server.close(() => process.exit(1))`) does one of: throw; call or pass process.exit /
 * abort / kill / reallyExit / disconnect or process.emit(…); set process.exitCode; call or pass
 * a function whose name says it ends something (shutdown, exit, terminate, kill, abort, close,
 * stop, restart, crash, quit, halt, panic, die, teardown, disconnect); emit 'error'.
 * A function declared in the file that it calls is looked into (three calls deep), and so
 * are, for `obj.name(…)`, the methods of the file called `name` (class and object methods,
 * `X.prototype.name = …`, class fields): `errorHandler.handleError(err)`.
 *
 * Precision: the rule stays silent when it cannot see what the handler does — a handler from
 * another module or a parameter, a handler calling an imported or undeclared function or a
 * parameter (`shutdown(err)`, `onFatal(err)`), a method of `this`, a call deeper than three
 * levels, ERROR nodes, a fatal() whose receiver is not a logger (grunt's `fail.fatal(e, code)`
 * exits). Calls to logging methods (`logger.fatal(err)`, console.*) and to Node's built-in
 * modules do not end the process, so a handler doing only that is reported.
 * 'uncaughtExceptionMonitor' listeners are never reported: they run before the crash.
 * Entries: 如何捕获NodeJS中的错误，有几种方法, Node.js优点(特性),缺点,以及如何弥补. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

/* Calls into functions of this file followed from the handler. */
#define UNCAUGHT_MAX_DEPTH 3
/* Functions looked into per registration, and nodes scanned: bounded work. */
#define UNCAUGHT_MAX_FUNCS 32
#define UNCAUGHT_MAX_NODES 50000

typedef struct UncaughtCandidate {
  TSNode call;
  uint32_t scope;
} UncaughtCandidate;

typedef struct UncaughtState {
  Array(UncaughtCandidate) candidates;
} UncaughtState;

/* What a handler's code does to the process. */
typedef enum UncaughtVerdict {
  UNCAUGHT_CONTINUES, /* nothing ends the process */
  UNCAUGHT_ENDS,      /* something does (or may) end it */
  UNCAUGHT_OPAQUE,    /* it calls code we cannot see: stay silent */
} UncaughtVerdict;

static const char *const uncaught__methods[] = {
    "on", "once", "addListener", "prependListener", "prependOnceListener", NULL,
};

static const char *const uncaught__process_names[] = {
    "process", "global.process", "globalThis.process", NULL,
};

/* process members that end the process (or may: emit can raise a signal's handler). */
static const char *const uncaught__process_enders[] = {
    "exit", "abort", "kill", "reallyExit", "disconnect", "exitCode", "emit", NULL,
};

/* Substrings (of the lower-cased name) of functions that end something. */
static const char *const uncaught__ender_words[] = {
    "exit",  "shutdown", "terminat", "kill",  "abort",      "crash",    "quit", "halt",
    "panic", "restart",  "stop",     "close", "disconnect", "teardown", NULL,
};

/* Global functions that never end the process. */
static const char *const uncaught__harmless_globals[] = {
    "setTimeout", "setImmediate", "setInterval", "clearTimeout", "clearInterval",
    "clearImmediate", "queueMicrotask", "String", "Number", "Boolean", "Array", "Object",
    "Date", "Error", "Symbol", "parseInt", "parseFloat", "isNaN", "isFinite",
    "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "require",
    "structuredClone", NULL,
};

/* Node built-in modules whose functions never end the process. */
static const char *const uncaught__builtin_modules[] = {
    "fs", "fs/promises", "util", "path", "os", "console", "crypto", "zlib", "url",
    "querystring", "events", "stream", "buffer", "string_decoder", "timers", "assert", NULL,
};

static void *uncaught__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(UncaughtState));
}

static void uncaught__destroy(void *state) {
  UncaughtState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

static void uncaught__enter(Analysis *an, void *state, TSNode call) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (node_kind(an, callee) != NK_MEMBER ||
      !node_text_in(an, node_field(callee, sy->f_property), uncaught__methods))
    return;
  char event[32];
  if (!node_string_value(an, node_call_arg(an, call, 0, NULL), event, sizeof event) ||
      strcmp(event, "uncaughtException") != 0)
    return;
  UncaughtState *s = state;
  array_push(&s->candidates, ((UncaughtCandidate){call, analysis_scope(an)}));
}

static bool uncaught__qualifies_to(Analysis *an, TSNode expr, uint32_t scope,
                                   const char *const *names) {
  StrBuf q;
  strbuf_init(&q);
  bool ok = modules_qualify(an, expr, scope, &q);
  bool found = false;
  for (const char *const *n = names; ok && *n && !found; n++) found = strcmp(q.data, *n) == 0;
  strbuf_fini(&q);
  return found;
}

/* Does this name say the function ends something (`gracefulShutdown`, `closeServer`, `die`)? */
static bool uncaught__ender_name(const char *name) {
  char lower[64];
  size_t n = 0;
  for (; name[n] && n + 1 < sizeof lower; n++) lower[n] = (char)tolower((unsigned char)name[n]);
  lower[n] = '\0';
  for (const char *const *w = uncaught__ender_words; *w; w++)
    if (strstr(lower, *w)) return true;
  return strcmp(lower, "die") == 0 || strncmp(name, "die", 3) == 0 || strstr(name, "Die");
}

/* The function a handler expression stands for: a function written in place, `fn.bind(…)`,
 * or the name of a function (or const arrow) declared in the file. Null when unknown. */
static TSNode uncaught__function_of(Analysis *an, TSNode expr, uint32_t scope) {
  const Syms *sy = an->syms;
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  for (int hop = 0; hop < 4; hop++) {
    expr = node_unparen(an, expr);
    NodeKind kind = node_kind(an, expr);
    if (syms_kind_is_function(kind)) return expr;
    if (kind == NK_CALL) { /* fn.bind(this) */
      TSNode callee = node_unparen(an, node_field(expr, sy->f_function));
      if (node_kind(an, callee) != NK_MEMBER ||
          !node_text_eq(an, node_field(callee, sy->f_property), "bind"))
        return null_node;
      expr = node_field(callee, sy->f_object);
      continue;
    }
    if (kind != NK_IDENTIFIER) return null_node;
    uint32_t b = scope_lookup_node(an, scope, expr);
    if (b == NONE) return null_node;
    const Binding *binding = &an->bindings.items[b];
    if (binding->path || (binding->flags & BINDING_REASSIGNED) || ts_node_is_null(binding->value))
      return null_node;
    if (binding->kind == BIND_FUNCTION) return binding->value;
    if (binding->kind != BIND_CONST && binding->kind != BIND_LET && binding->kind != BIND_VAR)
      return null_node;
    expr = binding->value;
    scope = binding->scope;
  }
  return null_node;
}

typedef struct UncaughtScan {
  Array(TSNode) funcs; /* functions to look into */
  Array(uint8_t) depth;
  uint32_t nodes;
  uint32_t method_lookups; /* searches for methods by name (each walks an->funcs) */
} UncaughtScan;

/* Method-name searches per registration: bounded work. */
#define UNCAUGHT_MAX_METHOD_LOOKUPS 64

static void uncaught__queue(UncaughtScan *scan, TSNode fn, uint8_t depth) {
  for (uint32_t i = 0; i < scan->funcs.size; i++)
    if (ts_node_start_byte(scan->funcs.items[i]) == ts_node_start_byte(fn)) return;
  array_push(&scan->funcs, fn);
  array_push(&scan->depth, depth);
}

/* A value passed along (`setTimeout(process.exit, 100)`, `server.close(shutdown)`). */
static UncaughtVerdict uncaught__passed(Analysis *an, TSNode arg, uint32_t scope) {
  arg = node_unparen(an, arg);
  NodeKind kind = node_kind(an, arg);
  char name[64];
  if (kind == NK_MEMBER) {
    TSNode prop = node_field(arg, an->syms->f_property);
    if (node_text_in(an, prop, uncaught__process_enders) &&
        uncaught__qualifies_to(an, node_field(arg, an->syms->f_object), scope,
                               uncaught__process_names))
      return UNCAUGHT_ENDS;
  }
  if ((kind == NK_MEMBER || kind == NK_IDENTIFIER) &&
      node_callee_name(an, arg, name, sizeof name) && uncaught__ender_name(name))
    return UNCAUGHT_ENDS;
  return UNCAUGHT_CONTINUES;
}

/* The name a function of this file is reachable by as a method: `name() {}` in a class or
 * object, `name: function () {}`, a class field `name = () => {}`, `X.prototype.name =
 * function () {}`. False for other functions. */
static bool uncaught__method_name_is(Analysis *an, const FuncInfo *f, const char *name) {
  const Syms *sy = an->syms;
  TSNode key = {{0, 0, 0, 0}, NULL, NULL};
  NodeKind k0 = node_kind(an, f->up[0]);
  if (node_kind(an, f->node) == NK_METHOD_DEFINITION) {
    key = node_field(f->node, sy->f_name);
  } else if (k0 == NK_PAIR) {
    if (ts_node_eq(node_field(f->up[0], sy->f_value), f->node))
      key = node_field(f->up[0], sy->f_key);
  } else if (k0 == NK_ASSIGNMENT) {
    TSNode left = node_unparen(an, node_field(f->up[0], sy->f_left));
    if (node_kind(an, left) == NK_MEMBER) key = node_field(left, sy->f_property);
  } else if (!ts_node_is_null(f->up[0]) &&
             strcmp(ts_node_type(f->up[0]), "field_definition") == 0) {
    key = node_field(f->up[0], sy->f_property);
  }
  return !ts_node_is_null(key) && node_text_eq(an, key, name);
}

/* `obj.name(…)` where the file defines methods called `name` (`errorHandler.handleError(err)`
 * on an instance of a class of this file): queues them to look into (unless `queue` is false)
 * and returns UNCAUGHT_CONTINUES; UNCAUGHT_OPAQUE when there are some but they cannot be
 * looked into (too deep), or after too many searches. */
static UncaughtVerdict uncaught__local_methods(Analysis *an, const char *name,
                                               UncaughtScan *scan, uint8_t depth, bool *found) {
  *found = false;
  if (++scan->method_lookups > UNCAUGHT_MAX_METHOD_LOOKUPS) return UNCAUGHT_OPAQUE;
  for (uint32_t i = 0; i < an->funcs.size; i++) {
    const FuncInfo *f = &an->funcs.items[i];
    if (!uncaught__method_name_is(an, f, name)) continue;
    *found = true;
    if (depth >= UNCAUGHT_MAX_DEPTH) return UNCAUGHT_OPAQUE;
    uncaught__queue(scan, f->node, (uint8_t)(depth + 1));
  }
  return UNCAUGHT_CONTINUES;
}

/* Does the receiver of a call look like a logger (`logger`, `log`, `grunt.log`, `pino()`,
 * `winston`)? Its fatal() is a log level; on anything else (`fail.fatal(e, code)` in grunt)
 * fatal() is as likely to exit. */
static bool uncaught__logger_receiver(Analysis *an, TSNode object) {
  static const char *const words[] = {
      "log", "console", "pino", "winston", "bunyan", "signale", "consola", NULL,
  };
  char lower[96];
  size_t len;
  const char *t = node_text(an, object, &len);
  if (len >= sizeof lower) len = sizeof lower - 1;
  for (size_t i = 0; i < len; i++) lower[i] = (char)tolower((unsigned char)t[i]);
  lower[len] = '\0';
  for (const char *const *w = words; *w; w++)
    if (strstr(lower, *w)) return true;
  return false;
}

/* One call inside the handler. May queue a function of this file to look into. */
static UncaughtVerdict uncaught__call(Analysis *an, TSNode call, uint32_t scope,
                                      UncaughtScan *scan, uint8_t depth) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  NodeKind kind = node_kind(an, callee);
  char name[64];
  bool named = node_callee_name(an, callee, name, sizeof name);
  if (named && uncaught__ender_name(name)) return UNCAUGHT_ENDS;
  for (uint32_t i = 0;; i++) { /* arguments passed along */
    TSNode a = node_call_arg(an, call, i, NULL);
    if (ts_node_is_null(a)) break;
    if (uncaught__passed(an, a, scope) == UNCAUGHT_ENDS) return UNCAUGHT_ENDS;
  }
  if (kind == NK_MEMBER) {
    TSNode object = node_unparen(an, node_field(callee, sy->f_object));
    if (named && strcmp(name, "emit") == 0) {
      char event[32];
      if (uncaught__qualifies_to(an, object, scope, uncaught__process_names)) return UNCAUGHT_ENDS;
      if (node_string_value(an, node_call_arg(an, call, 0, NULL), event, sizeof event) &&
          strcmp(event, "error") == 0)
        return UNCAUGHT_ENDS; /* with no listener, emit('error') throws */
    }
    if (named && node_text_in(an, node_field(callee, sy->f_property), uncaught__process_enders) &&
        uncaught__qualifies_to(an, object, scope, uncaught__process_names))
      return UNCAUGHT_ENDS;
    /* A method of this object (or class) may end the process in code we do not follow. */
    if (node_kind(an, object) == NK_THIS)
      return UNCAUGHT_OPAQUE;
    /* A method the file itself defines: look into it (three calls deep, like functions). */
    NodeKind ok = node_kind(an, object);
    bool found = false;
    if (named && (ok == NK_IDENTIFIER || ok == NK_MEMBER) && !node_text_eq(an, object, "console") &&
        !uncaught__qualifies_to(an, object, scope, uncaught__process_names)) {
      UncaughtVerdict v = uncaught__local_methods(an, name, scan, depth, &found);
      if (v != UNCAUGHT_CONTINUES) return v;
    }
    /* `fail.fatal(err, code)`: a fatal() of unknown code that is not a logger's may exit. */
    if (named && !found && strcmp(name, "fatal") == 0 && !uncaught__logger_receiver(an, object))
      return UNCAUGHT_OPAQUE;
    return UNCAUGHT_CONTINUES; /* logger.error(…), err.stack.split(…), Sentry.capture…(…) */
  }
  if (kind != NK_IDENTIFIER) return UNCAUGHT_CONTINUES; /* (a || b)(…), IIFE: scanned inline */
  uint32_t b = scope_lookup_node(an, scope, callee);
  if (b == NONE)
    return node_text_in(an, callee, uncaught__harmless_globals) ? UNCAUGHT_CONTINUES
                                                                 : UNCAUGHT_OPAQUE;
  TSNode fn = uncaught__function_of(an, callee, scope);
  if (!ts_node_is_null(fn)) {
    if (depth >= UNCAUGHT_MAX_DEPTH) return UNCAUGHT_OPAQUE;
    uncaught__queue(scan, fn, (uint8_t)(depth + 1));
    return UNCAUGHT_CONTINUES;
  }
  /* An imported function or a parameter: harmless only if it comes from a built-in module
   * other than process (`const { format } = require('util')`) or is a debug() logger. */
  const char *origin = modules_binding_origin(an, b);
  if (!origin) return UNCAUGHT_OPAQUE;
  if (modules_is_member_of(origin, "debug()")) return UNCAUGHT_CONTINUES;
  for (const char *const *m = uncaught__builtin_modules; *m; m++)
    if (modules_is_member_of(origin, *m)) return UNCAUGHT_CONTINUES;
  return UNCAUGHT_OPAQUE;
}

/* The innermost scope holding `byte`, searched among the scopes of one function: those are
 * recorded in document order from the function's own scope `first` on, so the search stops
 * at the function's end instead of scanning every scope of the file. */
static uint32_t uncaught__scope_at(const Analysis *an, uint32_t first, uint32_t byte) {
  uint32_t found = first, end = an->scopes.items[first].end_byte;
  for (uint32_t i = first + 1; i < an->scopes.size && an->scopes.items[i].start_byte < end; i++)
    if (an->scopes.items[i].start_byte <= byte && byte < an->scopes.items[i].end_byte) found = i;
  return found;
}

/* The scope a function opens, or NONE if the walk did not see it (inside an ERROR). */
static uint32_t uncaught__function_scope(const Analysis *an, TSNode fn) {
  uint32_t start = ts_node_start_byte(fn);
  for (uint32_t i = 0; i < an->funcs.size; i++)
    if (ts_node_start_byte(an->funcs.items[i].node) == start &&
        ts_node_end_byte(an->funcs.items[i].node) == ts_node_end_byte(fn))
      return an->funcs.items[i].scope;
  return NONE;
}

/* Scans one function's subtree (iteratively, with a cursor). */
static UncaughtVerdict uncaught__scan_function(Analysis *an, TSNode fn, UncaughtScan *scan,
                                               uint8_t depth) {
  const Syms *sy = an->syms;
  UncaughtVerdict verdict = UNCAUGHT_CONTINUES;
  if (ts_node_has_error(fn)) return UNCAUGHT_OPAQUE; /* ERROR or MISSING nodes: unreadable */
  uint32_t first = uncaught__function_scope(an, fn);
  if (first == NONE) return UNCAUGHT_OPAQUE;
  TSTreeCursor cursor = ts_tree_cursor_new(fn);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (++scan->nodes > UNCAUGHT_MAX_NODES) {
      verdict = UNCAUGHT_OPAQUE;
      break;
    }
    UncaughtVerdict v = UNCAUGHT_CONTINUES;
    switch (node_kind(an, node)) {
      case NK_ERROR:
        v = UNCAUGHT_OPAQUE;
        break;
      case NK_THROW:
        v = UNCAUGHT_ENDS;
        break;
      case NK_CALL:
        v = uncaught__call(an, node, uncaught__scope_at(an, first, ts_node_start_byte(node)),
                           scan, depth);
        break;
      case NK_ASSIGNMENT:
      case NK_AUGMENTED_ASSIGNMENT: {
        TSNode left = node_unparen(an, node_field(node, sy->f_left));
        if (node_kind(an, left) == NK_MEMBER &&
            node_text_eq(an, node_field(left, sy->f_property), "exitCode") &&
            uncaught__qualifies_to(an, node_field(left, sy->f_object),
                                   uncaught__scope_at(an, first, ts_node_start_byte(node)),
                                   uncaught__process_names))
          v = UNCAUGHT_ENDS;
        break;
      }
      default:
        break;
    }
    if (v == UNCAUGHT_ENDS || v == UNCAUGHT_OPAQUE) {
      verdict = v;
      break;
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool more = false;
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        more = true;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&cursor)) break;
    }
    if (!more) break;
  }
  ts_tree_cursor_delete(&cursor);
  return verdict;
}

/* Does the handler (and what it calls in this file) let the process continue? */
static UncaughtVerdict uncaught__judge(Analysis *an, TSNode handler) {
  UncaughtScan scan;
  memset(&scan, 0, sizeof scan);
  uncaught__queue(&scan, handler, 0);
  UncaughtVerdict verdict = UNCAUGHT_CONTINUES;
  for (uint32_t i = 0; i < scan.funcs.size && verdict == UNCAUGHT_CONTINUES; i++) {
    if (i >= UNCAUGHT_MAX_FUNCS) {
      verdict = UNCAUGHT_OPAQUE;
      break;
    }
    verdict = uncaught__scan_function(an, scan.funcs.items[i], &scan, scan.depth.items[i]);
  }
  array_delete(&scan.funcs);
  array_delete(&scan.depth);
  return verdict;
}

/* `console.error` (or another console method) passed as the handler: it only logs. */
static bool uncaught__is_console(Analysis *an, TSNode handler, uint32_t scope) {
  handler = node_unparen(an, handler);
  if (node_kind(an, handler) != NK_MEMBER) return false;
  StrBuf q;
  strbuf_init(&q);
  bool ok = modules_qualify(an, handler, scope, &q) && strncmp(q.data, "console.", 8) == 0 &&
            !strchr(q.data + 8, '.') && !strchr(q.data, '(');
  strbuf_fini(&q);
  return ok;
}

static void uncaught__finish(Analysis *an, void *state) {
  const Syms *sy = an->syms;
  UncaughtState *s = state;
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    UncaughtCandidate c = s->candidates.items[i];
    TSNode callee = node_unparen(an, node_field(c.call, sy->f_function));
    if (!uncaught__qualifies_to(an, node_field(callee, sy->f_object), c.scope,
                                uncaught__process_names))
      continue;
    TSNode handler_arg = node_call_arg(an, c.call, 1, NULL);
    TSNode handler = uncaught__function_of(an, handler_arg, c.scope);
    bool console_fn = ts_node_is_null(handler) && uncaught__is_console(an, handler_arg, c.scope);
    if (!console_fn &&
        (ts_node_is_null(handler) || uncaught__judge(an, handler) != UNCAUGHT_CONTINUES))
      continue;
    bool inline_fn = syms_kind_is_function(node_kind(an, node_unparen(an, handler_arg)));
    char name[64] = "";
    if (!inline_fn) node_text_oneline(an, handler_arg, name, sizeof name);
    Diag *d = rule_report_span(
        an, RULE_uncaught_exception_continue, callee, node_call_arg(an, c.call, 0, NULL),
        "this 'uncaughtException' handler%s%s%s never exits or rethrows, so the process keeps "
        "running: Node's docs say it is then in an undefined state; log the error, then exit "
        "(process.exit(1) or process.exitCode) and let a process manager restart it",
        name[0] ? " (`" : "", name, name[0] ? "`)" : "");
    if (!inline_fn && !console_fn) rule_relate(d, handler, "the handler `%s`", name);
  }
}

static const NodeKind uncaught__kinds[] = {NK_CALL, NK_OTHER};

static const char *const uncaught_exception_continue__required_words[] = {"uncaughtException", NULL};

const RuleHooks rule_hooks_uncaught_exception_continue = {
    .required_words = uncaught_exception_continue__required_words,
    .node_kinds = uncaught__kinds,
    .create = uncaught__create,
    .destroy = uncaught__destroy,
    .enter = uncaught__enter,
    .finish = uncaught__finish,
};
