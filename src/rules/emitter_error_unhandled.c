/* emitter-error-unhandled: `bus.emit('error', …)` on an EventEmitter created in this file when
 * nothing in the file listens for 'error' on it. Node then throws the error (ERR_UNHANDLED_ERROR
 * for a non-Error value) and, with nothing to catch it, the process exits.
 *
 * The emitter is a variable bound to `new EventEmitter()` through any name of the events module
 * (`new events.EventEmitter()`, `new (require('events'))()`, `import { EventEmitter } from
 * 'node:events'`, `import EE from 'events'`, aliases of aliases), or to `new X()` where
 * `class X extends EventEmitter` is in this file (through aliases and subclasses in the file).
 *
 * Not reported, because someone we cannot see may listen (analysis/uses.h): an emitter that is
 * exported, returned, passed as an argument (which covers `events.once(bus, 'error')` and
 * `domain.add(bus)`), stored in a property or array, aliased, or reached through a computed
 * member (`bus[captureRejectionSymbol]`); an emitter whose class registers an 'error' listener
 * on `this` or overrides emit(); `this.emit('error')` inside a class; emits guarded by
 * `listenerCount('error')`; emits whose throw is caught on the spot (inside a try block of the
 * same function) or expected (a function given to assert.throws / t.throws / expect); files that
 * use captureRejections, an uncaughtException handler or the domain module (which the
 * domain-deprecated rule reports). A listener anywhere in the file counts, before or after the
 * emit. Entries: 怎么捕获EventEmitter的错误事件?, EventEmitter有哪些典型应用?. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "analysis/uses.h"
#include "rules/rule.h"

/* Bounds the hops from `new X()` to EventEmitter: aliases and local superclasses. */
#define EMITTER_MAX_CLASS_HOPS 8

typedef struct EmitSite {
  TSNode call;   /* bus.emit('error', …) */
  TSNode object; /* bus */
  uint32_t scope;
} EmitSite;

typedef struct EmitterCandidate {
  uint32_t binding;
  TSNode creation; /* the new expression */
  ValueUse use;
} EmitterCandidate;

typedef struct ClassMemo {
  uint32_t start_byte;
  bool handles;
} ClassMemo;

typedef struct EmitterState {
  Array(EmitSite) emits;
  Array(EmitterCandidate) candidates;
  Array(ClassMemo) classes;
  uint32_t *status; /* per binding: 0 unknown, 1 not an emitter of ours, k + 2 candidate k */
  bool uses_domain;
} EmitterState;

static void *emitter__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(EmitterState));
}

static void emitter__destroy(void *state) {
  EmitterState *s = state;
  if (!s) return;
  array_delete(&s->emits);
  array_delete(&s->candidates);
  array_delete(&s->classes);
  free(s->status);
  free(s);
}

static bool emitter__is_domain_specifier(const Analysis *an, TSNode string) {
  char spec[32];
  return node_string_value(an, string, spec, sizeof spec) &&
         (strcmp(spec, "domain") == 0 || strcmp(spec, "node:domain") == 0);
}

/* Callees whose function argument is expected to throw: assert.throws(fn), t.throws(fn),
 * expect(fn).toThrow(). */
static const char *const emitter__throw_checks[] = {"throws", "doesNotThrow", "expect",
                                                    "rejects", "throwsAsync", NULL};

/* Is the throw of the emit being visited caught where it happens: inside the body of a try
 * statement of the same function, or inside a function a test hands to assert.throws()? */
static bool emitter__throw_expected(const Analysis *an) {
  const Syms *sy = an->syms;
  for (uint32_t k = 0; k + 1 < an->ancestors.size; k++) {
    TSNode a = analysis_ancestor(an, k + 1), child = analysis_ancestor(an, k);
    NodeKind kind = node_kind(an, a);
    if (kind == NK_TRY && ts_node_eq(node_field(a, sy->f_body), child)) return true;
    if (!node_is_function(an, child)) continue;
    /* A function boundary: a try outside runs before this function is called. */
    TSNode call = analysis_ancestor(an, k + 2);
    char name[16];
    if (kind != NK_ARGUMENTS || node_kind(an, call) != NK_CALL ||
        !node_callee_name(an, node_field(call, sy->f_function), name, sizeof name))
      return false;
    for (const char *const *n = emitter__throw_checks; *n; n++)
      if (strcmp(name, *n) == 0) return true;
    return false;
  }
  return false;
}

static void emitter__enter(Analysis *an, void *state, TSNode node) {
  EmitterState *s = state;
  const Syms *sy = an->syms;
  if (node_kind(an, node) == NK_IMPORT_STATEMENT) {
    if (emitter__is_domain_specifier(an, node_field(node, sy->f_source))) s->uses_domain = true;
    return;
  }
  TSNode callee = node_unparen(an, node_field(node, sy->f_function));
  if (node_kind(an, callee) == NK_IDENTIFIER) {
    if (node_text_eq(an, callee, "require") &&
        emitter__is_domain_specifier(an, uses_first_argument(an, node)))
      s->uses_domain = true;
    return;
  }
  if (node_kind(an, callee) != NK_MEMBER ||
      !node_text_eq(an, node_field(callee, sy->f_property), "emit"))
    return;
  TSNode object = node_unparen(an, node_field(callee, sy->f_object));
  if (node_kind(an, object) != NK_IDENTIFIER) return; /* this.emit, a.b.emit: unknown */
  char event[8];
  if (!node_string_value(an, uses_first_argument(an, node), event, sizeof event) ||
      strcmp(event, "error") != 0)
    return;
  if (emitter__throw_expected(an)) return;
  array_push(&s->emits, ((EmitSite){node, object, analysis_scope(an)}));
}

/* Does the class register an 'error' listener on itself (`this.on('error', …)`, also through
 * super) or override emit()? Then its instances may handle their own errors. */
static bool emitter__class_handles(Analysis *an, EmitterState *s, TSNode cls) {
  const Syms *sy = an->syms;
  uint32_t start = ts_node_start_byte(cls);
  for (uint32_t i = 0; i < s->classes.size; i++)
    if (s->classes.items[i].start_byte == start) return s->classes.items[i].handles;
  bool handles = false;
  TSNode body = node_field(cls, sy->f_body);
  if (ts_node_is_null(body)) goto done;
  uint32_t members = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < members && !handles; i++) {
    TSNode m = ts_node_named_child(body, i);
    handles = node_kind(an, m) == NK_METHOD_DEFINITION &&
              node_text_eq(an, node_field(m, sy->f_name), "emit");
  }
  TSTreeCursor cursor = ts_tree_cursor_new(body);
  while (!handles) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    NodeKind kind = node_kind(an, n);
    if (kind == NK_CALL) {
      TSNode callee = node_unparen(an, node_field(n, sy->f_function));
      TSNode object = node_field(callee, sy->f_object);
      if (node_kind(an, callee) == NK_MEMBER &&
          (node_kind(an, object) == NK_THIS || node_text_eq(an, object, "super")) &&
          uses_is_listener_method(an, node_field(callee, sy->f_property)) &&
          uses_listener_is_error(an, n) == 1)
        handles = true;
    }
    if (kind != NK_ERROR && ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool more = false;
    while (!(more = ts_tree_cursor_goto_next_sibling(&cursor)))
      if (!ts_tree_cursor_goto_parent(&cursor)) break;
    if (!more) break;
  }
  ts_tree_cursor_delete(&cursor);
done:
  array_push(&s->classes, ((ClassMemo){start, handles}));
  return handles;
}

static bool emitter__is_events(const char *qualified) {
  return strcmp(qualified, "events") == 0 || strcmp(qualified, "events.EventEmitter") == 0 ||
         strcmp(qualified, "events.default") == 0 ||
         strcmp(qualified, "events.EventEmitter.EventEmitter") == 0;
}

/* Is `new <ctor>()`, evaluated in `scope`, a plain Node EventEmitter (or a subclass in this file
 * that leaves 'error' to its users)? Follows aliases and `extends` within the file, bounded. */
static bool emitter__constructs_emitter(Analysis *an, EmitterState *s, TSNode ctor,
                                        uint32_t scope) {
  TSNode expr = ctor;
  StrBuf q;
  strbuf_init(&q);
  bool result = false;
  for (int hop = 0; hop < EMITTER_MAX_CLASS_HOPS; hop++) {
    expr = node_unparen(an, expr);
    TSNode cls = {{0, 0, 0, 0}, NULL, NULL};
    if (node_kind(an, expr) == NK_CLASS) {
      cls = expr;
    } else if (node_kind(an, expr) == NK_IDENTIFIER) {
      uint32_t b = scope_lookup_node(an, scope, expr);
      if (b != NONE) {
        const Binding *bd = &an->bindings.items[b];
        TSNode value = node_unparen(an, bd->value);
        bool plain = (bd->kind == BIND_VAR || bd->kind == BIND_LET || bd->kind == BIND_CONST) &&
                     !(bd->flags & BINDING_REASSIGNED) && !bd->path;
        if (bd->kind == BIND_CLASS && !(bd->flags & BINDING_REASSIGNED)) {
          cls = bd->value;
          scope = bd->scope;
        } else if (plain && node_kind(an, value) == NK_CLASS) {
          cls = value;
          scope = bd->scope;
        } else if (plain && node_kind(an, value) == NK_IDENTIFIER) {
          expr = value; /* const EE = EventEmitter */
          scope = bd->scope;
          continue;
        }
      }
    }
    if (ts_node_is_null(cls)) {
      strbuf_clear(&q);
      result = modules_qualify(an, expr, scope, &q) && emitter__is_events(q.data);
      break;
    }
    if (emitter__class_handles(an, s, cls)) break;
    TSNode heritage = {{0, 0, 0, 0}, NULL, NULL};
    uint32_t n = ts_node_named_child_count(cls);
    for (uint32_t i = 0; i < n && ts_node_is_null(heritage); i++) {
      TSNode c = ts_node_named_child(cls, i);
      if (node_kind(an, c) == NK_CLASS_HERITAGE) heritage = c;
    }
    if (ts_node_is_null(heritage) || ts_node_named_child_count(heritage) == 0) break;
    expr = ts_node_named_child(heritage, 0);
  }
  strbuf_fini(&q);
  return result;
}

/* The candidate index for the emitter `object` (an identifier in `scope`) refers to, or NONE. */
static uint32_t emitter__candidate(Analysis *an, EmitterState *s, TSNode object, uint32_t scope) {
  const Syms *sy = an->syms;
  uint32_t b = scope_lookup_node(an, scope, object);
  if (b == NONE) return NONE;
  if (s->status[b]) return s->status[b] >= 2 ? s->status[b] - 2 : NONE;
  s->status[b] = 1;
  const Binding *bd = &an->bindings.items[b];
  if ((bd->kind != BIND_VAR && bd->kind != BIND_LET && bd->kind != BIND_CONST) ||
      (bd->flags & BINDING_REASSIGNED) || bd->path || ts_node_is_null(bd->value))
    return NONE;
  /* `new EventEmitter()`, possibly followed by chained listener calls. */
  ValueUse use;
  memset(&use, 0, sizeof use);
  TSNode value = node_unparen(an, bd->value);
  for (int i = 0; i < 64 && node_kind(an, value) == NK_CALL; i++) {
    TSNode callee = node_unparen(an, node_field(value, sy->f_function));
    if (node_kind(an, callee) != NK_MEMBER ||
        !uses_is_listener_method(an, node_field(callee, sy->f_property)))
      return NONE;
    if (uses_listener_is_error(an, value) == 1) use.flags |= USE_ERROR_LISTENER;
    value = node_unparen(an, node_field(callee, sy->f_object));
  }
  if (node_kind(an, value) != NK_NEW) return NONE;
  if (!emitter__constructs_emitter(an, s, node_field(value, sy->f_constructor), bd->scope))
    return NONE;
  uint32_t index = s->candidates.size;
  array_push(&s->candidates, ((EmitterCandidate){b, value, use}));
  s->status[b] = index + 2;
  return index;
}

static void emitter__reference(Analysis *an, void *ctx, uint32_t binding, TSNode ident,
                               const TSNode *ancestors, uint32_t count) {
  EmitterState *s = ctx;
  EmitterCandidate *c = &s->candidates.items[s->status[binding] - 2];
  uses_classify_reference(an, &an->bindings.items[binding], ident, ancestors, count, &c->use);
}

static void emitter__finish(Analysis *an, void *state) {
  EmitterState *s = state;
  if (!s->emits.size || s->uses_domain) return;
  /* EventEmitter.captureRejections / { captureRejections: true } / captureRejectionSymbol; a
   * process-wide uncaughtException handler may keep the process alive. */
  if (uses_source_mentions(an, "captureRejection") ||
      uses_source_mentions(an, "uncaughtException"))
    return;
  s->status = xcalloc(an->bindings.size ? an->bindings.size : 1, sizeof *s->status);
  for (uint32_t i = 0; i < s->emits.size; i++)
    emitter__candidate(an, s, s->emits.items[i].object, s->emits.items[i].scope);
  if (!s->candidates.size) return;
  Array(uint32_t) wanted = ARRAY_EMPTY;
  for (uint32_t k = 0; k < s->candidates.size; k++)
    array_push(&wanted, s->candidates.items[k].binding);
  TSNode root = ts_tree_root_node(s->emits.items[0].call.tree);
  uses_for_each_reference(an, root, wanted.items, wanted.size, emitter__reference, s);
  array_delete(&wanted);
  for (uint32_t i = 0; i < s->emits.size; i++) {
    EmitSite e = s->emits.items[i];
    uint32_t b = scope_lookup_node(an, e.scope, e.object);
    if (b == NONE || s->status[b] < 2) continue;
    const EmitterCandidate *c = &s->candidates.items[s->status[b] - 2];
    if (c->use.flags & (USE_ERROR_LISTENER | USE_ERROR_GUARD | USE_ESCAPES)) continue;
    size_t len;
    const char *name = node_text(an, e.object, &len);
    Diag *d = rule_report(an, RULE_emitter_error_unhandled, e.call,
                          "`%.*s` emits 'error' but nothing listens for 'error' on it: Node "
                          "throws the error and the process exits; add %.*s.on('error', …) "
                          "(not domain, which is deprecated: DEP0032)",
                          (int)len, name, (int)len, name);
    rule_relate(d, c->creation, "`%.*s` is created here", (int)len, name);
  }
}

static const NodeKind emitter__kinds[] = {NK_CALL, NK_IMPORT_STATEMENT, NK_OTHER};

static const char *const emitter_error_unhandled__required_words[] = {"emit", NULL};

const RuleHooks rule_hooks_emitter_error_unhandled = {
    .required_words = emitter_error_unhandled__required_words,
    .node_kinds = emitter__kinds,
    .create = emitter__create,
    .destroy = emitter__destroy,
    .enter = emitter__enter,
    .finish = emitter__finish,
};
