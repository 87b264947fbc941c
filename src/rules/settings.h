/* LintConfig: the per-file settings the analysis runs with — each rule's severity and options.
 * Built by the front ends (CLI config files, LSP settings); plain data, copied freely. */
#ifndef NODEHINT_RULES_SETTINGS_H
#define NODEHINT_RULES_SETTINGS_H

#include <stdint.h>

#include "rules/rule.h"

typedef struct RuleSetting {
  Severity severity; /* SEV_OFF disables the rule */
  int64_t options[RULE_OPTIONS_MAX];
} RuleSetting;

typedef struct LintConfig {
  RuleSetting rules[RULE_COUNT];
} LintConfig;

/* Every rule at its default severity with default options. */
void lint_config_defaults(LintConfig *config);

/* Sets option `name` of `rule`. Returns NULL on success, else a static message naming what is
 * wrong (unknown option, out of range). */
const char *lint_config_set_option(LintConfig *config, RuleId rule, const char *name,
                                   int64_t value);

#endif
