/* domain-deprecated: loading the domain module — `require('domain')`, `require('node:domain')`,
 * `import … from 'domain'`, `export … from 'domain'` or `import('domain')` — deprecated since
 * Node 4 (DEP0032). The Q&A recommends domain to gather the 'error' events of several
 * EventEmitters; a domain cannot promise a consistent state after an error, and Node's
 * replacements are an 'error' listener on each emitter, AsyncLocalStorage (async_hooks) for
 * per-request context, and a process-level handler that logs and exits.
 *
 * Reported on the require/import, once per occurrence. Not reported: other modules whose names
 * start the same (`domain-x`, `./domain`), and a `require` declared in the file (a bundler's
 * `function (require, module, exports)` wrapper, a custom loader), which is not Node's.
 * Entries: 怎么捕获EventEmitter的错误事件, 如何捕获NodeJS中的错误，有几种方法. */
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

typedef struct DomainCandidate {
  TSNode node;    /* the call or the import/export statement */
  TSNode require; /* the `require` identifier, or null for import/export */
  uint32_t scope;
} DomainCandidate;

typedef struct DomainState {
  Array(DomainCandidate) candidates;
} DomainState;

static void *domain__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(DomainState));
}

static void domain__destroy(void *state) {
  DomainState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

/* Is this string node the specifier 'domain' or 'node:domain'? */
static bool domain__is_domain(Analysis *an, TSNode spec) {
  char value[32], module[32];
  if (!node_string_value(an, spec, value, sizeof value)) return false;
  modules_normalize(value, module, sizeof module);
  return strcmp(module, "domain") == 0;
}

static void domain__enter(Analysis *an, void *state, TSNode node) {
  const Syms *sy = an->syms;
  DomainState *s = state;
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  switch (node_kind(an, node)) {
    case NK_IMPORT_STATEMENT:
    case NK_EXPORT_STATEMENT:
      if (domain__is_domain(an, node_field(node, sy->f_source)))
        array_push(&s->candidates, ((DomainCandidate){node, null_node, 0}));
      return;
    case NK_CALL: {
      TSNode callee = node_unparen(an, node_field(node, sy->f_function));
      NodeKind kind = node_kind(an, callee);
      bool require = kind == NK_IDENTIFIER && node_text_eq(an, callee, "require");
      if (!require && kind != NK_IMPORT) return;
      if (!domain__is_domain(an, node_call_arg(an, node, 0, NULL))) return;
      array_push(&s->candidates,
                 ((DomainCandidate){node, require ? callee : null_node, analysis_scope(an)}));
      return;
    }
    default:
      return;
  }
}

static void domain__finish(Analysis *an, void *state) {
  DomainState *s = state;
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    DomainCandidate c = s->candidates.items[i];
    if (!ts_node_is_null(c.require) && scope_lookup_node(an, c.scope, c.require) != NONE)
      continue; /* a `require` of the file's own */
    /* The call as written (`require('node:domain')`), or the import statement's gist. */
    char what[64] = "importing 'domain'";
    if (node_kind(an, c.node) == NK_CALL) {
      what[0] = '`';
      node_text_oneline(an, c.node, what + 1, sizeof what - 2);
      strcat(what, "`");
    }
    Diag *d = rule_report(
        an, RULE_domain_deprecated, c.node,
        "%s: the Q&A recommends the domain module to catch EventEmitter errors, but Node "
        "deprecated it (DEP0032); add an 'error' listener to each emitter, use "
        "AsyncLocalStorage (async_hooks) for per-request context, and let process-level "
        "handlers only log and exit",
        what);
    d->tags |= DIAG_TAG_DEPRECATED;
  }
}

static const NodeKind domain__kinds[] = {NK_CALL, NK_IMPORT_STATEMENT, NK_EXPORT_STATEMENT,
                                         NK_OTHER};

static const char *const domain_deprecated__required_words[] = {"domain", NULL};

const RuleHooks rule_hooks_domain_deprecated = {
    .required_words = domain_deprecated__required_words,
    .node_kinds = domain__kinds,
    .create = domain__create,
    .destroy = domain__destroy,
    .enter = domain__enter,
    .finish = domain__finish,
};
