// Inline suppression comments:
//   // nodehint-disable-next-line [rule, ...] [-- reason]
//   // nodehint-disable-line [rule, ...]
//   /* nodehint-disable [rule, ...] */  ...  /* nodehint-enable [rule, ...] */
// (any of them in either comment style). With no rule list a directive applies to every
// rule; unknown rule ids are ignored.
#ifndef NODEHINT_ANALYSIS_SUPPRESS_H
#define NODEHINT_ANALYSIS_SUPPRESS_H

#include "analysis/analysis.h"
#include "analysis/diag.h"

typedef enum SuppressionKind {
  SUPPRESS_NEXT_LINE,
  SUPPRESS_LINE,
  SUPPRESS_DISABLE,
  SUPPRESS_ENABLE,
} SuppressionKind;

/* Removes from list->items[from..] the diagnostics that a directive in the file covers (their
 * messages are freed). The directives are found by searching the text for "nodehint-" and
 * asking the tree whether the hit is inside a comment, so a caller that walked only part of
 * the file (units.h) still honours every directive in it. */
void suppress_apply(const TSTree *tree, const char *text, uint32_t len, DiagList *list,
                    uint32_t from);

#endif
