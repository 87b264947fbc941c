/* The result of a lint run as the formatters see it: files, findings with 1-based positions in
 * UTF-16 code units (what ESLint, SARIF and editors count), skipped files and errors. */
#ifndef NODEHINT_CLI_OUTPUT_H
#define NODEHINT_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/diag.h"
#include "base/array.h"

typedef struct Position {
  uint32_t line, column;        /* 1-based; column in UTF-16 code units */
  uint32_t end_line, end_column; /* end is exclusive */
  uint32_t offset, end_offset;   /* byte offsets */
} Position;

typedef struct Finding {
  uint16_t rule;
  uint8_t severity;
  bool has_related;
  uint8_t tags;      /* DIAG_TAG_* */
  const char *entry; /* static: the Q&A entry id this finding quotes (never NULL) */
  Position pos;
  char *message; /* owned */
  Position related;
  char *related_message; /* owned, or NULL */
} Finding;

typedef struct FileResult {
  char *path;     /* owned: as given or found (relative paths stay relative) */
  Array(Finding) findings;
  char *skipped;  /* owned: why the file was not analysed, or NULL */
  char *error;    /* owned: an I/O or configuration problem, or NULL */
  size_t bytes;
} FileResult;

typedef struct LintReport {
  Array(FileResult) files; /* in output order (sorted by path) */
  size_t errors, warnings, infos, hints;
  size_t bytes, analysed;
} LintReport;

/* Converts diagnostics of `text` to findings (positions in UTF-16 code units). */
void output_add_findings(FileResult *file, const char *text, size_t len, const DiagList *diags);

void file_result_fini(FileResult *file);
void lint_report_fini(LintReport *report);
void lint_report_count(LintReport *report);

/* Formatters: write the whole report to `out`. Return false on a write error. */
bool format_text(const LintReport *report, FILE *out);
bool format_json(const LintReport *report, FILE *out);
bool format_sarif(const LintReport *report, FILE *out);
bool format_github(const LintReport *report, FILE *out);

#endif
