/* Small helpers over TSNode that every rule needs: fields by id, text comparison, string
 * literal values, parameter names. All take the Analysis for the source text and Syms. */
#ifndef NODEHINT_ANALYSIS_NODE_H
#define NODEHINT_ANALYSIS_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis/analysis.h"

static inline NodeKind node_kind(const Analysis *an, TSNode node) {
  return ts_node_is_null(node) ? NK_OTHER : syms_kind(an->syms, node);
}

static inline TSNode node_field(TSNode node, TSFieldId field) {
  return ts_node_is_null(node) ? node : ts_node_child_by_field_id(node, field);
}

/* Pointer to the node's text in the source and its length (borrowed from the Analysis). */
static inline const char *node_text(const Analysis *an, TSNode node, size_t *len) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  if (end > an->len) end = an->len;
  if (start > end) start = end;
  *len = end - start;
  return an->text + start;
}

/* The index-th argument of a call (comments skipped), or a null node; *count (if not NULL)
 * receives the number of arguments. A tagged template has none. */
TSNode node_call_arg(const Analysis *an, TSNode call, uint32_t index, uint32_t *count);

/* True if the node's source text is exactly `s`. */
bool node_text_eq(const Analysis *an, TSNode node, const char *s);

/* True if the node's text is one of the NULL-terminated `words`. */
bool node_text_in(const Analysis *an, TSNode node, const char *const *words);

/* Copies the node's text into buf (NUL-terminated). False if it does not fit. */
bool node_text_copy(const Analysis *an, TSNode node, char *buf, size_t cap);

/* The value of a string literal or a template string without substitutions, copied into buf.
 * False for anything else, for escapes it does not decode, or if it does not fit. */
bool node_string_value(const Analysis *an, TSNode node, char *buf, size_t cap);

/* Unwraps parenthesized expressions. */
TSNode node_unparen(const Analysis *an, TSNode node);

/* True for function_expression, arrow_function, generator_function, function_declaration,
 * generator_function_declaration and method_definition. */
bool node_is_function(const Analysis *an, TSNode node);

/* The i-th (0-based) formal parameter node of a function, or a null node. Arrow functions
 * with a bare parameter (`x => …`) have one. */
TSNode node_function_param(const Analysis *an, TSNode fn, uint32_t i);
uint32_t node_function_param_count(const Analysis *an, TSNode fn);

/* The name of the i-th parameter if it is a plain identifier (or has a default value), copied
 * into buf; false otherwise (patterns, rest). */
bool node_function_param_name(const Analysis *an, TSNode fn, uint32_t i, char *buf, size_t cap);

/* The range from the start of a function to the start of its body: its header, which is
 * where a finding about the whole function belongs (not the whole multi-line body). */
SourceRange node_function_header_range(const Analysis *an, TSNode fn);

/* The range of a node. */
SourceRange node_range(TSNode node);

/* The last property name of a callee: `b` for `a.b(…)` and `a?.b(…)`, `f` for `f(…)`; copied
 * into buf. False if the callee has another shape. */
bool node_callee_name(const Analysis *an, TSNode callee, char *buf, size_t cap);

/* The node's text on one line, for a message: every run of blanks and line breaks becomes one
 * space; text longer than cap - 1 bytes is cut at a character boundary and ends with "…".
 * Always NUL-terminates (cap >= 8). */
void node_text_oneline(const Analysis *an, TSNode node, char *buf, size_t cap);

#endif
