/* The state of one analysis of one file: source, tree, the shared facts the walk collects
 * (scopes, bindings, enclosing functions) and the diagnostics being reported.
 *
 * Lives for one analyze_tree() call. TSNodes stored here are valid only while the tree lives,
 * which is longer than the Analysis: nothing in here outlives the call. */
#ifndef NODEHINT_ANALYSIS_ANALYSIS_H
#define NODEHINT_ANALYSIS_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis/diag.h"
#include "analysis/syms.h"
#include "base/array.h"
#include "base/strbuf.h"
#include "rules/settings.h"

#define NONE UINT32_MAX

typedef enum ScopeKind { SCOPE_MODULE, SCOPE_FUNCTION, SCOPE_BLOCK } ScopeKind;

typedef struct Scope {
  uint32_t parent;         /* NONE for the module scope */
  uint32_t function_scope; /* the nearest enclosing function or module scope (var target) */
  uint8_t kind;            /* ScopeKind */
  uint32_t start_byte, end_byte; /* the source range the scope covers */
  uint32_t depth;          /* 0 for the module scope */
  /* The last scope index inside this one (scopes are numbered in document order, so a scope's
   * descendants are exactly the indices after it up to here); UINT32_MAX while still open. */
  uint32_t last_descendant;
} Scope;

typedef enum BindingKind {
  BIND_VAR,
  BIND_LET,
  BIND_CONST,
  BIND_FUNCTION,
  BIND_CLASS,
  BIND_PARAM,
  BIND_CATCH,
  BIND_IMPORT,
} BindingKind;

enum {
  BINDING_REASSIGNED = 1 << 0,   /* assigned again after its declaration: value unreliable */
  BINDING_ORIGIN_DONE = 1 << 1,  /* origin memoized */
  BINDING_ORIGIN_BUSY = 1 << 2,  /* origin being computed (cycle guard) */
};

typedef struct Binding {
  uint32_t scope;
  uint32_t name_start, name_len; /* the name, as a byte range of the source */
  uint8_t kind;                  /* BindingKind */
  uint8_t flags;
  TSNode name_node; /* the declaring identifier */
  TSNode value;     /* initialiser / function node / import source string; null if none */
  char *path;       /* owned: member path inside a destructuring or import ("readFileSync",
                       "promises.readFile"); NULL means the value itself */
  uint32_t func;    /* FuncInfo index when the binding names a function in this file */
  char *origin;     /* owned, memoized: qualified name of what it holds ("fs.readFileSync") */
  /* Every binding of the same name, newest first (BindingTable.names); NONE ends the chain.
   * same_name_count is valid in the newest one: how many there are. */
  uint32_t next_same_name;
  uint32_t same_name_count;
} Binding;

enum {
  FUNC_ASYNC = 1 << 0,
  FUNC_HANDLER_PROP = 1 << 1, /* value of a `handler:` property of an object argument */
};

typedef struct FuncInfo {
  TSNode node;
  TSNode up[3];         /* the function's parent, grandparent and great-grandparent nodes
                           (null where absent): ts_node_parent() walks down from the root */
  uint32_t parent;      /* enclosing function (index), NONE at top level */
  uint32_t scope;       /* the function's own scope */
  uint32_t outer_scope; /* the scope the function appears in */
  TSNode call;          /* the call it is an argument of (see FUNC_HANDLER_PROP), or null */
  uint8_t arg_index;    /* its position among that call's arguments (255: unknown) */
  uint8_t flags;
  int8_t handler;       /* request-handler memo: -1 unknown, 0 no, 1 yes */
  uint32_t handler_info; /* index into Analysis.handler_infos when handler == 1 */
} FuncInfo;

typedef struct HandlerInfo {
  char framework[24]; /* "http", "express", "koa", "fastify", "request event", or "factory" /
                         "exported" for handlers registered in another file */
  char method[32];    /* "GET", "POST", "use", "createSecureServer", … or "" */
  char path[96];      /* route path where known (for "factory"/"exported": the factory's or
                         export's name), else "" */
} HandlerInfo;

typedef struct PendingAssignment {
  TSNode left, right;
  uint32_t scope;
} PendingAssignment;

typedef struct Redeclaration {
  uint32_t scope;
  uint32_t start, len; /* the name, as a byte range */
} Redeclaration;

typedef struct NamedHandlerRef {
  TSNode call;
  uint32_t scope;
} NamedHandlerRef;

/* Open-addressing hash tables over bindings: `slots` by (scope, name), `names` by name alone
 * (each slot holds the newest binding of that name, the head of its same-name chain). Lookup
 * takes whichever is shorter: the scopes from the use up to the module, or the bindings of
 * that name, so neither deep nesting nor many same-named bindings makes it quadratic. */
typedef struct BindingTable {
  uint32_t *slots; /* binding index + 1; 0 = empty */
  uint32_t capacity;
  uint32_t count;
  uint32_t *names; /* binding index + 1; 0 = empty */
  uint32_t name_capacity;
  uint32_t name_count;
} BindingTable;

struct Analysis {
  const Syms *syms;
  const char *text;
  uint32_t len;
  const LintConfig *config;
  DiagList *out;
  uint32_t out_start; /* diagnostics before this index belong to someone else */

  /* Walk state: the path from the root to the node being visited (exclusive). */
  Array(TSNode) ancestors;
  Array(uint32_t) scope_stack;
  Array(uint32_t) func_stack;

  /* Shared facts. */
  Array(Scope) scopes;
  Array(Binding) bindings;
  BindingTable table;
  Array(FuncInfo) funcs;
  Array(PendingAssignment) assignments;
  Array(Redeclaration) redeclarations; /* a name declared again in the same scope */
  Array(NamedHandlerRef) named_handler_refs;
  Array(HandlerInfo) handler_infos;
  bool named_handlers_resolved;
  uint32_t origin_depth; /* alias hops being followed (bounded) */

  void *rule_state[RULE_COUNT];

  /* Hover anchors being collected (analyze_tree_ex with an AnchorList), else NULL. */
  struct AnchorPass *anchor_pass;
};

/* Prepares `an` for one analysis of text[0..len) (nothing allocated yet). */
void analysis_init(Analysis *an, const char *text, uint32_t len, const LintConfig *config,
                   DiagList *out);
/* Frees everything the analysis collected (not the diagnostics, which belong to `out`). */
void analysis_fini(Analysis *an);

static inline uint32_t analysis_scope(const Analysis *an) {
  return an->scope_stack.size ? *array_back(&an->scope_stack) : 0;
}

static inline uint32_t analysis_func(const Analysis *an) {
  return an->func_stack.size ? *array_back(&an->func_stack) : NONE;
}

/* The k-th ancestor of the node being visited (0 = parent), or a null node. */
static inline TSNode analysis_ancestor(const Analysis *an, uint32_t k) {
  if (k >= an->ancestors.size) {
    TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
    return null_node;
  }
  return an->ancestors.items[an->ancestors.size - 1 - k];
}

#endif
