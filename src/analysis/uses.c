#include "analysis/uses.h"

#include <string.h>

#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/array.h"
#include "base/xalloc.h"

/* Methods that register a listener and return the emitter. */
static const char *const uses__listener_methods[] = {
    "on", "once", "addListener", "prependListener", "prependOnceListener", NULL,
};

/* Other methods of EventEmitter, Readable, Writable and net.Socket that return `this`. */
static const char *const uses__chain_methods[] = {
    "removeListener", "off",        "removeAllListeners", "setMaxListeners", "setEncoding",
    "pause",          "resume",     "setDefaultEncoding", "setTimeout",      "setNoDelay",
    "setKeepAlive",   "ref",        "unref",              "unpipe",          NULL,
};

/* Methods that ask whether 'error' has listeners. */
static const char *const uses__guard_methods[] = {"listenerCount", "listeners", "rawListeners",
                                                  NULL};

TSNode uses_first_argument(const Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = node_kind(an, args) == NK_ARGUMENTS ? ts_node_named_child_count(args) : 0;
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = ts_node_named_child(args, i);
    if (node_kind(an, a) != NK_COMMENT) return a;
  }
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  return null_node;
}

bool uses_is_listener_method(const Analysis *an, TSNode property) {
  return node_kind(an, property) == NK_PROPERTY_IDENTIFIER &&
         node_text_in(an, property, uses__listener_methods);
}

int uses_listener_is_error(const Analysis *an, TSNode call) {
  TSNode arg = node_unparen(an, uses_first_argument(an, call));
  if (ts_node_is_null(arg)) return -1;
  char name[64];
  switch (node_kind(an, arg)) {
    case NK_STRING:
    case NK_TEMPLATE_STRING:
      /* An escape or a substitution: unknown, so it may be 'error'. */
      if (!node_string_value(an, arg, name, sizeof name)) return 1;
      return strcmp(name, "error") == 0;
    case NK_IDENTIFIER:
      return !node_text_eq(an, arg, "errorMonitor");
    case NK_MEMBER:
      return !node_text_eq(an, node_field(arg, an->syms->f_property), "errorMonitor");
    default:
      return 1;
  }
}

/* Is `arg` the first argument of `call`? */
static bool uses__is_first_argument(const Analysis *an, TSNode call, TSNode arg) {
  TSNode first = uses_first_argument(an, call);
  return !ts_node_is_null(first) && ts_node_eq(first, arg);
}

void uses_classify(const Analysis *an, const TSNode *ancestors, uint32_t count, TSNode node,
                   ValueUse *use) {
  const Syms *sy = an->syms;
  TSNode cur = node;
  uint32_t i = count;
  while (i > 0) {
    TSNode parent = ancestors[i - 1];
    TSNode grand = i >= 2 ? ancestors[i - 2] : (TSNode){{0, 0, 0, 0}, NULL, NULL};
    switch (node_kind(an, parent)) {
      case NK_PARENTHESIZED:
        cur = parent;
        i--;
        continue;
      case NK_MEMBER: {
        if (!ts_node_eq(node_field(parent, sy->f_object), cur)) return;
        TSNode prop = node_field(parent, sy->f_property);
        bool called = node_kind(an, grand) == NK_CALL &&
                      ts_node_eq(node_field(grand, sy->f_function), parent);
        if (!called || node_kind(an, prop) != NK_PROPERTY_IDENTIFIER)
          return; /* a property read or write: the value stays here */
        if (uses_is_listener_method(an, prop)) {
          if (uses_listener_is_error(an, grand) == 1) use->flags |= USE_ERROR_LISTENER;
          cur = grand;
          i -= 2;
          continue;
        }
        if (node_text_in(an, prop, uses__guard_methods)) {
          if (uses_listener_is_error(an, grand) != 0) use->flags |= USE_ERROR_GUARD;
          return;
        }
        if (node_text_eq(an, prop, "pipe")) {
          if (!(use->flags & USE_PIPE_SOURCE)) use->pipe_source = grand;
          use->flags |= USE_PIPE_SOURCE;
          return; /* .pipe() returns its destination */
        }
        if (node_text_in(an, prop, uses__chain_methods)) {
          cur = grand;
          i -= 2;
          continue;
        }
        return; /* emit, write, end, destroy, …: used, not handed out */
      }
      case NK_ARGUMENTS: {
        if (node_kind(an, grand) == NK_CALL && uses__is_first_argument(an, grand, cur)) {
          TSNode callee = node_unparen(an, node_field(grand, sy->f_function));
          if (node_kind(an, callee) == NK_MEMBER &&
              node_text_eq(an, node_field(callee, sy->f_property), "pipe")) {
            if (!(use->flags & USE_PIPE_DEST)) use->pipe_dest = grand;
            use->flags |= USE_PIPE_DEST;
            cur = grand; /* `a.pipe(b)` is `b` */
            i -= 2;
            continue;
          }
        }
        use->flags |= USE_ESCAPES;
        return;
      }
      case NK_VARIABLE_DECLARATOR: {
        if (!ts_node_eq(node_field(parent, sy->f_value), cur)) return; /* the name itself */
        TSNode name = node_field(parent, sy->f_name);
        if (node_kind(an, name) == NK_IDENTIFIER) {
          use->flags |= USE_BOUND;
          use->bound_name = name;
        } else {
          use->flags |= USE_ESCAPES; /* destructured: its parts go elsewhere */
        }
        return;
      }
      case NK_ASSIGNMENT: {
        if (!ts_node_eq(node_field(parent, sy->f_right), cur)) return; /* written to */
        TSNode left = node_unparen(an, node_field(parent, sy->f_left));
        if (node_kind(an, left) == NK_IDENTIFIER) {
          use->flags |= USE_BOUND;
          use->bound_name = left;
        } else {
          use->flags |= USE_ESCAPES; /* stored in a property */
        }
        return;
      }
      case NK_SEQUENCE: {
        uint32_t n = ts_node_named_child_count(parent);
        if (n == 0 || !ts_node_eq(ts_node_named_child(parent, n - 1), cur)) return;
        cur = parent;
        i--;
        continue;
      }
      case NK_EXPRESSION_STATEMENT:
      case NK_UNARY: /* !x, typeof x, void x */
      case NK_IF:    /* if (x) */
        return;
      case NK_BINARY_EXPRESSION: {
        TSNode op = node_field(parent, sy->f_operator);
        static const char *const logical[] = {"&&", "||", "??", NULL};
        if (node_text_in(an, op, logical)) use->flags |= USE_ESCAPES; /* the value flows on */
        return; /* a comparison */
      }
      case NK_TERNARY:
        if (!ts_node_eq(node_field(parent, sy->f_condition), cur)) use->flags |= USE_ESCAPES;
        return;
      default:
        /* return, yield, await, array element, property value, spread, export, template
         * substitution, subscript, JSX, …: someone else gets the value. */
        use->flags |= USE_ESCAPES;
        return;
    }
  }
}

/* The innermost scope at byte `byte`, for bytes visited in increasing order: scopes are
 * recorded in document order (pre-order), so a sweep with a stack of open scopes finds it in
 * amortised constant time. `stack` starts as [0], `next` as 1. */
static uint32_t uses__scope_at(const Analysis *an, void *stack_ptr, uint32_t *next,
                               uint32_t byte) {
  Array(uint32_t) *stack = stack_ptr;
  const Scope *sc = an->scopes.items;
  uint32_t ns = an->scopes.size;
  while (*next < ns && sc[*next].start_byte <= byte) {
    uint32_t s = (*next)++;
    while (stack->size > 1 && sc[*array_back(stack)].end_byte <= sc[s].start_byte)
      stack->size--;
    array_push(stack, s);
  }
  while (stack->size > 1 && sc[*array_back(stack)].end_byte <= byte) stack->size--;
  return *array_back(stack);
}

static uint32_t uses__hash(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

void uses_for_each_reference(Analysis *an, TSNode root, const uint32_t *wanted, uint32_t n,
                             UsesReferenceFn fn, void *ctx) {
  if (n == 0 || an->scopes.size == 0) return;
  /* Names of the wanted bindings, hashed: a bucket holds a chain of indices into `wanted`. */
  uint32_t cap = 16;
  while (cap < 2 * n) cap *= 2;
  uint32_t *heads = xmalloc(cap * sizeof *heads);
  uint32_t *chain = xmalloc(n * sizeof *chain);
  for (uint32_t i = 0; i < cap; i++) heads[i] = NONE;
  for (uint32_t k = 0; k < n; k++) {
    const Binding *b = &an->bindings.items[wanted[k]];
    uint32_t h = uses__hash(an->text + b->name_start, b->name_len) & (cap - 1);
    chain[k] = heads[h];
    heads[h] = k;
  }
  Array(TSNode) ancestors = ARRAY_EMPTY;
  Array(uint32_t) stack = ARRAY_EMPTY;
  array_push(&stack, 0u);
  uint32_t next_scope = 1;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    NodeKind kind = node_kind(an, node);
    if (kind == NK_IDENTIFIER || kind == NK_SHORTHAND_PROPERTY_IDENTIFIER) {
      size_t len;
      const char *text = node_text(an, node, &len);
      bool named = false;
      for (uint32_t k = heads[uses__hash(text, len) & (cap - 1)]; k != NONE && !named;
           k = chain[k]) {
        const Binding *b = &an->bindings.items[wanted[k]];
        named = b->name_len == len && memcmp(an->text + b->name_start, text, len) == 0;
      }
      if (named) {
        uint32_t scope = uses__scope_at(an, &stack, &next_scope, ts_node_start_byte(node));
        uint32_t found = scope_lookup(an, scope, text, len);
        for (uint32_t k = heads[uses__hash(text, len) & (cap - 1)]; k != NONE; k = chain[k])
          if (wanted[k] == found) {
            fn(an, ctx, found, node, ancestors.items, ancestors.size);
            break;
          }
      }
    }
    if (kind != NK_ERROR && ts_tree_cursor_goto_first_child(&cursor)) {
      array_push(&ancestors, node);
      continue;
    }
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
      if (!ts_tree_cursor_goto_parent(&cursor)) goto done;
      ancestors.size--;
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  array_delete(&ancestors);
  array_delete(&stack);
  free(heads);
  free(chain);
}

bool uses_source_mentions(const Analysis *an, const char *word) {
  size_t n = strlen(word);
  if (n == 0) return true;
  const char *end = an->text + an->len;
  for (const char *p = an->text; (size_t)(end - p) >= n; p++) {
    p = memchr(p, word[0], (size_t)(end - p) - n + 1);
    if (!p) return false;
    if (memcmp(p, word, n) == 0) return true;
  }
  return false;
}

void uses_classify_reference(const Analysis *an, const Binding *binding, TSNode ident,
                             const TSNode *ancestors, uint32_t count, ValueUse *use) {
  if (ts_node_start_byte(ident) == binding->name_start) {
    /* `export const bus = new EventEmitter()` */
    for (uint32_t k = 1; k <= 3 && k <= count; k++)
      if (node_kind(an, ancestors[count - k]) == NK_EXPORT_STATEMENT) use->flags |= USE_ESCAPES;
    return;
  }
  uses_classify(an, ancestors, count, ident, use);
  if (use->flags & USE_BOUND) use->flags = (use->flags & ~(uint32_t)USE_BOUND) | USE_ESCAPES;
}
