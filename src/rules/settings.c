#include "rules/settings.h"

#include <string.h>

void lint_config_defaults(LintConfig *config) {
  memset(config, 0, sizeof *config);
  for (int r = 0; r < RULE_COUNT; r++) {
    const RuleInfo *info = &rule_infos[r];
    config->rules[r].severity = info->default_severity;
    for (uint8_t o = 0; o < info->hooks->option_count && o < RULE_OPTIONS_MAX; o++)
      config->rules[r].options[o] = info->hooks->options[o].default_value;
  }
}

const char *lint_config_set_option(LintConfig *config, RuleId rule, const char *name,
                                   int64_t value) {
  const RuleHooks *hooks = rule_infos[rule].hooks;
  for (uint8_t o = 0; o < hooks->option_count; o++) {
    const RuleOptionSpec *spec = &hooks->options[o];
    if (strcmp(spec->name, name) != 0) continue;
    if (value < spec->min || value > spec->max) return "value out of range";
    config->rules[rule].options[o] = value;
    return NULL;
  }
  return "unknown option";
}
