/* legacy-api: the outdated APIs the Q&A document itself shows, each finding quoting the entry
 * that shows it:
 *   - util.inherits(Child, Parent) — legacy since ES2015 classes (如何实现一个EventEmitter, or
 *     实现一个Writable Stream when the parent is a stream class);
 *   - app.configure(…) on an express() app — removed in Express 4, where it throws a TypeError
 *     (express常用函数);
 *   - sinon.stub(obj, 'method', fn) with a third argument — removed in Sinon 3, where it
 *     throws a TypeError (什么是Stub);
 *   - console.warning(…) — never existed: a TypeError at run time (console有哪些常用方法).
 * Each is recognised through aliases (`const { inherits } = require('util')`, `const app =
 * express()`, a sinon sandbox); an object of unknown origin with a method of the same name
 * (`config.configure()`, `stubs.stub(a, b, c)`, a local `console`) is not reported, nor is
 * util.inherits on a constructor the caller passes in (`function register(ctor) {
 * util.inherits(ctor, Node); }`), which this file cannot turn into a class. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

typedef struct LegacyCandidate {
  TSNode call;
  uint32_t scope;
} LegacyCandidate;

typedef struct LegacyState {
  Array(LegacyCandidate) candidates;
} LegacyState;

static const char *const legacy__methods[] = {"inherits", "configure", "stub", "warning", NULL};

static const char *const legacy__express_apps[] = {
    "express().configure", "express.createServer().configure", NULL,
};
static const char *const legacy__sinon_stubs[] = {
    "sinon.stub", "sinon.createSandbox().stub", "sinon.sandbox.create().stub", NULL,
};
/* Parents that make util.inherits the Writable Stream entry's example rather than the
 * EventEmitter one. */
static const char *const legacy__stream_classes[] = {
    "Writable", "Readable", "Duplex", "Transform", "PassThrough", "Stream", NULL,
};

static void *legacy__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(LegacyState));
}

static void legacy__destroy(void *state) {
  LegacyState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

static void legacy__enter(Analysis *an, void *state, TSNode call) {
  TSNode callee = node_unparen(an, node_field(call, an->syms->f_function));
  NodeKind k = node_kind(an, callee);
  /* A bare identifier may be a renamed import (`const { inherits: extend } = …`). */
  if (k != NK_IDENTIFIER &&
      !(k == NK_MEMBER && node_text_in(an, node_field(callee, an->syms->f_property),
                                       legacy__methods)))
    return;
  LegacyState *s = state;
  array_push(&s->candidates, ((LegacyCandidate){call, analysis_scope(an)}));
}

static bool legacy__in(const char *word, const char *const *words) {
  for (; *words; words++)
    if (strcmp(word, *words) == 0) return true;
  return false;
}

/* A short name for a class argument: an identifier or a member chain like events.EventEmitter
 * (no blanks, at most cap-1 bytes), else "". */
static void legacy__class_name(Analysis *an, TSNode node, char *buf, size_t cap) {
  buf[0] = '\0';
  node = node_unparen(an, node);
  NodeKind k = node_kind(an, node);
  if (k != NK_IDENTIFIER && k != NK_MEMBER) return;
  size_t len;
  const char *t = node_text(an, node, &len);
  if (len >= cap) return;
  for (size_t i = 0; i < len; i++)
    if (t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r' || t[i] == '(') return;
  memcpy(buf, t, len);
  buf[len] = '\0';
}

/* The last member name of a class argument (`stream.Writable` -> "Writable"). */
static const char *legacy__last_name(const char *name) {
  const char *dot = strrchr(name, '.');
  return dot ? dot + 1 : name;
}

static void legacy__inherits(Analysis *an, LegacyCandidate c, TSNode callee) {
  uint32_t count;
  char child[64], parent[64];
  /* A constructor handed in by the caller (`function register(type, ctor) {
   * util.inherits(ctor, Node); }`: node-red's registerType, mixin helpers) is not a class this
   * file declares, so it cannot be rewritten as `class … extends …` here. */
  TSNode first = node_call_arg(an, c.call, 0, &count);
  if (!ts_node_is_null(first)) first = node_unparen(an, first);
  if (!ts_node_is_null(first) && node_kind(an, first) == NK_IDENTIFIER) {
    uint32_t b = scope_lookup_node(an, c.scope, first);
    if (b != NONE && an->bindings.items[b].kind == BIND_PARAM) return;
  }
  legacy__class_name(an, node_call_arg(an, c.call, 0, &count), child, sizeof child);
  legacy__class_name(an, node_call_arg(an, c.call, 1, NULL), parent, sizeof parent);
  bool stream = parent[0] && legacy__in(legacy__last_name(parent), legacy__stream_classes);
  if (!stream) {
    StrBuf q;
    strbuf_init(&q);
    if (modules_qualify(an, node_call_arg(an, c.call, 1, NULL), c.scope, &q))
      stream = strcmp(q.data, "stream") == 0 || modules_is_member_of(q.data, "readable-stream") ||
               (modules_is_member_of(q.data, "stream") &&
                legacy__in(legacy__last_name(q.data), legacy__stream_classes));
    strbuf_fini(&q);
  }
  Diag *d;
  if (child[0] && parent[0])
    d = rule_report(an, RULE_legacy_api, callee,
                    "util.inherits(%s, %s) is a legacy API that Node's documentation "
                    "discourages; declare `class %s extends %s` and call super() in its "
                    "constructor",
                    child, parent, legacy__last_name(child), parent);
  else
    d = rule_report(an, RULE_legacy_api, callee,
                    "util.inherits() is a legacy API that Node's documentation discourages; "
                    "declare the class with `class … extends …` and call super() in its "
                    "constructor");
  d->entry = stream ? "implement-writable-stream" : "implement-eventemitter";
}

static void legacy__finish(Analysis *an, void *state) {
  LegacyState *s = state;
  if (!s->candidates.size) return; /* most files: skip the scan of every binding below */
  const Syms *sy = an->syms;
  StrBuf q;
  strbuf_init(&q);
  /* Only util.inherits is commonly taken out of its module by name. */
  HolderSet holders;
  scope_member_holders(an, "inherits", &holders);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    LegacyCandidate c = s->candidates.items[i];
    TSNode callee = node_unparen(an, node_field(c.call, sy->f_function));
    if (node_kind(an, callee) == NK_IDENTIFIER &&
        !scope_refers_to_one_of(an, c.scope, callee, &holders))
      continue;
    strbuf_clear(&q);
    bool known = modules_qualify(an, callee, c.scope, &q);
    /* `sinon` is often a global of the test runner (karma-sinon, a mocha setup file). */
    if (!known && node_kind(an, callee) == NK_MEMBER) {
      TSNode object = node_field(callee, sy->f_object);
      if (node_kind(an, object) == NK_IDENTIFIER && node_text_eq(an, object, "sinon") &&
          scope_lookup_node(an, c.scope, object) == NONE &&
          node_text_eq(an, node_field(callee, sy->f_property), "stub")) {
        strbuf_puts(&q, "sinon.stub");
        known = true;
      }
    }
    if (!known) continue;
    if (strcmp(q.data, "util.inherits") == 0) {
      legacy__inherits(an, c, callee);
    } else if (legacy__in(q.data, legacy__express_apps)) {
      Diag *d = rule_report(an, RULE_legacy_api, callee,
                            "app.configure() was removed in Express 4 (calling it throws a "
                            "TypeError); run the configuration directly, testing "
                            "app.get('env') or process.env.NODE_ENV where it depends on the "
                            "environment");
      d->tags |= DIAG_TAG_DEPRECATED;
      d->entry = "express-common-functions";
    } else if (legacy__in(q.data, legacy__sinon_stubs)) {
      uint32_t count;
      node_call_arg(an, c.call, 0, &count);
      if (count < 3) continue;
      Diag *d = rule_report(an, RULE_legacy_api, callee,
                            "sinon.stub(obj, 'method', fn) with a third argument was removed "
                            "in Sinon 3 (it throws a TypeError); write "
                            "sinon.stub(obj, 'method').callsFake(fn)");
      d->tags |= DIAG_TAG_DEPRECATED;
      d->entry = "what-is-stub";
    } else if (strcmp(q.data, "console.warning") == 0) {
      Diag *d = rule_report(an, RULE_legacy_api, callee,
                            "console.warning() does not exist (TypeError: console.warning is "
                            "not a function); use console.warn()");
      d->entry = "console-methods";
    }
  }
  holder_set_fini(&holders);
  strbuf_fini(&q);
}

static const NodeKind legacy__kinds[] = {NK_CALL, NK_OTHER};

static const char *const legacy_api__required_words[] = {"inherits", "configure", "stub", "warning", NULL};

const RuleHooks rule_hooks_legacy_api = {
    .required_words = legacy_api__required_words,
    .node_kinds = legacy__kinds,
    .create = legacy__create,
    .destroy = legacy__destroy,
    .enter = legacy__enter,
    .finish = legacy__finish,
};
