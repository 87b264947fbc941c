/* The rule table (from rules.def) and the reporting functions rules call. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/node.h"
#include "base/xalloc.h"
#include "rules/rule.h"

const RuleInfo rule_infos[RULE_COUNT] = {
#define RULE(c_name, id, severity, entry, entry2, summary, example) \
  {id, severity, entry, entry2, summary, example, &rule_hooks_##c_name},
#include "rules/rules.def"
#undef RULE
};

const char *rule_diag_entry(const Diag *diag) {
  return diag->entry ? diag->entry : rule_infos[diag->rule].entry;
}

int rule_find(const char *id) {
  for (int r = 0; r < RULE_COUNT; r++)
    if (strcmp(rule_infos[r].id, id) == 0) return r;
  return -1;
}

int64_t rule_option(const Analysis *an, RuleId rule, uint8_t option_index) {
  return an->config->rules[rule].options[option_index];
}

static Diag *registry__push(Analysis *an, RuleId rule, SourceRange range, const char *fmt,
                            va_list ap) {
  Diag d;
  memset(&d, 0, sizeof d);
  d.rule = (uint16_t)rule;
  d.severity = (uint8_t)an->config->rules[rule].severity;
  d.range = range;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  d.message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  vsnprintf(d.message, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  array_push(an->out, d);
  return array_back(an->out);
}

Diag *rule_report_range(Analysis *an, RuleId rule, SourceRange range, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Diag *d = registry__push(an, rule, range, fmt, ap);
  va_end(ap);
  return d;
}

Diag *rule_report(Analysis *an, RuleId rule, TSNode node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Diag *d = registry__push(an, rule, node_range(node), fmt, ap);
  va_end(ap);
  return d;
}

Diag *rule_report_span(Analysis *an, RuleId rule, TSNode from, TSNode to, const char *fmt, ...) {
  SourceRange r = node_range(from), end = node_range(to);
  r.end_byte = end.end_byte;
  r.end_row = end.end_row;
  r.end_col = end.end_col;
  va_list ap;
  va_start(ap, fmt);
  Diag *d = registry__push(an, rule, r, fmt, ap);
  va_end(ap);
  return d;
}

void rule_relate(Diag *diag, TSNode node, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  free(diag->related_message);
  diag->related_message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  va_start(ap, fmt);
  vsnprintf(diag->related_message, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  va_end(ap);
  diag->related = node_range(node);
  diag->has_related = true;
}
