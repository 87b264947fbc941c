/* memmem */
#define _GNU_SOURCE
#include "analysis/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/anchors.h"
#include "analysis/node.h"
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
  array_delete(&an->redeclarations);
  array_delete(&an->named_handler_refs);
  array_delete(&an->handler_infos);
}

void analyze_tree(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  DiagList *out) {
  analyze_tree_ex(tree, text, len, config, out, NULL);
}

/* Does the text contain one of `words` (or is there no list)? */
static bool analyze__has_required_word(const char *text, size_t len, const char *const *words) {
  if (!words) return true;
  for (; *words; words++)
    if (memmem(text, len, *words, strlen(*words))) return true;
  return false;
}

/* Is the binding a module brought in whole or in part — `import … from 'm'`, `const x =
 * require('m')`, `const { a } = require('m').b` — rather than a value this file computes? */
static bool analyze__is_module_import(Analysis *an, const Binding *b) {
  if (b->kind == BIND_IMPORT) return true;
  if (b->kind != BIND_VAR && b->kind != BIND_LET && b->kind != BIND_CONST) return false;
  const Syms *sy = an->syms;
  TSNode value = node_unparen(an, b->value);
  while (node_kind(an, value) == NK_MEMBER) value = node_unparen(an, node_field(value, sy->f_object));
  if (node_kind(an, value) != NK_CALL) return false;
  TSNode callee = node_field(value, sy->f_function);
  uint32_t count = 0;
  TSNode arg = node_call_arg(an, value, 0, &count);
  return node_kind(an, callee) == NK_IDENTIFIER && node_text_eq(an, callee, "require") &&
         count == 1 && node_kind(an, arg) == NK_STRING;
}

/* What the walk learned about the names units.c links statements by: those declared in the
 * scope the container's statements are in and the scopes around it (the module scope when
 * the container is the root) — every declaration, every assignment to one of them, and every
 * declaration of one of them again. */
static void analyze__module_names(Analysis *an, uint32_t container_start, ModuleNameList *names) {
  uint8_t *linked = xcalloc(an->scopes.size + 1, 1);
  for (uint32_t sc = scope_at_byte(an, container_start); sc != NONE && sc < an->scopes.size;
       sc = an->scopes.items[sc].parent)
    linked[sc] = 1;
  for (uint32_t i = 0; i < an->bindings.size; i++) {
    const Binding *b = &an->bindings.items[i];
    if (!linked[b->scope]) continue;
    ModuleName name = {b->name_start, b->name_len,
                       analyze__is_module_import(an, b) ? MODULE_NAME_IMPORT : MODULE_NAME_DECL};
    array_push(names, name);
  }
  for (uint32_t i = 0; i < an->assignments.size; i++) {
    const PendingAssignment *a = &an->assignments.items[i];
    uint32_t b = scope_lookup_node(an, a->scope, a->left);
    if (b == NONE || !linked[an->bindings.items[b].scope]) continue;
    ModuleName name = {ts_node_start_byte(a->left), an->bindings.items[b].name_len,
                       MODULE_NAME_ASSIGN};
    array_push(names, name);
  }
  for (uint32_t i = 0; i < an->redeclarations.size; i++) {
    const Redeclaration *r = &an->redeclarations.items[i];
    if (linked[r->scope]) array_push(names, ((ModuleName){r->start, r->len, MODULE_NAME_ASSIGN}));
  }
  free(linked);
}

void analyze_walk(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                  const WalkMask *mask, DiagList *out, ModuleNameList *module_names,
                  AnchorList *anchors) {
  if (!syms_get() || !tree || len > UINT32_MAX) return;
  Analysis an;
  analysis_init(&an, text, (uint32_t)len, config, out);
  /* Hover anchors ride along the same walk; without an AnchorList (the CLI) nothing of them
   * runs. */
  if (anchors) an.anchor_pass = anchors_create();

  bool enabled[RULE_COUNT];
  bool any = false;
  for (int r = 0; r < RULE_COUNT; r++) {
    enabled[r] = config->rules[r].severity != SEV_OFF &&
                 analyze__has_required_word(text, len, rule_infos[r].hooks->required_words);
    any |= enabled[r];
  }
  if (any || anchors || module_names) {
    for (int r = 0; r < RULE_COUNT; r++)
      if (enabled[r] && rule_infos[r].hooks->create)
        an.rule_state[r] = rule_infos[r].hooks->create(&an);

    scope_push(&an, SCOPE_MODULE, ts_tree_root_node(tree));
    walk_run(&an, ts_tree_root_node(tree), enabled, mask);
    scope_resolve_assignments(&an);
    for (int r = 0; r < RULE_COUNT; r++)
      if (enabled[r] && rule_infos[r].hooks->finish)
        rule_infos[r].hooks->finish(&an, an.rule_state[r]);
    if (anchors) anchors_finish(&an, ts_tree_root_node(tree), anchors);
    if (module_names) analyze__module_names(&an, mask ? mask->container_start : 0, module_names);

    for (int r = 0; r < RULE_COUNT; r++)
      if (rule_infos[r].hooks->destroy) rule_infos[r].hooks->destroy(an.rule_state[r]);
  }

  anchors_destroy(an.anchor_pass);
  an.anchor_pass = NULL;
  analysis_fini(&an);
}

void analyze_finish_list(const TSTree *tree, const char *text, size_t len, DiagList *out,
                         uint32_t from) {
  suppress_apply(tree, text, (uint32_t)len, out, from);
  /* Sort only what this call added. */
  if (out->size - from > 1) {
    DiagList mine = {out->items + from, out->size - from, 0};
    diag_list_sort(&mine);
  }
}

void analyze_tree_ex(const TSTree *tree, const char *text, size_t len, const LintConfig *config,
                     DiagList *out, AnchorList *anchors) {
  if (!syms_get() || !tree || len > UINT32_MAX) return;
  uint32_t from = out->size;
  analyze_walk(tree, text, len, config, NULL, out, NULL, anchors);
  analyze_finish_list(tree, text, len, out, from);
}

/* An estimate of how deep the parser's stack is left at the end of the file: the tokens of every
 * construct still open there. Why: tree-sitter 0.20.7's error recovery corrupts memory when it
 * has to wrap up a stack of more than 65,536 entries at the end of input (`new Promise(async () =>
 * {` repeated 9,500 times and never closed aborts; closed nesting 100,000 deep, even with a syntax
 * error inside, parses fine). So: a stack of the open brackets, each remembering how many tokens
 * were open when it opened; a matching closer reduces the bracket to one entry; `;`, `,` and a
 * line break end a statement or element (ASI), which reduces what follows the innermost open
 * bracket to one entry; a closer that does not match the innermost bracket is a syntax error the
 * parser skips, so it closes nothing. Strings, templates and comments are skipped (roughly: a
 * regular expression literal is read as code). Files under 64 KiB cannot get there and are not
 * scanned. */
typedef struct NestingLevel {
  size_t tokens_before; /* open tokens outside this bracket */
  char closer;
} NestingLevel;

static size_t analyze__nesting_estimate(const char *text, size_t len) {
  if (len < 65536) return 0;
  Array(NestingLevel) levels = ARRAY_EMPTY;
  size_t tokens = 0;       /* tokens open at this point */
  bool in_token = false;   /* inside a word or an operator run (one token) */
  char token_class = 0;    /* 'w' word, 'o' operator */
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    char cls = 0;
    switch (c) {
      case '(': case '[': case '{': {
        NestingLevel level = {tokens, c == '(' ? ')' : c == '[' ? ']' : '}'};
        array_push(&levels, level);
        tokens++;
        in_token = false;
        continue;
      }
      case ')': case ']': case '}':
        if (levels.size && array_back(&levels)->closer == c) {
          tokens = array_back(&levels)->tokens_before + 1;
          levels.size--;
        }
        in_token = false;
        continue;
      case ';': case ',': case '\n':
        tokens = levels.size ? array_back(&levels)->tokens_before + 1 : 0;
        in_token = false;
        continue;
      case ' ': case '\t': case '\r':
        in_token = false;
        continue;
      case '"': case '\'': case '`': {
        /* Skip the literal; a template's ${…} is skipped with it. */
        size_t j = i + 1;
        while (j < len && text[j] != c && (c == '`' || text[j] != '\n')) j += text[j] == '\\' ? 2 : 1;
        i = j < len ? j : len;
        tokens++;
        in_token = false;
        continue;
      }
      case '/':
        if (i + 1 < len && text[i + 1] == '/') {
          while (i + 1 < len && text[i + 1] != '\n') i++;
          continue;
        }
        if (i + 1 < len && text[i + 1] == '*') {
          i += 2;
          while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/')) i++;
          i++; /* on the '/' (or past the end) */
          continue;
        }
        cls = 'o';
        break;
      default: {
        unsigned char u = (unsigned char)c;
        bool word = u >= 0x80 || u == '_' || u == '$' || (unsigned)((u | 32) - 'a') < 26u ||
                    (unsigned)(u - '0') < 10u;
        cls = word ? 'w' : 'o';
        break;
      }
    }
    if (!in_token || cls != token_class) tokens++;
    in_token = true;
    token_class = cls;
  }
  array_delete(&levels);
  return tokens;
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
             "unclosed code nested about %zu levels deep at the end of the file; the limit is %d "
             "(deeper input can crash the tree-sitter 0.20 parser)",
             nesting, ANALYZE_MAX_NESTING);
    return INPUT_TOO_DEEP;
  }
  return INPUT_OK;
}

const AnchorHit *anchor_list_find(const AnchorList *anchors, uint32_t byte) {
  if (!anchors || !anchors->size) return NULL;
  /* The first hit starting after `byte`; hits are sorted by start and (being tokens) do not
   * overlap, so the covering one, if any, is just before it. Scan back a little in case
   * ranges nest (the innermost, i.e. shortest, wins). */
  uint32_t lo = 0, hi = anchors->size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (anchors->items[mid].start_byte <= byte) lo = mid + 1;
    else hi = mid;
  }
  /* A hit that contains the byte beats one that merely ends there (`a|b`: the caret is on b). */
  const AnchorHit *best = NULL, *touching = NULL;
  for (uint32_t i = lo, seen = 0; i-- > 0 && seen < 64; seen++) {
    const AnchorHit *h = &anchors->items[i];
    if (byte < h->end_byte) {
      if (!best || h->end_byte - h->start_byte < best->end_byte - best->start_byte) best = h;
    } else if (byte == h->end_byte && !touching) {
      touching = h;
    }
  }
  return best ? best : touching;
}
