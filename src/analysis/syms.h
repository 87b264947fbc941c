/* The grammar's node types and fields that the analysis looks at, resolved once per process.
 *
 * Tree-sitter names node types by strings and numbers that differ between grammar versions and
 * may alias one name to several symbol ids; everything else in nodehint switches on NodeKind,
 * read through a table indexed by symbol, so an alias can never be missed and a lookup is one
 * array read. */
#ifndef NODEHINT_ANALYSIS_SYMS_H
#define NODEHINT_ANALYSIS_SYMS_H

#include <stdbool.h>
#include <tree_sitter/api.h>

#define NODE_KINDS(X)                                                              \
  X(PROGRAM, "program")                                                            \
  X(ERROR, "ERROR")                                                                \
  X(COMMENT, "comment")                                                            \
  X(IDENTIFIER, "identifier")                                                      \
  X(PROPERTY_IDENTIFIER, "property_identifier")                                    \
  X(SHORTHAND_PROPERTY_IDENTIFIER, "shorthand_property_identifier")                \
  X(SHORTHAND_PROPERTY_IDENTIFIER_PATTERN, "shorthand_property_identifier_pattern") \
  X(CALL, "call_expression")                                                       \
  X(NEW, "new_expression")                                                         \
  X(ARGUMENTS, "arguments")                                                        \
  X(MEMBER, "member_expression")                                                   \
  X(SUBSCRIPT, "subscript_expression")                                             \
  X(PARENTHESIZED, "parenthesized_expression")                                     \
  X(AWAIT, "await_expression")                                                     \
  X(ASSIGNMENT, "assignment_expression")                                           \
  X(SEQUENCE, "sequence_expression")                                               \
  X(FUNCTION_EXPRESSION, "function_expression")                                    \
  X(FUNCTION_DECLARATION, "function_declaration")                                  \
  X(GENERATOR_FUNCTION, "generator_function")                                      \
  X(GENERATOR_FUNCTION_DECLARATION, "generator_function_declaration")              \
  X(ARROW_FUNCTION, "arrow_function")                                              \
  X(METHOD_DEFINITION, "method_definition")                                        \
  X(FORMAL_PARAMETERS, "formal_parameters")                                        \
  X(CLASS_DECLARATION, "class_declaration")                                        \
  X(CLASS, "class")                                                                \
  X(STATEMENT_BLOCK, "statement_block")                                            \
  X(FOR, "for_statement")                                                          \
  X(FOR_IN, "for_in_statement")                                                    \
  X(CATCH, "catch_clause")                                                         \
  X(VARIABLE_DECLARATION, "variable_declaration")                                  \
  X(LEXICAL_DECLARATION, "lexical_declaration")                                    \
  X(VARIABLE_DECLARATOR, "variable_declarator")                                    \
  X(OBJECT_PATTERN, "object_pattern")                                              \
  X(ARRAY_PATTERN, "array_pattern")                                                \
  X(PAIR_PATTERN, "pair_pattern")                                                  \
  X(ASSIGNMENT_PATTERN, "assignment_pattern")                                      \
  X(OBJECT_ASSIGNMENT_PATTERN, "object_assignment_pattern")                        \
  X(REST_PATTERN, "rest_pattern")                                                  \
  X(IMPORT_STATEMENT, "import_statement")                                          \
  X(IMPORT_CLAUSE, "import_clause")                                                \
  X(NAMESPACE_IMPORT, "namespace_import")                                          \
  X(NAMED_IMPORTS, "named_imports")                                                \
  X(IMPORT_SPECIFIER, "import_specifier")                                          \
  X(STRING, "string")                                                              \
  X(STRING_FRAGMENT, "string_fragment")                                            \
  X(ESCAPE_SEQUENCE, "escape_sequence")                                            \
  X(TEMPLATE_STRING, "template_string")                                            \
  X(TEMPLATE_SUBSTITUTION, "template_substitution")                                \
  X(OBJECT, "object")                                                              \
  X(PAIR, "pair")                                                                  \
  X(ARRAY, "array")                                                                \
  X(REGEX, "regex")                                                                \
  X(SWITCH_BODY, "switch_body")                                                    \
  X(EXPRESSION_STATEMENT, "expression_statement")                                  \
  X(RETURN, "return_statement")                                                    \
  X(EXPORT_STATEMENT, "export_statement")                                          \
  X(TRY, "try_statement")                                                          \
  X(THROW, "throw_statement")                                                      \
  X(SPREAD_ELEMENT, "spread_element")                                              \
  X(BINARY_EXPRESSION, "binary_expression")                                        \
  X(IF, "if_statement")                                                            \
  X(TERNARY, "ternary_expression")                                                 \
  X(AUGMENTED_ASSIGNMENT, "augmented_assignment_expression")                       \
  X(UNARY, "unary_expression")                                                     \
  X(NUMBER, "number")                                                              \
  X(IMPORT, "import")                                                              \
  X(CLASS_HERITAGE, "class_heritage")                                              \
  X(THIS, "this")

typedef enum NodeKind {
  NK_OTHER = 0,
#define NODE_KIND__ENUM(name, str) NK_##name,
  NODE_KINDS(NODE_KIND__ENUM)
#undef NODE_KIND__ENUM
  NK__COUNT
} NodeKind;

#define NODE_FIELDS(X)                                                             \
  X(function) X(arguments) X(object) X(property) X(name) X(value) X(body)          \
  X(parameters) X(parameter) X(left) X(right) X(source) X(key) X(alias)            \
  X(constructor) X(kind) X(index) X(pattern)                                      \
  X(condition) X(consequence) X(alternative) X(operator) X(argument)

typedef struct Syms {
  const TSLanguage *language;
  uint32_t symbol_count;
  uint8_t *kind_of_symbol; /* symbol id -> NodeKind; owned by the process (never freed) */
#define NODE_FIELD__MEMBER(name) TSFieldId f_##name;
  NODE_FIELDS(NODE_FIELD__MEMBER)
#undef NODE_FIELD__MEMBER
} Syms;

/* The process-wide table, built on first use (thread-safe). Returns NULL only if the grammar
 * and this code disagree (a node type or field we rely on is missing): that is our bug, and
 * callers report it at start-up. */
const Syms *syms_get(void);

/* The JavaScript grammar (tree-sitter-javascript, compiled into the binary). */
const TSLanguage *tree_sitter_javascript(void);

static inline NodeKind syms_kind(const Syms *syms, TSNode node) {
  TSSymbol s = ts_node_symbol(node);
  if (s < syms->symbol_count) return (NodeKind)syms->kind_of_symbol[s];
  /* ts_builtin_sym_error, (TSSymbol)-1: outside the grammar's table. */
  return s == (TSSymbol)-1 ? NK_ERROR : NK_OTHER;
}

/* Function-like kinds: expressions, declarations, arrows, generators, methods. */
static inline bool syms_kind_is_function(NodeKind kind) {
  return kind == NK_FUNCTION_EXPRESSION || kind == NK_FUNCTION_DECLARATION ||
         kind == NK_GENERATOR_FUNCTION || kind == NK_GENERATOR_FUNCTION_DECLARATION ||
         kind == NK_ARROW_FUNCTION || kind == NK_METHOD_DEFINITION;
}

/* The name of a NodeKind ("call_expression"), for messages and tests. */
const char *syms_kind_name(NodeKind kind);

#endif
