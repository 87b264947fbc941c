/* try-catch-async-callback: a `throw` lexically inside a `try` block, but inside a callback
 * handed to an asynchronous API between the two. By the time the callback runs, the try has
 * long finished: its catch never sees the throw, which becomes an uncaught exception (or, in
 * an async callback, an unhandled rejection).
 *
 * Asynchronous: timers (setTimeout, setInterval, setImmediate, queueMicrotask,
 * process.nextTick, the timers module), every function-taking API of fs (and fs-extra,
 * graceful-fs), dns, child_process, zlib, crypto, http, https, net and tls through any alias,
 * and `.on()/.once()/.addListener()/.prependListener()` listeners — unless the same try block
 * emits on that receiver itself (`emitter.emit(…)` runs listeners synchronously).
 *
 * Between the throw and that callback there may be synchronous callbacks (array methods,
 * String#replace, an IIFE), which pass the exception up; between that callback and the try
 * there may be more asynchronous callbacks, synchronous ones and `new Promise` executors. Any
 * other function on the way (a named helper, a callback of an unknown API, a .then()
 * callback) makes the path unknown: not reported. Not reported either: a throw caught by a
 * try inside the callback, a throw directly in a `new Promise` executor (it rejects that
 * promise, which an `await` inside the try does catch), a try with only a finally (it catches
 * nothing; an outer try/catch is checked instead). Entry: 如何捕获NodeJS中的错误. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "rules/rule.h"

#define TRY_MAX_FUNCS 8

typedef struct TryOpen {
  TSNode node;
  uint32_t func_depth; /* an->func_stack.size inside the try */
  bool has_catch;      /* try/finally alone promises no catching: its throws are not checked */
} TryOpen;

typedef struct ThrowCandidate {
  TSNode throw_node;
  TSNode try_node;
  uint32_t funcs[TRY_MAX_FUNCS]; /* FuncInfo indices, innermost first */
  uint8_t func_count;
} ThrowCandidate;

typedef struct TryState {
  Array(TryOpen) open;
  Array(ThrowCandidate) candidates;
} TryState;

/* How a function between a throw and its try is called. A listener is asynchronous unless
 * the emitter emits while the try runs (checked in try__finish). */
typedef enum CallbackKind { CB_OTHER, CB_SYNC, CB_EXECUTOR, CB_ASYNC, CB_LISTENER } CallbackKind;

static const char *const try__sync_methods[] = {
    "map",       "filter",   "forEach",       "reduce",   "reduceRight",   "some",
    "every",     "find",     "findIndex",     "findLast", "findLastIndex", "sort",
    "flatMap",   "toSorted", NULL,
};
static const char *const try__listen_methods[] = {
    "on", "once", "addListener", "prependListener", "prependOnceListener", NULL,
};
static const char *const try__timers[] = {
    "setTimeout", "setInterval", "setImmediate", "queueMicrotask", NULL,
};
static const char *const try__async_modules[] = {
    "fs", "fs-extra", "graceful-fs", "dns", "child_process", "zlib", "crypto", "http", "https",
    "net", "tls", NULL,
};

static void *try__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(TryState));
}

static void try__destroy(void *state) {
  TryState *s = state;
  if (!s) return;
  array_delete(&s->open);
  array_delete(&s->candidates);
  free(s);
}

static bool try__contains(TSNode outer, TSNode inner) {
  return !ts_node_is_null(outer) && ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
         ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

static void try__enter(Analysis *an, void *state, TSNode node) {
  TryState *s = state;
  if (node_kind(an, node) == NK_TRY) {
    bool has_catch = !ts_node_is_null(ts_node_child_by_field_name(node, "handler", 7));
    array_push(&s->open, ((TryOpen){node, an->func_stack.size, has_catch}));
    return;
  }
  /* A throw: the innermost open try with a catch whose block (not its catch or finally)
   * holds it. */
  if (!s->open.size) return;
  TryOpen *t = NULL;
  for (uint32_t k = s->open.size, seen = 0; k > 0 && seen < 64; k--, seen++) {
    TryOpen *o = &s->open.items[k - 1];
    if (o->has_catch && try__contains(node_field(o->node, an->syms->f_body), node)) {
      t = o;
      break;
    }
  }
  if (!t) return;
  uint32_t depth = an->func_stack.size;
  if (depth <= t->func_depth) return; /* caught right there */
  if (depth - t->func_depth > TRY_MAX_FUNCS) return;
  ThrowCandidate c;
  memset(&c, 0, sizeof c);
  c.throw_node = node;
  c.try_node = t->node;
  for (uint32_t k = depth; k > t->func_depth; k--)
    c.funcs[c.func_count++] = an->func_stack.items[k - 1];
  array_push(&s->candidates, c);
}

static void try__leave(Analysis *an, void *state, TSNode node) {
  TryState *s = state;
  if (node_kind(an, node) == NK_TRY && s->open.size) s->open.size--;
}

static bool try__ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Might the try block make the emitter emit while it runs? `emitter.emit(…)` calls listeners
 * synchronously, and so may any other use of the emitter there (`parser.write(chunk)`,
 * `feed(parser)`). So the receiver may appear in the try block (outside the listener itself)
 * only to register or remove listeners. */
static bool try__may_emit_inside(Analysis *an, TSNode try_node, TSNode receiver, TSNode listener) {
  static const char *const registrations[] = {
      ".on(", ".once(", ".addListener(", ".prependListener(", ".prependOnceListener(",
      ".removeListener(", ".off(", ".removeAllListeners(", ".setEncoding(", NULL,
  };
  TSNode body = node_field(try_node, an->syms->f_body);
  size_t rlen, blen;
  const char *r = node_text(an, receiver, &rlen);
  const char *b = node_text(an, body, &blen);
  uint32_t body_start = ts_node_start_byte(body);
  uint32_t skip_start = ts_node_start_byte(listener), skip_end = ts_node_end_byte(listener);
  /* Past 64 KiB of try block, do not scan (bounded work): assume it may. */
  if (rlen == 0 || rlen > 128 || blen > 65536) return true;
  for (size_t i = 0; i + rlen <= blen; i++) {
    if (memcmp(b + i, r, rlen) != 0) continue;
    if (i > 0 && (try__ident_char(b[i - 1]) || b[i - 1] == '.')) continue;
    if (i + rlen < blen && try__ident_char(b[i + rlen])) continue;
    uint32_t at = body_start + (uint32_t)i;
    if (at >= skip_start && at < skip_end) continue;
    bool registration = false;
    for (const char *const *m = registrations; *m && !registration; m++) {
      size_t mlen = strlen(*m);
      registration = i + rlen + mlen <= blen && memcmp(b + i + rlen, *m, mlen) == 0;
    }
    if (!registration) return true;
  }
  return false;
}

/* How a function is called, and for an asynchronous callback, a description of the API
 * ("the setTimeout() callback", "the 'data' listener of stream"). */
static CallbackKind try__classify(Analysis *an, uint32_t func, char *what, size_t cap) {
  const Syms *sy = an->syms;
  const FuncInfo *f = &an->funcs.items[func];
  TSNode p0 = f->up[0], p1 = f->up[1];
  NodeKind k0 = node_kind(an, p0);
  /* An IIFE: (function () {…})(), (() => {…})() */
  TSNode callee_holder = k0 == NK_PARENTHESIZED ? p1 : p0;
  if (node_kind(an, callee_holder) == NK_CALL) {
    TSNode fn = node_unparen(an, node_field(callee_holder, sy->f_function));
    if (ts_node_eq(fn, f->node)) return CB_SYNC;
  }
  /* new Promise(executor) */
  if (k0 == NK_ARGUMENTS && node_kind(an, p1) == NK_NEW) {
    TSNode ctor = node_unparen(an, node_field(p1, sy->f_constructor));
    bool first = ts_node_eq(node_unparen(an, node_call_arg(an, p1, 0, NULL)), f->node);
    return first && node_text_eq(an, ctor, "Promise") ? CB_EXECUTOR : CB_OTHER;
  }
  if (ts_node_is_null(f->call) || (f->flags & FUNC_HANDLER_PROP)) return CB_OTHER;
  TSNode callee = node_unparen(an, node_field(f->call, sy->f_function));
  char name[64];
  if (!node_callee_name(an, callee, name, sizeof name)) return CB_OTHER;
  if (node_kind(an, callee) == NK_MEMBER) {
    for (const char *const *m = try__sync_methods; *m; m++)
      if (strcmp(name, *m) == 0 && f->arg_index == 0) return CB_SYNC;
    if ((strcmp(name, "replace") == 0 || strcmp(name, "replaceAll") == 0) && f->arg_index == 1)
      return CB_SYNC;
    for (const char *const *m = try__listen_methods; *m; m++) {
      if (strcmp(name, *m) != 0) continue;
      if (f->arg_index != 1) return CB_OTHER;
      TSNode receiver = node_unparen(an, node_field(callee, sy->f_object));
      char event[48];
      size_t rlen;
      const char *r = node_text(an, receiver, &rlen);
      if (rlen > 40 || memchr(r, '\n', rlen)) rlen = 0;
      if (node_string_value(an, node_call_arg(an, f->call, 0, NULL), event, sizeof event) && rlen)
        snprintf(what, cap, "the '%s' listener of %.*s", event, (int)rlen, r);
      else if (rlen)
        snprintf(what, cap, "a %.*s.%s() listener", (int)rlen, r, name);
      else
        snprintf(what, cap, "an event listener");
      return CB_LISTENER;
    }
  }
  StrBuf q;
  strbuf_init(&q);
  CallbackKind kind = CB_OTHER;
  if (modules_qualify(an, callee, f->outer_scope, &q)) {
    const char *dot = strrchr(q.data, '.');
    const char *last = dot ? dot + 1 : q.data;
    bool timer = false;
    for (const char *const *t = try__timers; *t && !timer; t++)
      timer = strcmp(last, *t) == 0 &&
              (!dot || modules_is_member_of(q.data, "timers") ||
               modules_is_member_of(q.data, "global") ||
               modules_is_member_of(q.data, "globalThis"));
    if (timer || strcmp(q.data, "process.nextTick") == 0) {
      kind = CB_ASYNC;
    } else if (!strchr(q.data, '(')) {
      size_t len = strlen(last);
      bool sync = len > 4 && strcmp(last + len - 4, "Sync") == 0;
      for (const char *const *m = try__async_modules; *m && kind == CB_OTHER; m++)
        if (modules_is_member_of(q.data, *m) && dot && !sync &&
            !modules_is_member_of(q.data + strlen(*m) + 1, "promises"))
          kind = CB_ASYNC;
    }
    if (kind == CB_ASYNC) snprintf(what, cap, "the %s() callback", q.data);
  }
  strbuf_fini(&q);
  return kind;
}

static void try__finish(Analysis *an, void *state) {
  TryState *s = state;
  uint32_t memo_listener = NONE;
  bool memo_may_emit = false;
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    ThrowCandidate c = s->candidates.items[i];
    char what[160] = "", seen[160];
    bool crossed = false, deferred = false, path_known = true;
    uint32_t outer_listener = NONE;
    for (uint8_t k = 0; k < c.func_count && path_known; k++) {
      CallbackKind kind = try__classify(an, c.funcs[k], seen, sizeof seen);
      if (kind == CB_ASYNC) deferred = true;
      if (kind == CB_LISTENER) outer_listener = c.funcs[k];
      if (!crossed) {
        if (kind == CB_ASYNC || kind == CB_LISTENER) {
          crossed = true;
          memcpy(what, seen, sizeof what);
        } else if (kind != CB_SYNC) {
          path_known = false; /* caller unknown, or a promise executor: not the try's job */
        }
      } else if (kind == CB_OTHER) {
        path_known = false;
      }
    }
    if (!crossed || !path_known) continue;
    /* Only listeners on the way: the outermost one is registered while the try runs, and the
     * try may make its emitter emit right away. (Behind a timer or an fs callback it cannot.)
     * Throws in one listener come one after another: the answer is kept for the next. */
    if (!deferred) {
      if (outer_listener != memo_listener) {
        const FuncInfo *f = &an->funcs.items[outer_listener];
        TSNode callee = node_unparen(an, node_field(f->call, an->syms->f_function));
        TSNode receiver = node_unparen(an, node_field(callee, an->syms->f_object));
        memo_listener = outer_listener;
        memo_may_emit = try__may_emit_inside(an, c.try_node, receiver, f->node);
      }
      if (memo_may_emit) continue;
    }
    Diag *d = rule_report(an, RULE_try_catch_async_callback, c.throw_node,
                          "this throw runs later, inside %s: the surrounding try/catch has "
                          "already finished and will never catch it; handle the error inside "
                          "the callback (pass it on, or reject a promise)",
                          what);
    rule_relate(d, ts_node_child(c.try_node, 0), "the try block that cannot catch it");
  }
}

static const NodeKind try__kinds[] = {NK_TRY, NK_THROW, NK_OTHER};

static const char *const try_catch_async_callback__required_words[] = {"throw", NULL};

const RuleHooks rule_hooks_try_catch_async_callback = {
    .required_words = try_catch_async_callback__required_words,
    .node_kinds = try__kinds,
    .create = try__create,
    .destroy = try__destroy,
    .enter = try__enter,
    .leave = try__leave,
    .finish = try__finish,
};
