#include "analysis/walk.h"

#include <pthread.h>
#include <string.h>

#include "analysis/anchors.h"
#include "analysis/handlers.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

/* Which rules subscribe to which node kinds: built once from the rules' hooks. */
typedef struct Dispatch {
  uint16_t start[NK__COUNT + 1];
  uint16_t rules[NK__COUNT * RULE_COUNT];
} Dispatch;

static Dispatch walk__dispatch;
static pthread_once_t walk__once = PTHREAD_ONCE_INIT;

static void walk__build_dispatch(void) {
  uint16_t n = 0;
  for (int kind = 0; kind < NK__COUNT; kind++) {
    walk__dispatch.start[kind] = n;
    for (int r = 0; r < RULE_COUNT; r++) {
      const NodeKind *kinds = rule_infos[r].hooks->node_kinds;
      for (; kinds && *kinds != NK_OTHER; kinds++)
        if ((int)*kinds == kind) {
          walk__dispatch.rules[n++] = (uint16_t)r;
          break;
        }
    }
  }
  walk__dispatch.start[NK__COUNT] = n;
}

bool walk_init(void) {
  pthread_once(&walk__once, walk__build_dispatch);
  return syms_get() != NULL;
}

/* Is this statement_block a function body (which shares the function's scope)? */
static bool walk__is_function_body(const Analysis *an) {
  return node_is_function(an, analysis_ancestor(an, 0));
}

static uint8_t walk__index_in(const Analysis *an, TSNode args, TSNode arg) {
  uint32_t n = ts_node_named_child_count(args), start = ts_node_start_byte(arg);
  for (uint32_t i = 0, k = 0; i < n && k < 255; i++) {
    TSNode child = ts_node_named_child(args, i);
    if (node_kind(an, child) == NK_COMMENT) continue;
    if (ts_node_start_byte(child) == start) return (uint8_t)k;
    k++;
  }
  return 255;
}

/* Where a function is passed: direct argument, `fn.bind(…)` argument, or the `handler`
 * property (or method) of an object argument. */
static void walk__locate_function(Analysis *an, FuncInfo *f) {
  const Syms *sy = an->syms;
  TSNode p0 = analysis_ancestor(an, 0), p1 = analysis_ancestor(an, 1);
  NodeKind k0 = node_kind(an, p0), k1 = node_kind(an, p1);
  if (k0 == NK_ARGUMENTS && k1 == NK_CALL) {
    f->call = p1;
    f->arg_index = walk__index_in(an, p0, f->node);
    return;
  }
  /* `(() => {…}).bind(this)`: look through the parentheses. */
  uint32_t up = 0;
  if (k0 == NK_PARENTHESIZED) {
    up = 1;
    p0 = p1;
    k0 = k1;
    p1 = analysis_ancestor(an, 2);
    k1 = node_kind(an, p1);
  }
  TSNode p2 = analysis_ancestor(an, 2 + up), p3 = analysis_ancestor(an, 3 + up);
  NodeKind k2 = node_kind(an, p2), k3 = node_kind(an, p3);
  if (k0 == NK_MEMBER && k1 == NK_CALL && k2 == NK_ARGUMENTS && k3 == NK_CALL &&
      node_text_eq(an, node_field(p0, sy->f_property), "bind")) {
    f->call = p3;
    f->arg_index = walk__index_in(an, p2, p1);
    return;
  }
  bool handler_pair = k0 == NK_PAIR && k1 == NK_OBJECT && k2 == NK_ARGUMENTS && k3 == NK_CALL &&
                      node_text_eq(an, node_field(p0, sy->f_key), "handler");
  bool handler_method = node_kind(an, f->node) == NK_METHOD_DEFINITION && k0 == NK_OBJECT &&
                        k1 == NK_ARGUMENTS && k2 == NK_CALL &&
                        node_text_eq(an, node_field(f->node, sy->f_name), "handler");
  if (handler_pair || handler_method) {
    f->call = handler_pair ? p3 : p2;
    f->arg_index = walk__index_in(an, handler_pair ? p2 : p1, handler_pair ? p1 : p0);
    f->flags |= FUNC_HANDLER_PROP;
  }
}

static void walk__enter_function(Analysis *an, TSNode node, NodeKind kind) {
  const Syms *sy = an->syms;
  uint32_t index = an->funcs.size;
  if (kind == NK_FUNCTION_DECLARATION || kind == NK_GENERATOR_FUNCTION_DECLARATION) {
    TSNode name = node_field(node, sy->f_name);
    if (node_kind(an, name) == NK_IDENTIFIER)
      scope_declare(an, NONE, BIND_FUNCTION, name, node, NULL, index);
  }
  FuncInfo f;
  memset(&f, 0, sizeof f);
  f.node = node;
  for (uint32_t k = 0; k < 3; k++) f.up[k] = analysis_ancestor(an, k);
  f.parent = analysis_func(an);
  f.outer_scope = analysis_scope(an);
  f.arg_index = 255;
  f.handler = -1;
  f.handler_info = NONE;
  size_t len;
  const char *text = node_text(an, node, &len);
  if (len > 5 && memcmp(text, "async", 5) == 0) f.flags |= FUNC_ASYNC;
  walk__locate_function(an, &f);
  f.scope = scope_push(an, SCOPE_FUNCTION, node);
  array_push(&an->funcs, f);
  array_push(&an->func_stack, index);
  if (kind == NK_FUNCTION_EXPRESSION || kind == NK_GENERATOR_FUNCTION) {
    TSNode name = node_field(node, sy->f_name);
    if (node_kind(an, name) == NK_IDENTIFIER)
      scope_declare(an, f.scope, BIND_FUNCTION, name, node, NULL, index);
  }
  TSNode bare = node_field(node, sy->f_parameter);
  if (!ts_node_is_null(bare)) {
    scope_declare_pattern(an, f.scope, BIND_PARAM, bare, bare);
  } else {
    TSNode params = node_field(node, sy->f_parameters);
    uint32_t n = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < n; i++) {
      TSNode p = ts_node_named_child(params, i);
      if (node_kind(an, p) != NK_COMMENT) scope_declare_pattern(an, f.scope, BIND_PARAM, p, p);
    }
  }
}

static void walk__declarator(Analysis *an, TSNode node) {
  const Syms *sy = an->syms;
  TSNode decl = analysis_ancestor(an, 0);
  BindingKind kind = BIND_VAR;
  if (node_kind(an, decl) == NK_LEXICAL_DECLARATION) {
    size_t len;
    const char *t = node_text(an, decl, &len);
    kind = (len >= 5 && memcmp(t, "const", 5) == 0) ? BIND_CONST : BIND_LET;
  }
  TSNode name = node_field(node, sy->f_name);
  TSNode value = node_field(node, sy->f_value);
  uint32_t scope = analysis_scope(an);
  if (kind == BIND_VAR) scope = an->scopes.items[scope].function_scope;
  if (node_kind(an, name) == NK_IDENTIFIER)
    scope_declare(an, scope, kind, name, value, NULL, NONE);
  else
    scope_declare_pattern(an, scope, kind, name, value);
}

static void walk__import(Analysis *an, TSNode node) {
  const Syms *sy = an->syms;
  TSNode source = node_field(node, sy->f_source);
  if (ts_node_is_null(source)) return;
  uint32_t module_scope = 0;
  uint32_t n = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < n; i++) {
    TSNode clause = ts_node_named_child(node, i);
    if (node_kind(an, clause) != NK_IMPORT_CLAUSE) continue;
    uint32_t m = ts_node_named_child_count(clause);
    for (uint32_t j = 0; j < m; j++) {
      TSNode part = ts_node_named_child(clause, j);
      switch (node_kind(an, part)) {
        case NK_IDENTIFIER: /* import fs from 'fs' */
          scope_declare(an, module_scope, BIND_IMPORT, part, source, "default", NONE);
          break;
        case NK_NAMESPACE_IMPORT: { /* import * as fs from 'fs' */
          TSNode id = ts_node_named_child(part, 0);
          if (node_kind(an, id) == NK_IDENTIFIER)
            scope_declare(an, module_scope, BIND_IMPORT, id, source, NULL, NONE);
          break;
        }
        case NK_NAMED_IMPORTS: { /* import { readFileSync as rfs } from 'fs' */
          uint32_t k = ts_node_named_child_count(part);
          for (uint32_t s = 0; s < k; s++) {
            TSNode spec = ts_node_named_child(part, s);
            if (node_kind(an, spec) != NK_IMPORT_SPECIFIER) continue;
            TSNode name = node_field(spec, sy->f_name), alias = node_field(spec, sy->f_alias);
            char imported[128];
            if (!node_text_copy(an, name, imported, sizeof imported) &&
                !node_string_value(an, name, imported, sizeof imported))
              continue;
            if (node_kind(an, name) == NK_STRING &&
                !node_string_value(an, name, imported, sizeof imported))
              continue;
            TSNode local = ts_node_is_null(alias) ? name : alias;
            if (node_kind(an, local) == NK_IDENTIFIER)
              scope_declare(an, module_scope, BIND_IMPORT, local, source, imported, NONE);
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

/* Updates the shared facts on entering a node. Returns false to skip its subtree. */
static bool walk__core_enter(Analysis *an, TSNode node, NodeKind kind) {
  const Syms *sy = an->syms;
  if (syms_kind_is_function(kind)) {
    walk__enter_function(an, node, kind);
    return true;
  }
  switch (kind) {
    case NK_ERROR:
      return false;
    case NK_STATEMENT_BLOCK:
      if (!walk__is_function_body(an)) scope_push(an, SCOPE_BLOCK, node);
      break;
    case NK_FOR:
      scope_push(an, SCOPE_BLOCK, node);
      break;
    case NK_FOR_IN: {
      uint32_t scope = scope_push(an, SCOPE_BLOCK, node);
      TSNode kind_node = node_field(node, sy->f_kind);
      if (!ts_node_is_null(kind_node)) {
        bool is_var = node_text_eq(an, kind_node, "var");
        BindingKind bk = is_var ? BIND_VAR : node_text_eq(an, kind_node, "const") ? BIND_CONST : BIND_LET;
        TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
        scope_declare_pattern(an, is_var ? an->scopes.items[scope].function_scope : scope, bk,
                              node_field(node, sy->f_left), null_node);
      }
      break;
    }
    case NK_CATCH: {
      uint32_t scope = scope_push(an, SCOPE_BLOCK, node);
      TSNode param = node_field(node, sy->f_parameter);
      if (!ts_node_is_null(param)) {
        TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
        scope_declare_pattern(an, scope, BIND_CATCH, param, null_node);
      }
      break;
    }
    case NK_CLASS_DECLARATION: {
      TSNode name = node_field(node, sy->f_name);
      if (node_kind(an, name) == NK_IDENTIFIER)
        scope_declare(an, NONE, BIND_CLASS, name, node, NULL, NONE);
      break;
    }
    case NK_VARIABLE_DECLARATOR:
      walk__declarator(an, node);
      break;
    case NK_IMPORT_STATEMENT:
      walk__import(an, node);
      break;
    case NK_ASSIGNMENT: {
      TSNode left = node_field(node, sy->f_left);
      if (node_kind(an, left) == NK_IDENTIFIER)
        array_push(&an->assignments,
                   ((PendingAssignment){left, node_field(node, sy->f_right), analysis_scope(an)}));
      break;
    }
    case NK_CALL:
      handlers_note_call(an, node);
      break;
    default:
      break;
  }
  return true;
}

static void walk__core_leave(Analysis *an, NodeKind kind) {
  if (syms_kind_is_function(kind)) {
    if (an->func_stack.size) an->func_stack.size--;
    scope_pop(an);
    return;
  }
  switch (kind) {
    case NK_STATEMENT_BLOCK:
      if (!walk__is_function_body(an)) scope_pop(an);
      break;
    case NK_FOR:
    case NK_FOR_IN:
    case NK_CATCH:
      scope_pop(an);
      break;
    default:
      break;
  }
}

/* Enters a node: returns its kind, or NK__COUNT to skip its subtree (ERROR). */
static NodeKind walk__enter(Analysis *an, TSNode node, const bool *enabled) {
  NodeKind kind = syms_kind(an->syms, node);
  if (kind == NK_OTHER) return kind;
  if (!walk__core_enter(an, node, kind)) return NK__COUNT;
  if (an->anchor_pass) anchors_note(an, node, kind);
  for (uint16_t i = walk__dispatch.start[kind]; i < walk__dispatch.start[kind + 1]; i++) {
    uint16_t r = walk__dispatch.rules[i];
    if (enabled[r] && rule_infos[r].hooks->enter)
      rule_infos[r].hooks->enter(an, an->rule_state[r], node);
  }
  return kind;
}

static void walk__leave(Analysis *an, TSNode node, NodeKind kind, const bool *enabled) {
  if (kind == NK_OTHER) return;
  /* Rules leave before the core pops the node's scope, mirroring enter. */
  for (uint16_t i = walk__dispatch.start[kind]; i < walk__dispatch.start[kind + 1]; i++) {
    uint16_t r = walk__dispatch.rules[i];
    if (enabled[r] && rule_infos[r].hooks->leave)
      rule_infos[r].hooks->leave(an, an->rule_state[r], node);
  }
  walk__core_leave(an, kind);
}

/* The kind of each ancestor rides along the ancestor stack, so leaving a node never asks
 * tree-sitter for its symbol a second time: the walk is the hot loop of every analysis. */
void walk_run(Analysis *an, TSNode root, const bool *enabled, const WalkMask *mask) {
  Array(uint8_t) kinds = ARRAY_EMPTY;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  const uint8_t *units = mask ? mask->units : NULL;
  uint32_t unit_depth = UINT32_MAX; /* ancestors.size while the cursor is on a container child */
  uint32_t unit = 0;                /* which child of the container it is on */
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    /* A statement left out of a partial walk is not there at all. */
    bool skipped = units && an->ancestors.size == unit_depth && !units[unit];
    NodeKind kind = skipped ? NK__COUNT : walk__enter(an, node, enabled);
    if (kind != NK__COUNT) {
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        array_push(&an->ancestors, node);
        array_push(&kinds, (uint8_t)kind);
        if (units && node.id == mask->container) {
          unit_depth = an->ancestors.size;
          unit = 0;
        }
        continue;
      }
      walk__leave(an, node, kind, enabled);
    }
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (an->ancestors.size == unit_depth) unit++;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&cursor)) goto done;
      TSNode parent = array_pop(&an->ancestors);
      if (an->ancestors.size + 1 == unit_depth) unit_depth = UINT32_MAX; /* left the container */
      walk__leave(an, parent, (NodeKind)array_pop(&kinds), enabled);
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  array_delete(&kinds);
}
