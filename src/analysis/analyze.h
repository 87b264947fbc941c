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
