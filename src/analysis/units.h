/* Incremental analysis, one top-level statement ("unit") at a time.
 *
 * An edit to a 10,000-line file touches one statement, but a full analysis walks them all
 * (~10 ms). A UnitCache remembers, for each top-level statement of the last analysis of a
 * document, its subtree (tree-sitter shares unchanged subtrees between a tree and its
 * incremental reparse, so an unchanged statement has the same subtree in both), its findings,
 * and which module-scope names it mentions. The next analysis then walks only:
 *
 *   - the statements the edit changed (and any tree-sitter rebuilt, often the next one);
 *   - the statements whose findings can depend on them ("affected"): those mentioning a
 *     module-scope name the changed ones mention, declare or assign — except a name that only
 *     imports a module (`const fs = require('fs')`, never reassigned), which changing how one
 *     statement uses it cannot change for the others;
 *   - as context for those, the statements declaring the names they mention, transitively, and
 *     every statement holding a file-wide fact some rule reads (`'unhandledRejection'`, `eval`,
 *     a bare `exports`, …: see unit_text.h);
 *
 * and keeps the other statements' findings, moved by how far their statement moved. Names are
 * matched as words of the source text, so a mention in a string or comment links statements
 * too: that costs a larger walk, never a wrong answer. An edit that declares a module-scope
 * name other statements mention, touches a file-wide fact, or would need more than half the
 * file walked gets a full analysis, as does any file mentioning `uncaughtException`.
 * The result is always what a full analysis would say (tests/unit/test_incremental.c compares
 * them over thousands of random edits). */
#ifndef NODEHINT_ANALYSIS_UNITS_H
#define NODEHINT_ANALYSIS_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis/analyze.h"
#include "analysis/diag.h"
#include "rules/settings.h"

typedef struct UnitCache UnitCache;

UnitCache *unit_cache_create(void);
void unit_cache_destroy(UnitCache *cache);

/* Forgets the last analysis. Call it whenever the tree the cache describes is deleted without
 * being the `old` tree of the next incremental parse: node ids of a deleted tree can be reused
 * by the next one, and would then be taken for unchanged statements. */
void unit_cache_reset(UnitCache *cache);

typedef struct UnitStats {
  bool full;               /* the whole file was walked */
  const char *full_reason; /* why, when full (a static string) */
  uint32_t units;          /* top-level statements */
  uint32_t changed;        /* of them, changed by the edit */
  uint32_t affected;       /* of them, findings recomputed (changed included) */
  uint32_t walked;         /* of them, walked (affected + context) */
  uint32_t walked_bytes;
} UnitStats;

/* analyze_tree() of `tree`, reusing what `cache` holds from the analysis of the tree `tree` was
 * incrementally parsed from — which must still be alive, so that node ids compare — and
 * remembering this analysis for the next one. With an empty cache, or settings other than the
 * cached analysis had, it is a full analysis. `stats` may be NULL. */
void units_analyze(UnitCache *cache, const TSTree *tree, const char *text, size_t len,
                   const LintConfig *config, DiagList *out, UnitStats *stats);

#endif
