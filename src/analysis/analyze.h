/* The analysis entry point shared by every front end: text → tree → one walk → diagnostics.
 *
 * An Analyzer owns one TSParser and is used by one thread at a time. Trees are owned by the
 * caller (a CLI iteration or an LSP document); analyze_tree never keeps anything after it
 * returns. */
#ifndef NODEHINT_ANALYSIS_ANALYZE_H
#define NODEHINT_ANALYSIS_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "analysis/diag.h"
#include "analysis/walk_mask.h"
#include "rules/settings.h"

#define ANALYZE_DEFAULT_MAX_FILE_SIZE ((size_t)8 << 20)

typedef struct Analyzer Analyzer;

/* Returns a new Analyzer (caller destroys), or NULL if the grammar cannot be loaded into this
 * tree-sitter runtime (an ABI mismatch: reported on stderr). */
Analyzer *analyzer_create(void);
void analyzer_destroy(Analyzer *analyzer);

/* Parses text[0..len). With `old` (already edited with ts_tree_edit) the parse is incremental.
 * Returns a new tree (caller deletes), or NULL if tree-sitter gave up. */
TSTree *analyzer_parse(Analyzer *analyzer, const char *text, size_t len, const TSTree *old);

/* Runs every enabled rule of `config` over `tree` (parsed from text[0..len)) and appends the
 * findings to `out`, sorted, suppressions applied. */
void analyze_tree(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  DiagList *out);

/* An occurrence of an API the knowledge base anchors (e.g. `rf(…)` where rf is
 * fs.readFileSync): the range a hover covers and the entry it surfaces. */
typedef struct AnchorHit {
  uint32_t start_byte, end_byte;
  const char *entry; /* entry id; borrowed from the knowledge base, which outlives analyses */
} AnchorHit;

typedef Array(AnchorHit) AnchorList;

/* analyze_tree(), and when `anchors` is not NULL, also appends every anchored API occurrence
 * found in the same walk, sorted by start_byte, at most one per range (the LSP keeps them per
 * document for hover). Anchors are resolved like the rules resolve callees (src/analysis/
 * anchors.h); code nested more than 200 scopes deep gets none. With anchors NULL this is
 * exactly analyze_tree(). */
void analyze_tree_ex(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                     DiagList *out, AnchorList *anchors);

/* A module-scope name the walk met: a declaration of a module (`require`/`import`), any other
 * declaration, or an assignment to a module-scope binding. `start_byte`/`len`: the name in the
 * source. */
typedef enum ModuleNameRole { MODULE_NAME_IMPORT, MODULE_NAME_DECL, MODULE_NAME_ASSIGN } ModuleNameRole;
typedef struct ModuleName {
  uint32_t start_byte, len;
  uint8_t role; /* ModuleNameRole */
} ModuleName;
typedef Array(ModuleName) ModuleNameList;

/* The walk and the rules, without the finishing touches: appends the findings to `out`
 * unsorted and with suppression directives not yet applied. With `mask`, only the statements
 * it selects are walked (units.h; NULL: all); with `module_names`, appends what the walk
 * learned about the names declared in the scopes around the mask's container (the module
 * scope when there is no mask); with `anchors`, as analyze_tree_ex. */
void analyze_walk(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  const WalkMask *mask, DiagList *out, ModuleNameList *module_names,
                  AnchorList *anchors);

/* Applies the file's suppression directives to out->items[from..] and sorts them. */
void analyze_finish_list(const TSTree *tree, const char *text, size_t len, DiagList *out,
                         uint32_t from);

/* The anchor hit at `byte`: the innermost one with start <= byte < end, else one that ends
 * exactly at `byte` (the caret just after a word), else NULL. Binary search; borrowed. */
const AnchorHit *anchor_list_find(const AnchorList *anchors, uint32_t byte);

typedef enum InputProblem {
  INPUT_OK,
  INPUT_TOO_LARGE,
  INPUT_BINARY,
  INPUT_INVALID_UTF8,
  INPUT_TOO_DEEP,
} InputProblem;

/* The deepest nesting analyze_check_input() lets through (see INPUT_TOO_DEEP in analyze.c). */
#define ANALYZE_MAX_NESTING 50000

/* Is this text something to analyse? On a problem, writes a human-readable reason (e.g.
 * "not valid UTF-8 (byte 1234)") into reason. */
InputProblem analyze_check_input(const char *text, size_t len, size_t max_size, char *reason,
                                 size_t reason_cap);

#endif
