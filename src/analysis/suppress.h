// Inline suppression comments:
//   // nodehint-disable-next-line [rule, ...] [-- reason]
//   // nodehint-disable-line [rule, ...]
//   /* nodehint-disable [rule, ...] */  ...  /* nodehint-enable [rule, ...] */
// (any of them in either comment style). With no rule list a directive applies to every
// rule; unknown rule ids are ignored.
#ifndef NODEHINT_ANALYSIS_SUPPRESS_H
#define NODEHINT_ANALYSIS_SUPPRESS_H

#include "analysis/analysis.h"

typedef enum SuppressionKind {
  SUPPRESS_NEXT_LINE,
  SUPPRESS_LINE,
  SUPPRESS_DISABLE,
  SUPPRESS_ENABLE,
} SuppressionKind;

/* Walk-time hook for every comment node. */
void suppress_note_comment(Analysis *an, TSNode comment);

/* Removes the diagnostics in an->out that a directive covers. */
void suppress_apply(Analysis *an);

#endif
