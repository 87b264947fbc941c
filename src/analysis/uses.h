/* Where an EventEmitter's (or a stream's) value goes: the question behind the rules about
 * unhandled 'error' events.
 *
 * uses_classify() follows one occurrence of a value upwards — through parentheses and through
 * the methods that return the emitter itself (`x.on(…).once(…)`, `s.setEncoding(…)`, and
 * `a.pipe(b)`, whose value is `b`) — and says what the code does with it: registers an 'error'
 * listener, pipes it, binds it to a variable, or hands it to code we cannot see (an argument,
 * a return value, a property, an export, an alias). Every context it does not recognise counts
 * as handing the value out, so a rule that stays silent for those stays precise.
 *
 * uses_for_each_reference() finds, after the walk, every occurrence of a set of bindings in one
 * pass over the tree, with the ancestors uses_classify() needs. */
#ifndef NODEHINT_ANALYSIS_USES_H
#define NODEHINT_ANALYSIS_USES_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis/analysis.h"

enum {
  /* .on/.once/.addListener/.prependListener/.prependOnceListener('error', …), or with an event
   * name that is not a literal (it may be 'error'); `errorMonitor` does not count: it observes
   * errors without handling them. */
  USE_ERROR_LISTENER = 1u << 0,
  /* .listenerCount('error') / .listeners('error') / .rawListeners('error'): an emit guarded by
   * a listener check does not throw. */
  USE_ERROR_GUARD = 1u << 1,
  /* handed to code we cannot see (argument, return, property, export, alias, computed member,
   * anything unrecognised). */
  USE_ESCAPES = 1u << 2,
  /* the initial value of `name` (a declarator or `name = value`); see ValueUse.bound_name. */
  USE_BOUND = 1u << 3,
  USE_PIPE_SOURCE = 1u << 4, /* `value.pipe(…)` */
  USE_PIPE_DEST = 1u << 5,   /* `….pipe(value)` */
};

typedef struct ValueUse {
  uint32_t flags;    /* USE_* bits, accumulated */
  TSNode bound_name; /* the identifier the value is bound to (USE_BOUND), else null */
  TSNode pipe_source; /* the first .pipe() call the value is the source of, else null */
  TSNode pipe_dest;   /* the first .pipe() call the value is the destination of, else null */
} ValueUse;

/* Adds to `use` how the value of `node` is used. `ancestors[0..count)` is the path from the
 * root to node's parent (ancestors[count - 1] is the parent), e.g. an->ancestors during the
 * walk. Bounded by `count`; no recursion. */
void uses_classify(const Analysis *an, const TSNode *ancestors, uint32_t count, TSNode node,
                   ValueUse *use);

/* Called for one occurrence of a wanted binding: `ident` is an identifier (or shorthand
 * property) that refers to binding `binding`; its declaring identifier is included. */
typedef void (*UsesReferenceFn)(Analysis *an, void *ctx, uint32_t binding, TSNode ident,
                                const TSNode *ancestors, uint32_t count);

/* Adds to `use` what one occurrence `ident` of the binding a created value is held in does
 * with it (for a UsesReferenceFn): at the declaration, an `export` around it hands the value
 * out; elsewhere uses_classify, with binding it to another name (`const alias = x`) counted
 * as handing it out, since the alias may get the listener. */
void uses_classify_reference(const Analysis *an, const Binding *binding, TSNode ident,
                             const TSNode *ancestors, uint32_t count, ValueUse *use);

/* Walks the tree under `root` once (cursor, skipping ERROR subtrees, as the analysis walk
 * does) and calls `fn` for every occurrence of the bindings listed in wanted[0..n). Scopes are
 * resolved as during the walk. Only valid after the walk. */
void uses_for_each_reference(Analysis *an, TSNode root, const uint32_t *wanted, uint32_t n,
                             UsesReferenceFn fn, void *ctx);

/* The event name a listener call registers: 1 for 'error' (or an unknown, non-literal name),
 * 0 for another literal name or errorMonitor, -1 when there is no first argument. */
int uses_listener_is_error(const Analysis *an, TSNode call);

/* True if `name` is one of the listener-registering methods (on, once, addListener,
 * prependListener, prependOnceListener). */
bool uses_is_listener_method(const Analysis *an, TSNode property);

/* The first argument of a call or new expression (comments skipped), or a null node. */
TSNode uses_first_argument(const Analysis *an, TSNode call);

/* True if `word` occurs anywhere in the source text (code, strings or comments): a cheap,
 * conservative test for file-wide constructs such as an uncaughtException handler. */
bool uses_source_mentions(const Analysis *an, const char *word);

#endif
