/* exports-reassign: an assignment to the bare CommonJS `exports` binding (`exports = …`).
 * `exports` is only a local variable that starts out pointing at module.exports, and require()
 * returns module.exports: rebinding the variable exports nothing.
 *
 * Not reported: `module.exports = …`, `exports.foo = …`, the idioms that keep both in step
 * (`exports = module.exports = …`, `module.exports = exports = …`, `exports = module.exports`,
 * `exports = exports.default = …`),
 * assignments that hand back the same object (`exports = Object.assign(exports, …)`,
 * `exports = exports || {}`), files that later do `module.exports = exports`, assignments under
 * a test of `exports` itself (`if (typeof exports === 'undefined') exports = …`: browser code),
 * a local variable named `exports` (declared in the file, or a parameter such as a bundler's
 * `function (module, exports, require)` wrapper), and ES modules (a file with import or export
 * statements), where `exports` is not the CommonJS binding. Entry: exports和module.exports的
 * 区别和关系. */
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "rules/rule.h"

typedef struct ExportsCandidate {
  TSNode left; /* the `exports` identifier */
  uint32_t scope;
} ExportsCandidate;

typedef struct ExportsState {
  Array(ExportsCandidate) candidates;
  bool resynchronized;  /* the file does `module.exports = exports` */
} ExportsState;

static void *exports__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(ExportsState));
}

static void exports__destroy(void *state) {
  ExportsState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  free(s);
}

/* `module.exports` or `module['exports']`. */
static bool exports__is_module_exports(Analysis *an, TSNode node) {
  const Syms *sy = an->syms;
  node = node_unparen(an, node);
  NodeKind kind = node_kind(an, node);
  if (kind != NK_MEMBER && kind != NK_SUBSCRIPT) return false;
  TSNode object = node_unparen(an, node_field(node, sy->f_object));
  if (node_kind(an, object) != NK_IDENTIFIER || !node_text_eq(an, object, "module")) return false;
  if (kind == NK_MEMBER) return node_text_eq(an, node_field(node, sy->f_property), "exports");
  char key[16];
  return node_string_value(an, node_field(node, sy->f_index), key, sizeof key) &&
         strcmp(key, "exports") == 0;
}

static bool exports__is_exports(Analysis *an, TSNode node) {
  node = node_unparen(an, node);
  return node_kind(an, node) == NK_IDENTIFIER && node_text_eq(an, node, "exports");
}

/* Does the value handed to `exports` come back to the same object, or to module.exports?
 * `exports = module.exports = v`, `exports = a = module.exports`, `exports = exports || {}`,
 * `exports = Object.assign(exports, …)`. */
static bool exports__keeps_in_step(Analysis *an, TSNode right) {
  const Syms *sy = an->syms;
  TSNode cur = node_unparen(an, right);
  for (int i = 0; i < 16 && node_kind(an, cur) == NK_ASSIGNMENT; i++) {
    TSNode left = node_unparen(an, node_field(cur, sy->f_left));
    if (exports__is_module_exports(an, left)) return true;
    /* `exports = exports.default = v`: the value is exported through the property. */
    if ((node_kind(an, left) == NK_MEMBER || node_kind(an, left) == NK_SUBSCRIPT) &&
        (exports__is_exports(an, node_field(left, sy->f_object)) ||
         exports__is_module_exports(an, node_field(left, sy->f_object))))
      return true;
    cur = node_unparen(an, node_field(cur, sy->f_right));
  }
  if (exports__is_module_exports(an, cur) || exports__is_exports(an, cur)) return true;
  NodeKind kind = node_kind(an, cur);
  if (kind == NK_BINARY_EXPRESSION)
    return exports__is_exports(an, node_field(cur, sy->f_left)) ||
           exports__is_exports(an, node_field(cur, sy->f_right));
  if (kind == NK_TERNARY)
    return exports__is_exports(an, node_field(cur, sy->f_consequence)) ||
           exports__is_exports(an, node_field(cur, sy->f_alternative));
  if (kind == NK_CALL) {
    TSNode args = node_field(cur, sy->f_arguments);
    uint32_t n = node_kind(an, args) == NK_ARGUMENTS ? ts_node_named_child_count(args) : 0;
    for (uint32_t k = 0; k < n; k++)
      if (exports__is_exports(an, ts_node_named_child(args, k))) return true;
  }
  return false;
}

/* Is the assignment being visited the right-hand side of `module.exports = …` (directly or
 * through other assignments), or guarded by a test that mentions `exports`? */
static bool exports__excused_by_context(Analysis *an, TSNode assignment) {
  const Syms *sy = an->syms;
  uint32_t start = ts_node_start_byte(assignment);
  bool in_chain = true;
  for (uint32_t k = 0; k < an->ancestors.size; k++) {
    TSNode up = analysis_ancestor(an, k);
    NodeKind kind = node_kind(an, up);
    if (syms_kind_is_function(kind)) break;
    if (in_chain && kind == NK_PARENTHESIZED) continue;
    if (in_chain && kind == NK_ASSIGNMENT &&
        ts_node_start_byte(node_field(up, sy->f_right)) <= start) {
      if (exports__is_module_exports(an, node_field(up, sy->f_left))) return true;
      continue;
    }
    in_chain = false;
    if (kind == NK_IF || kind == NK_TERNARY) {
      TSNode cond = node_field(up, sy->f_condition);
      if (ts_node_end_byte(cond) > start) continue; /* we are in the condition itself */
      size_t len;
      const char *text = node_text(an, cond, &len);
      for (size_t i = 0; i + 7 <= len; i++)
        if (memcmp(text + i, "exports", 7) == 0) return true;
    }
  }
  return false;
}

static void exports__enter(Analysis *an, void *state, TSNode node) {
  const Syms *sy = an->syms;
  ExportsState *s = state;
  TSNode left = node_field(node, sy->f_left);
  TSNode right = node_field(node, sy->f_right);
  if (exports__is_module_exports(an, left)) {
    if (exports__is_exports(an, right)) s->resynchronized = true;
    return;
  }
  if (node_kind(an, left) != NK_IDENTIFIER || !node_text_eq(an, left, "exports")) return;
  if (exports__keeps_in_step(an, right) || exports__excused_by_context(an, node)) return;
  array_push(&s->candidates, ((ExportsCandidate){left, analysis_scope(an)}));
}

/* Is the file an ES module: does a top-level statement import or export? (Read from the tree,
 * not from the walk, which may cover only part of the file: src/analysis/units.h.) */
static bool exports__is_esm(const Analysis *an, TSNode any) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(any.tree));
  bool esm = false;
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      NodeKind kind = node_kind(an, ts_tree_cursor_current_node(&cursor));
      esm = kind == NK_IMPORT_STATEMENT || kind == NK_EXPORT_STATEMENT;
    } while (!esm && ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return esm;
}

static void exports__finish(Analysis *an, void *state) {
  ExportsState *s = state;
  if (!s->candidates.size || s->resynchronized || exports__is_esm(an, s->candidates.items[0].left))
    return;
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    ExportsCandidate c = s->candidates.items[i];
    if (scope_lookup_node(an, c.scope, c.left) != NONE) continue; /* a local `exports` */
    rule_report(an, RULE_exports_reassign, c.left,
                "assigning to `exports` only rebinds a local variable: require() returns "
                "module.exports, so this value is never exported; use `module.exports = …` "
                "(or add properties: `exports.name = …`)");
  }
}

static const NodeKind exports__kinds[] = {NK_ASSIGNMENT, NK_OTHER};

static const char *const exports_reassign__required_words[] = {"exports", NULL};

const RuleHooks rule_hooks_exports_reassign = {
    .required_words = exports_reassign__required_words,
    .node_kinds = exports__kinds,
    .create = exports__create,
    .destroy = exports__destroy,
    .enter = exports__enter,
    .finish = exports__finish,
};
