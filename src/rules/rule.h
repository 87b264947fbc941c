/* What a rule is: its row in rules.def (RuleInfo) and the hooks its file defines (RuleHooks).
 *
 * A rule subscribes to node types; the walk (analysis/walk.c) calls its enter/leave hooks for
 * those nodes, in document order, outside ERROR nodes, with the shared analysis (scopes, module
 * aliases, enclosing functions) already up to date for that node. After the walk the rule's
 * finish hook runs, when every declaration in the file is known. Rules report through
 * rule_report*(); they never do I/O and never see JSON. */
#ifndef NODEHINT_RULES_RULE_H
#define NODEHINT_RULES_RULE_H

#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis/diag.h"
#include "analysis/syms.h"

typedef enum RuleId {
#define RULE(c_name, id, severity, entry, entry2, summary, example) RULE_##c_name,
#include "rules/rules.def"
#undef RULE
  RULE_COUNT
} RuleId;

#define RULE_OPTIONS_MAX 4

/* An integer option of a rule, e.g. callback-hell's maxDepth. */
typedef struct RuleOptionSpec {
  const char *name;
  int64_t min, max, default_value;
  const char *description;
} RuleOptionSpec;

typedef struct Analysis Analysis;

typedef struct RuleHooks {
  const NodeKind *node_kinds; /* subscribed node kinds, terminated by NK_OTHER */
  /* Words at least one of which every file the rule can report in must contain (NULL-
   * terminated; NULL: no such word). A file without any is not walked for the rule at all —
   * most files never mention `exists` or `uncaughtException`. List only words no finding can
   * do without. */
  const char *const *required_words;
  const RuleOptionSpec *options;
  uint8_t option_count;
  /* Per-file state: create returns it (may be NULL), destroy frees it. Both optional. */
  void *(*create)(Analysis *an);
  void (*destroy)(void *state);
  void (*enter)(Analysis *an, void *state, TSNode node);
  void (*leave)(Analysis *an, void *state, TSNode node);
  void (*finish)(Analysis *an, void *state);
} RuleHooks;

typedef struct RuleInfo {
  const char *id;
  Severity default_severity;
  const char *entry;  /* the Q&A entry the rule quotes (kb id) */
  const char *entry2; /* a second entry, or NULL */
  const char *summary;
  const char *example; /* one line of code the rule reports, for `nodehint rules` and docs */
  const RuleHooks *hooks;
} RuleInfo;

extern const RuleInfo rule_infos[RULE_COUNT];

/* The rule with this public id, or -1. */
int rule_find(const char *id);

/* The options of a rule in effect for this file (defaults where not configured). */
int64_t rule_option(const Analysis *an, RuleId rule, uint8_t option_index);

/* Reports a finding on `node` (its whole range). `fmt` is printf-style. Returns the new Diag
 * (borrowed: valid until the next report) so the caller can attach related information. */
Diag *rule_report(Analysis *an, RuleId rule, TSNode node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same, on the range from the start of `from` to the end of `to`. */
Diag *rule_report_span(Analysis *an, RuleId rule, TSNode from, TSNode to, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Same, on an explicit range. */
Diag *rule_report_range(Analysis *an, RuleId rule, SourceRange range, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The Q&A entry id a finding quotes: its own entry if the rule set one, else the rule's. */
const char *rule_diag_entry(const Diag *diag);

/* Attaches a second location (e.g. where a stream was created) to a reported Diag. */
void rule_relate(Diag *diag, TSNode node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define RULE(c_name, id, severity, entry, entry2, summary, example) \
  extern const RuleHooks rule_hooks_##c_name;
#include "rules/rules.def"
#undef RULE

#endif
