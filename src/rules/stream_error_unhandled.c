/* stream-error-unhandled: a stream created in this file by a known factory that takes part in
 * `.pipe()` — as source or destination, bound to a variable or inline
 * (`fs.createReadStream(p).pipe(res)`, `a.pipe(b).pipe(c)`) — with no 'error' listener.
 * `.pipe()` does not forward errors: each stream of a chain needs its own listener, or the
 * chain belongs in stream.pipeline(), which destroys every stream and reports the first error.
 * An 'error' event without a listener throws and, uncaught, ends the process.
 *
 * Factories, through any alias, destructuring or ESM import: fs (also fs-extra, graceful-fs)
 * createReadStream/createWriteStream/ReadStream/WriteStream, zlib.create*,
 * net.connect/createConnection, tls.connect, http/https.request, `new` stream (or
 * readable-stream) PassThrough/Transform/Readable/Writable/Duplex.
 *
 * Not reported: streams from parameters, other modules or unknown calls (an HTTP response
 * `res`, process.stdout, a library's stream); streams with an 'error' listener anywhere in the
 * file (also chained: `fs.createReadStream(p).on('error', h).pipe(res)`, and on the value of
 * `.pipe()`, which is its destination); streams handed to other code — pipeline(), finished(),
 * pump(), events.once(), any other argument, return value, property, export or alias
 * (analysis/uses.h), since that code may handle their errors; files with an uncaughtException
 * handler. One finding per stream, on the first `.pipe(…)` it is the source of (else the first
 * it is the destination of), with the stream's creation as related information: in
 * `a.pipe(b).pipe(c)` each `.pipe(…)` names the stream that feeds it, and `c` shares the last.
 * Entries: 怎么捕获Stream的错误事件?, 有哪些常用Stream?分别什么时候使用?. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "analysis/uses.h"
#include "rules/rule.h"

typedef struct StreamCreation {
  TSNode node; /* the call or new expression */
  uint32_t scope;
  ValueUse use;
  char factory[64]; /* "fs.createReadStream", "new stream.PassThrough" (finish) */
} StreamCreation;

typedef struct StreamCandidate {
  uint32_t binding;
  uint32_t creation; /* index into creations */
  ValueUse use;
} StreamCandidate;

typedef struct StreamState {
  Array(StreamCreation) creations;
  Array(StreamCandidate) candidates;
  uint32_t *status; /* per binding: 0 none, k + 1 candidate k */
  bool has_pipe;
} StreamState;

/* Names a factory call may end with (before resolution), besides create*. */
static const char *const stream__call_names[] = {"connect", "request", "ReadStream",
                                                 "WriteStream", NULL};

static const char *const stream__classes[] = {"PassThrough", "Transform",  "Readable",
                                              "Writable",    "Duplex",     "ReadStream",
                                              "WriteStream", NULL};

static void *stream__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(StreamState));
}

static void stream__destroy(void *state) {
  StreamState *s = state;
  if (!s) return;
  array_delete(&s->creations);
  array_delete(&s->candidates);
  free(s->status);
  free(s);
}

static void stream__enter(Analysis *an, void *state, TSNode node) {
  StreamState *s = state;
  const Syms *sy = an->syms;
  bool is_new = node_kind(an, node) == NK_NEW;
  TSNode callee = node_unparen(an, node_field(node, is_new ? sy->f_constructor : sy->f_function));
  char name[32];
  if (!node_callee_name(an, callee, name, sizeof name)) return;
  if (!is_new && strcmp(name, "pipe") == 0 && node_kind(an, callee) == NK_MEMBER) {
    s->has_pipe = true;
    return;
  }
  /* A bare name may be a renamed import (`const { createReadStream: open } = require('fs')`):
   * only resolving it after the walk can tell. A member keeps the real name in its property. */
  bool maybe =
      node_kind(an, callee) == NK_IDENTIFIER || (!is_new && strncmp(name, "create", 6) == 0);
  for (const char *const *n = is_new ? stream__classes : stream__call_names; *n && !maybe; n++)
    maybe = strcmp(name, *n) == 0;
  if (!maybe) return;
  StreamCreation c;
  memset(&c, 0, sizeof c);
  uses_classify(an, an->ancestors.items, an->ancestors.size, node, &c.use);
  if (!(c.use.flags & (USE_BOUND | USE_PIPE_SOURCE | USE_PIPE_DEST))) return;
  c.node = node;
  c.scope = analysis_scope(an);
  array_push(&s->creations, c);
}

enum { STREAM__CALL = 1, STREAM__NEW = 2 };

typedef struct StreamFactory {
  const char *module;
  const char *name; /* "create*": any name with that prefix */
  uint8_t how;      /* STREAM__CALL and/or STREAM__NEW */
} StreamFactory;

static const StreamFactory stream__factories[] = {
    {"fs", "createReadStream", STREAM__CALL},
    {"fs", "createWriteStream", STREAM__CALL},
    {"fs", "ReadStream", STREAM__CALL | STREAM__NEW},
    {"fs", "WriteStream", STREAM__CALL | STREAM__NEW},
    {"zlib", "create*", STREAM__CALL},
    {"net", "connect", STREAM__CALL},
    {"net", "createConnection", STREAM__CALL},
    {"tls", "connect", STREAM__CALL},
    {"http", "request", STREAM__CALL},
    {"https", "request", STREAM__CALL},
    {"stream", "PassThrough", STREAM__NEW},
    {"stream", "Transform", STREAM__NEW},
    {"stream", "Readable", STREAM__NEW},
    {"stream", "Writable", STREAM__NEW},
    {"stream", "Duplex", STREAM__NEW},
};

/* Modules that are drop-in replacements of a core module. */
static const char *stream__core_module(const char *module) {
  if (strcmp(module, "fs-extra") == 0 || strcmp(module, "graceful-fs") == 0) return "fs";
  if (strcmp(module, "readable-stream") == 0) return "stream";
  return module;
}

/* Resolves the factory a creation calls into c->factory ("fs.createReadStream", "new
 * stream.PassThrough"); false if it is not one this rule knows. */
static bool stream__factory(Analysis *an, StreamCreation *c) {
  const Syms *sy = an->syms;
  bool is_new = node_kind(an, c->node) == NK_NEW;
  StrBuf q;
  strbuf_init(&q);
  bool known = false;
  TSNode callee = node_field(c->node, is_new ? sy->f_constructor : sy->f_function);
  const char *dot;
  char module[64];
  if (!modules_qualify(an, callee, c->scope, &q) || !(dot = strrchr(q.data, '.')) ||
      (size_t)(dot - q.data) >= sizeof module)
    goto done;
  memcpy(module, q.data, (size_t)(dot - q.data));
  module[dot - q.data] = '\0';
  const char *core = stream__core_module(module), *fn = dot + 1;
  for (size_t i = 0; i < sizeof stream__factories / sizeof stream__factories[0] && !known; i++) {
    const StreamFactory *f = &stream__factories[i];
    size_t n = strlen(f->name);
    bool name_ok = f->name[n - 1] == '*' ? strncmp(fn, f->name, n - 1) == 0
                                          : strcmp(fn, f->name) == 0;
    known = name_ok && strcmp(core, f->module) == 0 &&
            (f->how & (is_new ? STREAM__NEW : STREAM__CALL));
  }
  if (known) snprintf(c->factory, sizeof c->factory, "%s%s", is_new ? "new " : "", q.data);
done:
  strbuf_fini(&q);
  return known;
}

static void stream__reference(Analysis *an, void *ctx, uint32_t binding, TSNode ident,
                              const TSNode *ancestors, uint32_t count) {
  StreamState *s = ctx;
  StreamCandidate *c = &s->candidates.items[s->status[binding] - 1];
  uses_classify_reference(an, &an->bindings.items[binding], ident, ancestors, count, &c->use);
}

/* Reports one stream: on the `pipe(…)` part of the call it is the source of, else of the one
 * it is the destination of. `name`/`name_len` is its variable, or NULL for an inline stream. */
static void stream__report(Analysis *an, const StreamCreation *creation, const ValueUse *use,
                           const char *name, size_t name_len) {
  const Syms *sy = an->syms;
  if (!(use->flags & (USE_PIPE_SOURCE | USE_PIPE_DEST))) return;
  if (use->flags & (USE_ERROR_LISTENER | USE_ERROR_GUARD | USE_ESCAPES)) return;
  TSNode pipe = (use->flags & USE_PIPE_SOURCE) ? use->pipe_source : use->pipe_dest;
  TSNode prop = node_field(node_unparen(an, node_field(pipe, sy->f_function)), sy->f_property);
  TSNode args = node_field(pipe, sy->f_arguments);
  if (ts_node_is_null(prop) || ts_node_is_null(args)) return;
  const char *tail = "is piped without an 'error' listener: .pipe() does not forward errors, "
                     "and an unhandled 'error' ends the process; use stream.pipeline()";
  Diag *d;
  if (name) {
    d = rule_report_span(an, RULE_stream_error_unhandled, prop, args, "`%.*s` (%s) %s",
                         (int)name_len, name, creation->factory, tail);
    rule_relate(d, creation->node, "`%.*s` is created here", (int)name_len, name);
  } else {
    d = rule_report_span(an, RULE_stream_error_unhandled, prop, args, "%s() %s",
                         creation->factory, tail);
    rule_relate(d, creation->node, "the stream is created here");
  }
}

static void stream__finish(Analysis *an, void *state) {
  StreamState *s = state;
  if (!s->has_pipe || !s->creations.size) return;
  /* A process-wide uncaughtException handler may keep the process alive. */
  if (uses_source_mentions(an, "uncaughtException")) return;
  s->status = xcalloc(an->bindings.size ? an->bindings.size : 1, sizeof *s->status);
  for (uint32_t i = 0; i < s->creations.size; i++) {
    StreamCreation *c = &s->creations.items[i];
    if (!stream__factory(an, c)) continue;
    if (!(c->use.flags & USE_BOUND)) {
      stream__report(an, c, &c->use, NULL, 0);
      continue;
    }
    uint32_t b = scope_lookup_node(an, c->scope, c->use.bound_name);
    if (b == NONE || s->status[b]) continue;
    const Binding *bd = &an->bindings.items[b];
    if ((bd->kind != BIND_VAR && bd->kind != BIND_LET && bd->kind != BIND_CONST) ||
        (bd->flags & BINDING_REASSIGNED) || bd->path || ts_node_is_null(bd->value))
      continue;
    /* The binding holds this stream: its value is the chain that contains the creation. */
    if (ts_node_start_byte(bd->value) > ts_node_start_byte(c->node) ||
        ts_node_end_byte(bd->value) < ts_node_end_byte(c->node))
      continue;
    StreamCandidate cand = {b, i, c->use};
    cand.use.flags &= ~(uint32_t)USE_BOUND;
    array_push(&s->candidates, cand);
    s->status[b] = s->candidates.size;
  }
  if (!s->candidates.size) return;
  Array(uint32_t) wanted = ARRAY_EMPTY;
  for (uint32_t k = 0; k < s->candidates.size; k++)
    array_push(&wanted, s->candidates.items[k].binding);
  TSNode root = ts_tree_root_node(s->creations.items[0].node.tree);
  uses_for_each_reference(an, root, wanted.items, wanted.size, stream__reference, s);
  array_delete(&wanted);
  for (uint32_t k = 0; k < s->candidates.size; k++) {
    const StreamCandidate *c = &s->candidates.items[k];
    const Binding *bd = &an->bindings.items[c->binding];
    stream__report(an, &s->creations.items[c->creation], &c->use, an->text + bd->name_start,
                   bd->name_len);
  }
}

static const NodeKind stream__kinds[] = {NK_CALL, NK_NEW, NK_OTHER};

static const char *const stream_error_unhandled__required_words[] = {"pipe", NULL};

const RuleHooks rule_hooks_stream_error_unhandled = {
    .required_words = stream_error_unhandled__required_words,
    .node_kinds = stream__kinds,
    .create = stream__create,
    .destroy = stream__destroy,
    .enter = stream__enter,
    .finish = stream__finish,
};
