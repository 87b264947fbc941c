#include "analysis/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/scope.h"
#include "analysis/suppress.h"
#include "analysis/walk.h"
#include "base/utf.h"
#include "base/xalloc.h"
#include "rules/rule.h"

struct Analyzer {
  TSParser *parser;
};

Analyzer *analyzer_create(void) {
  if (!walk_init()) return NULL;
  const Syms *sy = syms_get();
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, sy->language)) {
    fprintf(stderr,
            "nodehint: the JavaScript grammar (ABI %u) does not load into this tree-sitter "
            "runtime (ABI %u to %u)\n",
            ts_language_version(sy->language), TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
            TREE_SITTER_LANGUAGE_VERSION);
    ts_parser_delete(parser);
    return NULL;
  }
  Analyzer *analyzer = xcalloc(1, sizeof *analyzer);
  analyzer->parser = parser;
  return analyzer;
}

void analyzer_destroy(Analyzer *analyzer) {
  if (!analyzer) return;
  ts_parser_delete(analyzer->parser);
  free(analyzer);
}

TSTree *analyzer_parse(Analyzer *analyzer, const char *text, size_t len, const TSTree *old) {
  if (len > UINT32_MAX) return NULL;
  return ts_parser_parse_string(analyzer->parser, old, text, (uint32_t)len);
}

void analyze_tree(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  DiagList *out) {
  Analysis an;
  memset(&an, 0, sizeof an);
  an.syms = syms_get();
  if (!an.syms || !tree || len > UINT32_MAX) return;
  an.text = text;
  an.len = (uint32_t)len;
  an.config = config;
  an.out = out;
  an.out_start = out->size;
  strbuf_init(&an.scratch);

  bool enabled[RULE_COUNT];
  bool any = false;
  for (int r = 0; r < RULE_COUNT; r++) {
    enabled[r] = config->rules[r].severity != SEV_OFF;
    any |= enabled[r];
  }
  if (any) {
    for (int r = 0; r < RULE_COUNT; r++)
      if (enabled[r] && rule_infos[r].hooks->create)
        an.rule_state[r] = rule_infos[r].hooks->create(&an);

    scope_push(&an, SCOPE_MODULE, ts_tree_root_node(tree));
    walk_run(&an, ts_tree_root_node(tree), enabled);
    scope_resolve_assignments(&an);
    for (int r = 0; r < RULE_COUNT; r++)
      if (enabled[r] && rule_infos[r].hooks->finish)
        rule_infos[r].hooks->finish(&an, an.rule_state[r]);
    suppress_apply(&an);

    for (int r = 0; r < RULE_COUNT; r++)
      if (rule_infos[r].hooks->destroy) rule_infos[r].hooks->destroy(an.rule_state[r]);
  }

  for (uint32_t i = 0; i < an.bindings.size; i++) {
    free(an.bindings.items[i].path);
    free(an.bindings.items[i].origin);
  }
  array_delete(&an.ancestors);
  array_delete(&an.scope_stack);
  array_delete(&an.func_stack);
  array_delete(&an.scopes);
  array_delete(&an.bindings);
  scope_table_fini(&an.table);
  array_delete(&an.funcs);
  array_delete(&an.assignments);
  array_delete(&an.named_handler_refs);
  array_delete(&an.handler_infos);
  array_delete(&an.suppressions);
  strbuf_fini(&an.scratch);

  /* Sort only what this call added. */
  DiagList mine = {out->items + an.out_start, out->size - an.out_start, 0};
  diag_list_sort(&mine);
}

InputProblem analyze_check_input(const char *text, size_t len, size_t max_size, char *reason,
                                 size_t reason_cap) {
  if (len > max_size || len > UINT32_MAX) {
    snprintf(reason, reason_cap, "%.1f MiB is over the %.1f MiB limit (maxFileSize)",
             (double)len / (1 << 20), (double)max_size / (1 << 20));
    return INPUT_TOO_LARGE;
  }
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    snprintf(reason, reason_cap, "binary file (NUL byte at offset %zu)", (size_t)(nul - text));
    return INPUT_BINARY;
  }
  size_t bad;
  if (!utf8_validate(text, len, &bad)) {
    snprintf(reason, reason_cap, "not valid UTF-8 (byte offset %zu)", bad);
    return INPUT_INVALID_UTF8;
  }
  return INPUT_OK;
}
