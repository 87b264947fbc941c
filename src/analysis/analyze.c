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

void analysis_init(Analysis *an, const char *text, uint32_t len, const LintConfig *config,
                   DiagList *out) {
  memset(an, 0, sizeof *an);
  an->syms = syms_get();
  an->text = text;
  an->len = len;
  an->config = config;
  an->out = out;
  an->out_start = out->size;
}

void analysis_fini(Analysis *an) {
  for (uint32_t i = 0; i < an->bindings.size; i++) {
    free(an->bindings.items[i].path);
    free(an->bindings.items[i].origin);
  }
  array_delete(&an->ancestors);
  array_delete(&an->scope_stack);
  array_delete(&an->func_stack);
  array_delete(&an->scopes);
  array_delete(&an->bindings);
  scope_table_fini(&an->table);
  array_delete(&an->funcs);
  array_delete(&an->assignments);
  array_delete(&an->named_handler_refs);
  array_delete(&an->handler_infos);
  array_delete(&an->suppressions);
}

void analyze_tree(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  DiagList *out) {
  if (!syms_get() || !tree || len > UINT32_MAX) return;
  Analysis an;
  analysis_init(&an, text, (uint32_t)len, config, out);

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

  analysis_fini(&an);

  /* Sort only what this call added. */
  if (out->size - an.out_start > 1) {
    DiagList mine = {out->items + an.out_start, out->size - an.out_start, 0};
    diag_list_sort(&mine);
  }
}

/* An upper estimate of the parser's stack depth: the deepest bracket nesting plus the longest
 * run of right-associative operators (?, =, !, ~, typeof, await, …) between two statement
 * boundaries. Why: tree-sitter 0.20.7's error recovery corrupts memory once its stack passes
 * 65,536 entries, which only adversarial input reaches (closed nesting 100,000 deep parses
 * fine; the same nesting left open aborts inside the runtime). Left-recursive chains such as
 * `a + b + c` keep the stack shallow and are not counted. Files under 64 KiB cannot get there
 * and are not scanned. */
static size_t analyze__nesting_estimate(const char *text, size_t len) {
  if (len < 65536) return 0;
  size_t depth = 0, max_depth = 0, run = 0, max_run = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    switch (c) {
      case '(': case '[': case '{':
        depth++;
        if (depth > max_depth) max_depth = depth;
        if (c == '{') run = 0;
        break;
      case ')': case ']': case '}':
        if (depth) depth--;
        if (c == '}') run = 0;
        break;
      case ';':
        run = 0;
        break;
      case '?': case '=': case '!': case '~':
        if (++run > max_run) max_run = run;
        break;
      case 't': case 'a': case 'n': case 'v': case 'd': case 'y': {
        static const char *const words[] = {"typeof", "await", "new", "void", "delete", "yield"};
        unsigned char prev = i ? (unsigned char)text[i - 1] : ' ';
        bool start = !(prev == '_' || prev == '$' || (unsigned)((prev | 32) - 'a') < 26u ||
                       (unsigned)(prev - '0') < 10u || prev >= 0x80);
        if (!start) break;
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
          size_t n = strlen(words[w]);
          if (i + n < len && memcmp(text + i, words[w], n) == 0 && text[i + n] == ' ') {
            if (++run > max_run) max_run = run;
            break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return max_depth + max_run;
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
  size_t nesting = analyze__nesting_estimate(text, len);
  if (nesting > ANALYZE_MAX_NESTING) {
    snprintf(reason, reason_cap,
             "nested about %zu levels deep; the limit is %d (deeper input can crash the "
             "tree-sitter 0.20 parser)",
             nesting, ANALYZE_MAX_NESTING);
    return INPUT_TOO_DEEP;
  }
  return INPUT_OK;
}
