#include "analysis/syms.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"

static const char *const syms__names[NK__COUNT] = {
    [NK_OTHER] = "(other)",
#define NODE_KIND__NAME(name, str) [NK_##name] = str,
    NODE_KINDS(NODE_KIND__NAME)
#undef NODE_KIND__NAME
};

static Syms syms__table;
static bool syms__ok;
static pthread_once_t syms__once = PTHREAD_ONCE_INIT;

static void syms__build(void) {
  Syms *s = &syms__table;
  s->language = tree_sitter_javascript();
  s->symbol_count = ts_language_symbol_count(s->language);
  s->kind_of_symbol = xcalloc(s->symbol_count, 1);
  bool found[NK__COUNT] = {false};
  for (uint32_t sym = 0; sym < s->symbol_count; sym++) {
    const char *name = ts_language_symbol_name(s->language, (TSSymbol)sym);
    if (!name) continue;
    /* Node types are matched by name over every symbol id, so aliases map too. Anonymous
     * tokens share names with some node types ("function", "class"): only named ones count,
     * except ERROR, which tree-sitter reports through its own symbol. */
    TSSymbolType type = ts_language_symbol_type(s->language, (TSSymbol)sym);
    for (int k = 1; k < NK__COUNT; k++) {
      if (strcmp(name, syms__names[k]) != 0) continue;
      if (type != TSSymbolTypeRegular && k != NK_ERROR) continue;
      s->kind_of_symbol[sym] = (uint8_t)k;
      found[k] = true;
    }
  }
  bool ok = true;
  for (int k = 1; k < NK__COUNT; k++) {
    if (k == NK_ERROR) continue;
    if (!found[k]) {
      fprintf(stderr, "nodehint: internal error: the grammar has no node type '%s'\n",
              syms__names[k]);
      ok = false;
    }
  }
#define NODE_FIELD__LOOKUP(name)                                                         \
  s->f_##name = ts_language_field_id_for_name(s->language, #name, (uint32_t)strlen(#name)); \
  if (!s->f_##name) {                                                                    \
    fprintf(stderr, "nodehint: internal error: the grammar has no field '%s'\n", #name);  \
    ok = false;                                                                          \
  }
  NODE_FIELDS(NODE_FIELD__LOOKUP)
#undef NODE_FIELD__LOOKUP
  syms__ok = ok;
}

const Syms *syms_get(void) {
  pthread_once(&syms__once, syms__build);
  return syms__ok ? &syms__table : NULL;
}

const char *syms_kind_name(NodeKind kind) {
  return (unsigned)kind < NK__COUNT ? syms__names[kind] : "(invalid)";
}
