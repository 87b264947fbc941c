/* Scopes and bindings: which declaration an identifier refers to.
 *
 * The walk declares names as it meets them (var in the function scope, let/const/class in the
 * block, parameters, imports, catch parameters, function names) and lookups happen after the
 * walk, when hoisted declarations are all known. Shadowing follows the scope chain. */
#ifndef NODEHINT_ANALYSIS_SCOPE_H
#define NODEHINT_ANALYSIS_SCOPE_H

#include "analysis/analysis.h"

/* Opens a scope covering `node`, nested in the current one, and makes it current. Returns its
 * index. */
uint32_t scope_push(Analysis *an, ScopeKind kind, TSNode node);
void scope_pop(Analysis *an);

/* Declares the identifier `name_node` in `scope` (NONE: the current scope, or the function
 * scope for BIND_VAR). `value` may be null; `path` is copied (NULL: the value itself).
 * Returns the binding index. */
uint32_t scope_declare(Analysis *an, uint32_t scope, BindingKind kind, TSNode name_node,
                       TSNode value, const char *path, uint32_t func);

/* Declares every identifier a pattern binds (identifiers, object and array patterns, defaults,
 * rest), each with its member path inside `value`: `const { a, b: { c } } = v` declares a with
 * path "a" and c with path "b.c". Iterative, so adversarial nesting cannot overflow the stack. */
void scope_declare_pattern(Analysis *an, uint32_t scope, BindingKind kind, TSNode pattern,
                           TSNode value);

/* The binding `name` refers to from `scope`, or NONE (a global or undeclared name). */
uint32_t scope_lookup(const Analysis *an, uint32_t scope, const char *name, size_t len);

/* The binding an identifier node refers to from `scope`, or NONE. */
uint32_t scope_lookup_node(const Analysis *an, uint32_t scope, TSNode identifier);

/* Applies `x = value` assignments collected by the walk: a binding declared without a value
 * takes its first assigned value; one assigned again is marked BINDING_REASSIGNED. */
void scope_resolve_assignments(Analysis *an);

/* The innermost scope that contains byte offset `byte` (0, the module scope, if none). Scopes
 * are recorded in document order, so the last one that contains it is the innermost. */
uint32_t scope_at_byte(const Analysis *an, uint32_t byte);

void scope_table_fini(BindingTable *table);

typedef Array(uint32_t) BindingIndexList;

/* Bindings that could hold a renamed method (scope_member_holders), with their names hashed so
 * that most identifiers are ruled out without a lookup. */
typedef struct HolderSet {
  BindingIndexList bindings; /* ascending */
  uint32_t *name_hashes;     /* open addressing, hash | 1; 0 = empty */
  uint32_t mask;
} HolderSet;

/* The bindings that could hold the method `prop` of some object: those that take it out of an
 * object (`const { PROP } = …`, `import { PROP as x }`, `const x = y.PROP`) or alias another
 * name (`const x = y`). A rule looking for a renamed method resolves only identifiers referring
 * to one of them (scope_refers_to_one_of): resolving every bare identifier of a deeply nested
 * file would cost a scope-chain walk each. Fills `set` (free it with holder_set_fini). */
void scope_member_holders(Analysis *an, const char *prop, HolderSet *set);
void holder_set_fini(HolderSet *set);

/* Does the identifier, seen from `scope`, refer to one of the bindings of `set`? Names are
 * compared first, so most identifiers cost no lookup; the lookup keeps a same-named binding
 * elsewhere in the file from counting. */
bool scope_refers_to_one_of(const Analysis *an, uint32_t scope, TSNode id, const HolderSet *set);

#endif
