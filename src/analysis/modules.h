/* Which Node module (and which member of it) an expression refers to.
 *
 * Every rule asks the same question — "is this callee fs.readFileSync?" — through every way
 * code can spell it: `require('fs')`, `require('node:fs')`, destructuring with renames,
 * `require('fs').promises`, ESM default, namespace and named imports, aliases of aliases.
 * The answer is a qualified name: the module id (without "node:") followed by the member path,
 * with "()" for a call result: "fs.readFileSync", "fs/promises.readFile", "express()",
 * "express.Router()", "http.createServer()". Node globals that are not shadowed answer with
 * their own name ("process.nextTick", "Buffer"). */
#ifndef NODEHINT_ANALYSIS_MODULES_H
#define NODEHINT_ANALYSIS_MODULES_H

#include <stdbool.h>

#include "analysis/analysis.h"
#include "base/strbuf.h"

/* Appends the qualified name of `expr`, evaluated in `scope`, to `out`. Returns false (and
 * leaves `out` as it was) when the expression does not lead back to a module or global. Only
 * valid after the walk (declarations must all be known). */
bool modules_qualify(Analysis *an, TSNode expr, uint32_t scope, StrBuf *out);

/* The qualified name of what a binding holds, or NULL when unknown. Memoized; borrowed from
 * the Analysis. */
const char *modules_binding_origin(Analysis *an, uint32_t binding);

/* Copies a module specifier without its "node:" scheme ("node:fs" -> "fs"). */
void modules_normalize(const char *specifier, char *buf, size_t cap);

/* True if `qualified` names `module` itself or a member of it: ("fs.readFileSync", "fs"). */
bool modules_is_member_of(const char *qualified, const char *module);

#endif
