/* Diagnostics as plain structs: what a rule found, where (bytes and rows), and which rule and
 * Q&A entry it belongs to. No JSON and no I/O here: front ends format a DiagList. */
#ifndef NODEHINT_ANALYSIS_DIAG_H
#define NODEHINT_ANALYSIS_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/array.h"

typedef enum Severity {
  SEV_OFF = 0,
  SEV_HINT,
  SEV_INFO,
  SEV_WARNING,
  SEV_ERROR,
} Severity;

/* "off", "hint", "info", "warning", "error". */
const char *severity_name(Severity severity);
/* Parses a severity name (also "warn"); false if unknown. */
bool severity_parse(const char *name, Severity *out);

typedef struct SourceRange {
  uint32_t start_byte, end_byte;
  uint32_t start_row, start_col; /* 0-based row, 0-based byte column */
  uint32_t end_row, end_col;
} SourceRange;

/* Diag.tags bits; the LSP maps them to DiagnosticTag. */
enum {
  DIAG_TAG_DEPRECATED = 1u << 0, /* the finding is about a deprecated API */
};

typedef struct Diag {
  uint16_t rule;     /* RuleId */
  uint8_t severity;  /* Severity, never SEV_OFF */
  bool has_related;
  uint8_t tags;      /* DIAG_TAG_* bits */
  /* The Q&A entry this finding quotes when it is not the rule's own (a rule such as legacy-api
   * covers several entries): a static string, or NULL for the rule's entry. Read it through
   * rule_diag_entry(). */
  const char *entry;
  SourceRange range;
  char *message;     /* owned */
  SourceRange related;
  char *related_message; /* owned; NULL unless has_related */
} Diag;

typedef Array(Diag) DiagList;

/* Frees every message and empties the list (the buffer is kept for reuse). */
void diag_list_clear(DiagList *list);
/* Frees everything. */
void diag_list_fini(DiagList *list);
/* Are two findings the same: rule, severity, tags, entry, range (bytes, rows, columns),
 * message and second location? */
bool diag_equal(const Diag *a, const Diag *b);

/* Sorts by position, then rule id: the order every front end shows. */
void diag_list_sort(DiagList *list);

#endif
