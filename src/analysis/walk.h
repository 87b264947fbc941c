/* The one walk over a syntax tree: iterative (a cursor and explicit stacks, never recursion on
 * input depth), in document order, skipping ERROR subtrees. For each node it first updates the
 * shared facts (scopes, bindings, enclosing functions, suppression comments), then calls the
 * enter hooks of the enabled rules subscribed to the node's kind; leave hooks run after the
 * node's children. */
#ifndef NODEHINT_ANALYSIS_WALK_H
#define NODEHINT_ANALYSIS_WALK_H

#include <stdint.h>

#include "analysis/analysis.h"
#include "analysis/walk_mask.h"

/* Walks the tree under `root`. `enabled[r]` says whether rule r runs. `mask` may be NULL (walk
 * everything). */
void walk_run(Analysis *an, TSNode root, const bool *enabled, const WalkMask *mask);

/* Checks, once per process, that the rule table and the grammar agree. False is our bug. */
bool walk_init(void);

#endif
