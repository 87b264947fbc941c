/* memmem */
#define _GNU_SOURCE
#include "analysis/units.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/syms.h"
#include "analysis/unit_text.h"
#include "base/utf.h"
#include "base/array.h"
#include "base/xalloc.h"

#define UNITS_NONE UINT32_MAX

typedef struct Unit {
  const void *id; /* the statement's subtree: equal ids, equal text (see Span) */
  uint64_t leaf_hash;
  uint32_t start_byte, end_byte;
  TSPoint start_point;
  uint32_t diags_begin, diags_end; /* UnitCache.diags */
  uint32_t names_begin, names_end; /* UnitCache.names */
  uint8_t facts;                   /* FACT_* bits */
} Unit;

typedef Array(Unit) UnitList;

struct UnitCache {
  bool valid;
  LintConfig config;
  uint64_t frame_hash;             /* Container.frame_hash of the analysis cached */
  uint32_t frame_names_begin, frame_names_end; /* names the frame mentions or declares */
  UnitList units;
  DiagList diags; /* every finding before suppression, grouped by unit, in order */
  UnitNameList names;
  NameTable table;
};

/* ------------------------------------------------------------------ statements */

/* What tree-sitter shares between a tree and its incremental reparse, for a node; NULL when it
 * carries no identity.
 *
 * Not node.id: that is the address of the node's slot in its parent's child array, and the
 * root of every reparse is a new node with a new array. The slot holds tree-sitter's Subtree
 * union (lib/src/subtree.h, the same since 0.19): a pointer to the shared heap data (aligned,
 * so its lowest bit is 0), or a small leaf packed in place, marked by a lowest bit of 1. A
 * packed leaf has no identity — two comments of the same length pack alike — so it is known
 * by its text instead (Span.leaf_hash). units__self_check() makes sure this runtime works so. */
static const void *units__subtree_identity(TSNode node) {
  uintptr_t bits;
  memcpy(&bits, node.id, sizeof bits);
  return (bits & 1) ? NULL : (const void *)bits;
}

typedef struct Span {
  const void *id;     /* units__subtree_identity() */
  uint64_t leaf_hash; /* without an id: a hash of the leaf's text (never 0) */
  uint32_t start_byte, end_byte;
  TSPoint start_point;
  bool esm; /* an import or export statement */
} Span;

typedef Array(Span) SpanList;

/* Where the units are: the root's children, or — when one child of the root holds nearly all
 * the file, as in a UMD or IIFE wrapper, a bundle, or a module that is one class — the
 * children of the node reached by descending while one child holds more than 90% of it. The
 * rest is the frame: always walked, never allowed a finding of its own (units__full), and
 * when its text changes the analysis is full. */
typedef struct Container {
  TSNode node;
  uint64_t frame_hash; /* the container's kind and start, and the text outside it */
  uint8_t frame_facts; /* FACT_WHOLE when the frame mentions uncaughtException */
} Container;

static uint64_t units__hash_bytes(uint64_t h, const char *text, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; i++) h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
  return h;
}

static Container units__container(const TSTree *tree, const char *text, size_t len) {
  const Syms *syms = syms_get();
  TSNode root = ts_tree_root_node(tree), node = root;
  for (int depth = 0; depth < 64; depth++) {
    TSNode dominant = {{0, 0, 0, 0}, NULL, NULL};
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode child = ts_tree_cursor_current_node(&cursor);
        if ((uint64_t)(ts_node_end_byte(child) - ts_node_start_byte(child)) * 10 > (uint64_t)len * 9)
          dominant = child;
      } while (ts_node_is_null(dominant) && ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    /* The walk skips ERROR subtrees: nothing in one is worth a container. */
    if (ts_node_is_null(dominant) || syms_kind(syms, dominant) == NK_ERROR) break;
    node = dominant;
  }
  /* A lone leaf (a huge string or comment) has no statements to tell apart. */
  if (node.id != root.id && ts_node_child_count(node) < 4) node = root;
  Container c = {node, 1469598103934665603ull ^ ts_node_symbol(node), 0};
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  if (end > len) end = (uint32_t)len;
  if (start > end) start = end;
  c.frame_hash = units__hash_bytes(c.frame_hash ^ ((uint64_t)start << 17), text, 0, start);
  c.frame_hash = units__hash_bytes(c.frame_hash, text, end, (uint32_t)len);
  c.frame_facts = (unit_text_substring_facts(text, 0, start) |
                   unit_text_substring_facts(text, end, (uint32_t)len)) & FACT_WHOLE;
  return c;
}

/* The container's children, in the order walk_run() numbers them. */
static void units__spans(TSNode container, const char *text, size_t len, SpanList *out) {
  const Syms *syms = syms_get();
  TSTreeCursor cursor = ts_tree_cursor_new(container);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      NodeKind kind = syms_kind(syms, node);
      Span span = {units__subtree_identity(node), 0, ts_node_start_byte(node),
                   ts_node_end_byte(node), ts_node_start_point(node),
                   kind == NK_IMPORT_STATEMENT || kind == NK_EXPORT_STATEMENT};
      if (!span.id) {
        /* A packed leaf is short (under 255 bytes); its symbol and text are all it is. */
        uint32_t end = span.end_byte < len ? span.end_byte : (uint32_t)len;
        span.leaf_hash = units__hash_bytes(1469598103934665603ull ^ ts_node_symbol(node), text,
                                           span.start_byte, end) | 1;
      }
      array_push(out, span);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

/* Is the statement the cache knows the same as this one of the new tree? */
static bool units__same(const Unit *was, const Span *now) {
  if (now->id) return was->id == now->id;
  return !was->id && was->leaf_hash == now->leaf_hash &&
         was->end_byte - was->start_byte == now->end_byte - now->start_byte;
}

/* The statement whose range holds `byte`, or UNITS_NONE. */
static uint32_t units__span_at(const SpanList *spans, uint32_t byte) {
  uint32_t lo = 0, hi = spans->size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (spans->items[mid].start_byte <= byte) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return UNITS_NONE;
  const Span *s = &spans->items[lo - 1];
  return byte < s->end_byte ? lo - 1 : UNITS_NONE;
}

/* Is `word` a whole word of the text outside the statements `skip` marks (not UNITS_NONE)? */
static bool units__mentioned_outside(const char *text, uint32_t len, const SpanList *spans,
                                     const uint32_t *skip, const char *word, uint32_t word_len) {
  for (uint32_t at = 0; word_len && at + word_len <= len; at++) {
    const char *p = memmem(text + at, len - at, word, word_len);
    if (!p) return false;
    at = (uint32_t)(p - text);
    if (!utf8_whole_word(text, len, at, word_len)) continue;
    uint32_t unit = units__span_at(spans, at);
    if (unit == UNITS_NONE || skip[unit] == UNITS_NONE) return true;
  }
  return false;
}

static uint32_t units__unit_at(const UnitCache *cache, uint32_t byte) {
  uint32_t lo = 0, hi = cache->units.size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (cache->units.items[mid].start_byte <= byte) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return UNITS_NONE;
  const Unit *u = &cache->units.items[lo - 1];
  return byte < u->end_byte ? lo - 1 : UNITS_NONE;
}

/* The facts a statement holds apart from its words (see unit_text_scan). */
static uint8_t units__span_facts(const char *text, const Span *span) {
  return unit_text_substring_facts(text, span->start_byte, span->end_byte) |
         (span->esm ? FACT_ESM : 0);
}

static int units__compare_start(const void *a, const void *b) {
  const Diag *x = a, *y = b;
  return x->range.start_byte < y->range.start_byte ? -1 : x->range.start_byte > y->range.start_byte;
}

static int units__compare_module_name(const void *a, const void *b) {
  const ModuleName *x = a, *y = b;
  return x->start_byte < y->start_byte ? -1 : x->start_byte > y->start_byte;
}

static uint8_t units__role(uint8_t module_name_role) {
  switch ((ModuleNameRole)module_name_role) {
    case MODULE_NAME_IMPORT: return ROLE_IMPORT;
    case MODULE_NAME_DECL: return ROLE_DECL;
    case MODULE_NAME_ASSIGN: return ROLE_ASSIGN;
  }
  return ROLE_DECL;
}

/* ------------------------------------------------------------------ the cache */

UnitCache *unit_cache_create(void) { return xcalloc(1, sizeof(UnitCache)); }

void unit_cache_reset(UnitCache *cache) {
  if (!cache) return;
  cache->valid = false;
  cache->frame_hash = 0;
  cache->frame_names_begin = cache->frame_names_end = 0;
  array_clear(&cache->units);
  diag_list_clear(&cache->diags);
  array_clear(&cache->names);
  name_table_clear(&cache->table);
}

void unit_cache_destroy(UnitCache *cache) {
  if (!cache) return;
  array_delete(&cache->units);
  diag_list_fini(&cache->diags);
  array_delete(&cache->names);
  name_table_fini(&cache->table);
  free(cache);
}

static bool units__same_config(const LintConfig *a, const LintConfig *b) {
  for (int r = 0; r < RULE_COUNT; r++) {
    if (a->rules[r].severity != b->rules[r].severity) return false;
    for (int o = 0; o < RULE_OPTIONS_MAX; o++)
      if (a->rules[r].options[o] != b->rules[r].options[o]) return false;
  }
  return true;
}

/* Appends deep copies of the cached findings to `out`. */
static void units__copy_out(const UnitCache *cache, DiagList *out) {
  for (uint32_t i = 0; i < cache->diags.size; i++) {
    Diag d = cache->diags.items[i];
    d.message = xstrdup(d.message);
    if (d.related_message) d.related_message = xstrdup(d.related_message);
    array_push(out, d);
  }
}

/* ------------------------------------------------------------------ full analysis */

/* Walks the whole file and rebuilds the cache from it. */
static void units__full(UnitCache *cache, const TSTree *tree, const char *text, size_t len,
                        const LintConfig *config, const Container *container,
                        const SpanList *spans) {
  unit_cache_reset(cache);
  cache->config = *config;
  cache->frame_hash = container->frame_hash;
  ModuleNameList module_names = ARRAY_EMPTY;
  WalkMask mask = {container->node.id, ts_node_start_byte(container->node), NULL};
  analyze_walk(tree, text, len, config, &mask, &cache->diags, &module_names, NULL);
  if (cache->diags.size > 1)
    qsort(cache->diags.items, cache->diags.size, sizeof(Diag), units__compare_start);
  if (module_names.size > 1)
    qsort(module_names.items, module_names.size, sizeof(ModuleName), units__compare_module_name);

  for (uint32_t i = 0; i < module_names.size; i++)
    if (module_names.items[i].role != MODULE_NAME_ASSIGN)
      name_table_add(&cache->table, text + module_names.items[i].start_byte, module_names.items[i].len);
  /* Words that link the statements of a function body like a shared name (declared nowhere,
   * so never an import). */
  if (syms_kind(syms_get(), container->node) == NK_STATEMENT_BLOCK)
    for (const char *const *w = unit_text_linking_words; *w; w++)
      name_table_add(&cache->table, *w, strlen(*w));

  uint32_t name_count = name_table_count(&cache->table);
  uint32_t *seen_stamp = xcalloc(name_count + 1, sizeof *seen_stamp);
  uint32_t *seen_entry = xcalloc(name_count + 1, sizeof *seen_entry);
  bool orphans = false;
  uint32_t d = 0, m = 0;
  for (uint32_t i = 0; i < spans->size; i++) {
    const Span *span = &spans->items[i];
    Unit unit = {span->id, span->leaf_hash, span->start_byte, span->end_byte, span->start_point,
                 d, d, cache->names.size, 0, units__span_facts(text, span)};
    while (d < cache->diags.size && cache->diags.items[d].range.start_byte < span->end_byte) {
      if (cache->diags.items[d].range.start_byte < span->start_byte) orphans = true;
      d++;
    }
    unit.diags_end = d;
    unit_text_scan(&cache->table, text, span->start_byte, span->end_byte, &cache->names,
                      seen_stamp, seen_entry, i + 1, &unit.facts);
    for (; m < module_names.size && module_names.items[m].start_byte < span->end_byte; m++) {
      const ModuleName *mn = &module_names.items[m];
      uint32_t name = name_table_find(&cache->table, text + mn->start_byte, mn->len);
      if (name == NAME_NONE || mn->start_byte < span->start_byte) continue;
      if (seen_stamp[name] != i + 1) { /* a name can only be declared where its word is */
        seen_stamp[name] = i + 1;
        seen_entry[name] = cache->names.size;
        array_push(&cache->names, ((UnitName){name, 0}));
      }
      cache->names.items[seen_entry[name]].roles |= units__role(mn->role);
    }
    unit.names_end = cache->names.size;
    array_push(&cache->units, unit);
  }
  if (d < cache->diags.size) orphans = true;

  /* The frame: the text around the container's children, and the names declared there. */
  uint32_t frame_stamp = spans->size + 1;
  uint8_t frame_facts = 0;
  cache->frame_names_begin = cache->names.size;
  uint32_t first = spans->size ? spans->items[0].start_byte : (uint32_t)len;
  uint32_t last = spans->size ? spans->items[spans->size - 1].end_byte : (uint32_t)len;
  unit_text_scan(&cache->table, text, 0, first, &cache->names, seen_stamp, seen_entry,
                 frame_stamp, &frame_facts);
  unit_text_scan(&cache->table, text, last, (uint32_t)len, &cache->names, seen_stamp,
                 seen_entry, frame_stamp, &frame_facts);
  for (uint32_t i = 0; i < module_names.size; i++) {
    const ModuleName *mn = &module_names.items[i];
    if (units__span_at(spans, mn->start_byte) != UNITS_NONE) continue;
    uint32_t name = name_table_find(&cache->table, text + mn->start_byte, mn->len);
    if (name == NAME_NONE) continue;
    if (seen_stamp[name] != frame_stamp) {
      seen_stamp[name] = frame_stamp;
      seen_entry[name] = cache->names.size;
      array_push(&cache->names, ((UnitName){name, 0}));
    }
    cache->names.items[seen_entry[name]].roles |= units__role(mn->role);
  }
  cache->frame_names_end = cache->names.size;
  free(seen_stamp);
  free(seen_entry);
  array_delete(&module_names);
  /* A finding outside every statement could not be kept with one: keep walking it all. */
  cache->valid = !orphans && spans->size >= 2;
}

/* ------------------------------------------------------------------ partial analysis */

enum { MARK_AFFECTED = 1, MARK_WALK = 2 };

typedef struct AddedName {
  uint32_t unit; /* changed unit (0 = the first changed one) */
  UnitName entry;
} AddedName;

/* The state of one partial analysis: old units (the cache) matched to new ones (spans). */
typedef struct Partial {
  UnitCache *cache;
  const SpanList *spans;
  const char *text;
  uint32_t old_count, new_count;
  uint32_t *old_to_new, *new_to_old; /* UNITS_NONE: removed / changed */
  uint32_t *changed_of;              /* new unit -> its index among the changed, or UNITS_NONE */
  Array(uint32_t) changed_units;     /* new units without an old match, in order */
  Array(uint32_t) removed_units;     /* old units without a new match */
  uint8_t *mark;                   /* per new unit */
  Array(uint32_t) queue;           /* new units marked MARK_WALK, to close over */
  uint32_t *index_start;           /* name -> range of index_units */
  uint32_t *index_units;           /* old units mentioning each name */
  uint8_t *name_inert;             /* per name */
  uint8_t *name_followed;          /* per name: partial__close() has followed it */
  UnitNameList changed_names;      /* names of the changed units, by changed_begin */
  uint32_t *changed_begin;         /* per changed unit + 1 */
  uint8_t *changed_facts;
  Array(AddedName) added;          /* names new to the table, declared by changed units */
} Partial;

static uint32_t partial__old_to_new(const Partial *pa, uint32_t old) {
  return old == UNITS_NONE ? UNITS_NONE : pa->old_to_new[old];
}

static uint32_t partial__new_to_old(const Partial *pa, uint32_t unit) {
  return pa->new_to_old[unit];
}

/* Pairs each new statement with the old one it is, in order. tree-sitter shares most unchanged
 * statements, but not always all of them next to an edit, so this is a match of ids rather
 * than a common prefix and suffix: ids are looked up in a hash of the old ones, packed leaves
 * (no id) match only the old statement next in line. */
static void partial__match(Partial *pa) {
  const UnitCache *cache = pa->cache;
  uint32_t capacity = 16;
  while (capacity < pa->old_count * 2) capacity *= 2;
  uint32_t *slots = xcalloc(capacity, sizeof *slots); /* old index + 1 */
  for (uint32_t o = 0; o < pa->old_count; o++) {
    const void *id = cache->units.items[o].id;
    if (!id) continue;
    uint32_t i = (uint32_t)(((uintptr_t)id >> 4) * 2654435761u) & (capacity - 1);
    while (slots[i]) i = (i + 1) & (capacity - 1);
    slots[i] = o + 1;
  }
  pa->old_to_new = xmalloc((pa->old_count + 1) * sizeof *pa->old_to_new);
  pa->new_to_old = xmalloc((pa->new_count + 1) * sizeof *pa->new_to_old);
  pa->changed_of = xmalloc((pa->new_count + 1) * sizeof *pa->changed_of);
  for (uint32_t o = 0; o < pa->old_count; o++) pa->old_to_new[o] = UNITS_NONE;
  uint32_t next_old = 0;
  for (uint32_t n = 0; n < pa->new_count; n++) {
    const Span *span = &pa->spans->items[n];
    uint32_t match = UNITS_NONE;
    if (span->id) {
      uint32_t i = (uint32_t)(((uintptr_t)span->id >> 4) * 2654435761u) & (capacity - 1);
      for (; slots[i]; i = (i + 1) & (capacity - 1))
        if (cache->units.items[slots[i] - 1].id == span->id) {
          match = slots[i] - 1;
          break;
        }
    } else if (next_old < pa->old_count && units__same(&cache->units.items[next_old], span)) {
      match = next_old;
    }
    if (match != UNITS_NONE && match >= next_old) {
      pa->new_to_old[n] = match;
      pa->old_to_new[match] = n;
      pa->changed_of[n] = UNITS_NONE;
      next_old = match + 1;
    } else {
      pa->new_to_old[n] = UNITS_NONE;
      pa->changed_of[n] = pa->changed_units.size;
      array_push(&pa->changed_units, n);
    }
  }
  for (uint32_t o = 0; o < pa->old_count; o++)
    if (pa->old_to_new[o] == UNITS_NONE) array_push(&pa->removed_units, o);
  free(slots);
}

static void partial__mark(Partial *pa, uint32_t unit, uint8_t bits) {
  if (unit == UNITS_NONE) return;
  if ((bits & MARK_WALK) && !(pa->mark[unit] & MARK_WALK)) array_push(&pa->queue, unit);
  pa->mark[unit] |= bits;
}

/* Marks every unit mentioning `name`. */
static void partial__mark_group(Partial *pa, uint32_t name, uint8_t bits) {
  for (uint32_t k = pa->index_start[name]; k < pa->index_start[name + 1]; k++)
    partial__mark(pa, partial__old_to_new(pa, pa->index_units[k]), bits);
}

/* Marks the units declaring `name` to be walked. */
static void partial__walk_declarations(Partial *pa, uint32_t name) {
  const UnitCache *cache = pa->cache;
  for (uint32_t k = pa->index_start[name]; k < pa->index_start[name + 1]; k++) {
    const Unit *u = &cache->units.items[pa->index_units[k]];
    for (uint32_t e = u->names_begin; e < u->names_end; e++)
      if (cache->names.items[e].name == name &&
          (cache->names.items[e].roles & (ROLE_IMPORT | ROLE_DECL)))
        partial__mark(pa, partial__old_to_new(pa, pa->index_units[k]), MARK_WALK);
  }
}

/* The inverted index name -> old units, and which names only import a module: declared by one
 * statement, as an import there, and assigned nowhere. */
static void partial__index(Partial *pa) {
  const UnitCache *cache = pa->cache;
  uint32_t names = name_table_count(&cache->table);
  pa->index_start = xcalloc(names + 2, sizeof *pa->index_start);
  pa->index_units = xmalloc((cache->names.size + 1) * sizeof *pa->index_units);
  uint32_t *declaring = xcalloc(names + 1, sizeof *declaring);
  uint8_t *roles = xcalloc(names + 1, 1);
  for (uint32_t e = 0; e < cache->names.size; e++) {
    const UnitName *n = &cache->names.items[e];
    bool frame = e >= cache->frame_names_begin && e < cache->frame_names_end;
    if (!frame) pa->index_start[n->name + 1]++;
    if (n->roles & (ROLE_IMPORT | ROLE_DECL)) declaring[n->name]++;
    roles[n->name] |= n->roles;
  }
  for (uint32_t n = 0; n < names; n++) pa->index_start[n + 1] += pa->index_start[n];
  uint32_t *fill = xmalloc((names + 1) * sizeof *fill);
  memcpy(fill, pa->index_start, (names + 1) * sizeof *fill);
  for (uint32_t u = 0; u < cache->units.size; u++) {
    const Unit *unit = &cache->units.items[u];
    for (uint32_t e = unit->names_begin; e < unit->names_end; e++)
      pa->index_units[fill[cache->names.items[e].name]++] = u;
  }
  pa->name_inert = xcalloc(names + 1, 1);
  pa->name_followed = xcalloc(names + 1, 1);
  for (uint32_t n = 0; n < names; n++)
    pa->name_inert[n] = declaring[n] == 1 && (roles[n] & ROLE_IMPORT) &&
                        !(roles[n] & (ROLE_DECL | ROLE_ASSIGN));
  free(fill);
  free(declaring);
  free(roles);
}

/* Follows what a walked unit mentions: the declarations of its names, and for a name that is
 * more than an import, every other unit mentioning it. */
static void partial__close(Partial *pa, uint32_t unit) {
  const UnitCache *cache = pa->cache;
  const UnitName *begin, *end;
  uint32_t old = partial__new_to_old(pa, unit);
  if (old != UNITS_NONE) {
    begin = cache->names.items + cache->units.items[old].names_begin;
    end = cache->names.items + cache->units.items[old].names_end;
  } else {
    uint32_t c = pa->changed_of[unit];
    begin = pa->changed_names.items + pa->changed_begin[c];
    end = pa->changed_names.items + pa->changed_begin[c + 1];
  }
  for (const UnitName *n = begin; n < end; n++) {
    if (pa->name_followed[n->name]) continue;
    pa->name_followed[n->name] = 1;
    partial__walk_declarations(pa, n->name);
    if (!pa->name_inert[n->name]) partial__mark_group(pa, n->name, MARK_WALK);
  }
}

static void partial__fini(Partial *pa) {
  free(pa->mark);
  array_delete(&pa->queue);
  free(pa->index_start);
  free(pa->index_units);
  free(pa->name_inert);
  free(pa->name_followed);
  array_delete(&pa->changed_names);
  free(pa->changed_begin);
  free(pa->old_to_new);
  free(pa->new_to_old);
  free(pa->changed_of);
  array_delete(&pa->changed_units);
  array_delete(&pa->removed_units);
  free(pa->changed_facts);
  array_delete(&pa->added);
}

/* Shifts a range of an unchanged statement from where it was (`old`) to where it is now. */
static void units__shift(SourceRange *r, const Unit *old, const Span *now) {
  uint32_t old_row = old->start_point.row;
  if (r->start_row == old_row) r->start_col = r->start_col - old->start_point.column + now->start_point.column;
  if (r->end_row == old_row) r->end_col = r->end_col - old->start_point.column + now->start_point.column;
  r->start_row = r->start_row - old_row + now->start_point.row;
  r->end_row = r->end_row - old_row + now->start_point.row;
  r->start_byte = r->start_byte - old->start_byte + now->start_byte;
  r->end_byte = r->end_byte - old->start_byte + now->start_byte;
}

/* The analysis of the edited file from the cache plus a walk of the statements the edit can
 * reach. Returns NULL on success, else why it would not do (nothing changed then). */
static const char *units__partial(UnitCache *cache, const TSTree *tree, const char *text,
                                  size_t len, const LintConfig *config,
                                  const Container *container, const SpanList *spans,
                                  UnitStats *stats) {
  Partial pa;
  memset(&pa, 0, sizeof pa);
  pa.cache = cache;
  pa.spans = spans;
  pa.text = text;
  pa.old_count = cache->units.size;
  pa.new_count = spans->size;
  partial__match(&pa);
  uint32_t changed = pa.changed_units.size;
  uint32_t removed = pa.removed_units.size;
  stats->changed = changed;

  const char *why = NULL;
  bool esm_before = false, esm_now = false;
  for (uint32_t u = 0; u < pa.old_count; u++) {
    if (cache->units.items[u].facts & FACT_WHOLE) why = "the file handles uncaughtException";
    esm_before |= (cache->units.items[u].facts & FACT_ESM) != 0;
  }
  for (uint32_t u = 0; u < pa.new_count; u++) esm_now |= spans->items[u].esm;
  if (esm_before != esm_now) why = "the edit makes or unmakes an ES module";
  pa.mark = xcalloc(pa.new_count + 1, 1);
  partial__index(&pa);

  /* The changed statements: their names, as words of their new text. */
  uint32_t name_count = name_table_count(&cache->table);
  uint32_t *seen_stamp = xcalloc(name_count + 1, sizeof *seen_stamp);
  uint32_t *seen_entry = xcalloc(name_count + 1, sizeof *seen_entry);
  pa.changed_begin = xcalloc(changed + 1, sizeof *pa.changed_begin);
  pa.changed_facts = xcalloc(changed + 1, 1);
  for (uint32_t c = 0; c < changed; c++) {
    const Span *span = &spans->items[pa.changed_units.items[c]];
    pa.changed_begin[c] = pa.changed_names.size;
    unit_text_scan(&cache->table, text, span->start_byte, span->end_byte, &pa.changed_names,
                      seen_stamp, seen_entry, c + 1, &pa.changed_facts[c]);
    pa.changed_facts[c] |= units__span_facts(text, span);
    partial__mark(&pa, pa.changed_units.items[c], MARK_AFFECTED | MARK_WALK);
  }
  pa.changed_begin[changed] = pa.changed_names.size;

  /* Which facts count: a bare `exports` only while some statement may be an `exports = v`
   * finding, before or after the edit. */
  uint8_t any_facts = 0;
  for (uint32_t u = 0; u < pa.old_count; u++) any_facts |= cache->units.items[u].facts;
  for (uint32_t c = 0; c < changed; c++) any_facts |= pa.changed_facts[c];
  uint8_t context_facts =
      FACT_CONTEXT | ((any_facts & FACT_EXPORTS_CANDIDATE) ? FACT_EXPORTS_BARE : 0);
  for (uint32_t c = 0; c < changed; c++)
    if (pa.changed_facts[c] & (context_facts | FACT_WHOLE))
      why = "the edit is in a statement with a file-wide fact";

  /* What the statements were: whatever they declared or assigned, or mentioned beyond an
   * import, may have changed for every statement mentioning it. */
  for (uint32_t r = 0; r < removed && !why; r++) {
    const Unit *u = &cache->units.items[pa.removed_units.items[r]];
    if (u->facts & (context_facts | FACT_WHOLE))
      why = "the edit is in a statement with a file-wide fact";
    for (uint32_t e = u->names_begin; e < u->names_end; e++) {
      const UnitName *n = &cache->names.items[e];
      if ((n->roles & (ROLE_IMPORT | ROLE_DECL | ROLE_ASSIGN)) || !pa.name_inert[n->name])
        partial__mark_group(&pa, n->name, MARK_AFFECTED | MARK_WALK);
      else
        partial__walk_declarations(&pa, n->name);
    }
  }
  /* What they are now: the same for what they mention. */
  for (uint32_t e = 0; e < pa.changed_names.size && !why; e++) {
    uint32_t name = pa.changed_names.items[e].name;
    if (!pa.name_inert[name]) partial__mark_group(&pa, name, MARK_AFFECTED | MARK_WALK);
    else partial__walk_declarations(&pa, name);
  }

  uint32_t affected = 0;
  for (uint32_t u = 0; u < pa.new_count; u++) affected += (pa.mark[u] & MARK_AFFECTED) != 0;
  if (affected && !why) {
    for (uint32_t u = 0; u < pa.new_count; u++) {
      uint32_t old = partial__new_to_old(&pa, u);
      if (old != UNITS_NONE && (cache->units.items[old].facts & context_facts))
        partial__mark(&pa, u, MARK_WALK);
    }
    for (uint32_t q = 0; q < pa.queue.size; q++) partial__close(&pa, pa.queue.items[q]);
  }

  uint64_t walked_bytes = 0;
  uint32_t walked = 0;
  for (uint32_t u = 0; u < pa.new_count; u++)
    if (pa.mark[u] & MARK_WALK) {
      walked++;
      walked_bytes += spans->items[u].end_byte - spans->items[u].start_byte;
    }
  stats->affected = affected;
  stats->walked = walked;
  stats->walked_bytes = (uint32_t)walked_bytes;
  if (!why && walked_bytes * 2 > len) why = "the edit reaches more than half of the file";

  DiagList found = ARRAY_EMPTY;
  ModuleNameList module_names = ARRAY_EMPTY;
  if (!why && walked) {
    uint8_t *units = xmalloc(pa.new_count + 1);
    for (uint32_t u = 0; u < pa.new_count; u++) units[u] = (pa.mark[u] & MARK_WALK) != 0;
    WalkMask mask = {container->node.id, ts_node_start_byte(container->node), units};
    analyze_walk(tree, text, len, config, &mask, &found, &module_names, NULL);
    free(units);
    if (found.size > 1) qsort(found.items, found.size, sizeof(Diag), units__compare_start);
  }

  /* What the changed statements declare or assign: a name whose other mentions were not
   * re-analysed means the choice above was too narrow. A name new to the file is added to the
   * table when no other statement mentions it (typing a new declaration). */
  uint32_t old_names = name_table_count(&cache->table);
  for (uint32_t i = 0; i < module_names.size && !why; i++) {
    const ModuleName *mn = &module_names.items[i];
    uint32_t unit = units__span_at(spans, mn->start_byte);
    if (unit == UNITS_NONE || pa.changed_of[unit] == UNITS_NONE) continue;
    const char *word = text + mn->start_byte;
    uint32_t name = name_table_find(&cache->table, word, mn->len);
    if (name == NAME_NONE) {
      if (units__mentioned_outside(text, (uint32_t)len, spans, pa.changed_of, word, mn->len)) {
        why = "the edit declares a module-scope name other statements mention";
        break;
      }
      name = name_table_add(&cache->table, word, mn->len);
    }
    if (name < old_names)
      for (uint32_t k = pa.index_start[name]; k < pa.index_start[name + 1] && !why; k++) {
        uint32_t now = partial__old_to_new(&pa, pa.index_units[k]);
        if (now != UNITS_NONE && !(pa.mark[now] & MARK_AFFECTED))
          why = "the edit declares or assigns a module-scope name used elsewhere";
      }
    uint32_t c = pa.changed_of[unit];
    uint8_t role = units__role(mn->role);
    uint32_t e = pa.changed_begin[c];
    while (e < pa.changed_begin[c + 1] && pa.changed_names.items[e].name != name) e++;
    if (e < pa.changed_begin[c + 1]) {
      pa.changed_names.items[e].roles |= role;
      continue;
    }
    /* A name the table did not have when the statement's words were read. */
    uint32_t a = 0;
    while (a < pa.added.size && !(pa.added.items[a].unit == c && pa.added.items[a].entry.name == name)) a++;
    if (a < pa.added.size) pa.added.items[a].entry.roles |= role;
    else array_push(&pa.added, ((AddedName){c, {name, (uint8_t)(ROLE_REF | role)}}));
  }

  /* Findings outside every statement, and kept findings whose second location moved
   * differently from them, cannot be merged. */
  for (uint32_t i = 0; i < found.size && !why; i++)
    if (units__span_at(spans, found.items[i].range.start_byte) == UNITS_NONE)
      why = "a finding lies outside every statement";
  for (uint32_t u = 0; u < pa.new_count && !why; u++) {
    uint32_t old = partial__new_to_old(&pa, u);
    if (old == UNITS_NONE || (pa.mark[u] & MARK_AFFECTED)) continue;
    const Unit *unit = &cache->units.items[old];
    for (uint32_t d = unit->diags_begin; d < unit->diags_end && !why; d++) {
      const Diag *diag = &cache->diags.items[d];
      if (diag->range.end_byte > unit->end_byte) {
        why = "a kept finding reaches past its statement";
        break;
      }
      if (!diag->has_related) continue;
      uint32_t holder = units__unit_at(cache, diag->related.start_byte);
      if (holder == UNITS_NONE || partial__old_to_new(&pa, holder) == UNITS_NONE ||
          diag->related.end_byte > cache->units.items[holder].end_byte)
        why = "a kept finding points into a changed statement";
    }
  }

  if (why) {
    diag_list_fini(&found);
    array_delete(&module_names);
    free(seen_stamp);
    free(seen_entry);
    partial__fini(&pa);
    return why;
  }

  /* Merge: recomputed findings for the affected statements, moved ones for the rest. */
  UnitList units = ARRAY_EMPTY;
  DiagList diags = ARRAY_EMPTY;
  UnitNameList names = ARRAY_EMPTY;
  uint32_t f = 0;
  for (uint32_t u = 0; u < pa.new_count; u++) {
    const Span *span = &spans->items[u];
    uint32_t old = partial__new_to_old(&pa, u);
    Unit unit = {span->id, span->leaf_hash, span->start_byte, span->end_byte, span->start_point,
                 diags.size, 0, names.size, 0, 0};
    while (f < found.size && found.items[f].range.start_byte < span->start_byte) {
      diag_list_clear(&(DiagList){&found.items[f], 1, 1});
      f++;
    }
    if (pa.mark[u] & MARK_AFFECTED) {
      for (; f < found.size && found.items[f].range.start_byte < span->end_byte; f++)
        array_push(&diags, found.items[f]);
    } else {
      for (; f < found.size && found.items[f].range.start_byte < span->end_byte; f++) {
        free(found.items[f].message);
        free(found.items[f].related_message);
      }
      const Unit *was = &cache->units.items[old];
      for (uint32_t d = was->diags_begin; d < was->diags_end; d++) {
        Diag diag = cache->diags.items[d];
        units__shift(&diag.range, was, span);
        if (diag.has_related) {
          uint32_t holder = units__unit_at(cache, diag.related.start_byte);
          units__shift(&diag.related, &cache->units.items[holder],
                       &spans->items[partial__old_to_new(&pa, holder)]);
        }
        array_push(&diags, diag);
        cache->diags.items[d].message = NULL; /* moved */
        cache->diags.items[d].related_message = NULL;
      }
    }
    if (old != UNITS_NONE) {
      const Unit *was = &cache->units.items[old];
      unit.facts = was->facts;
      for (uint32_t e = was->names_begin; e < was->names_end; e++)
        array_push(&names, cache->names.items[e]);
    } else {
      uint32_t c = pa.changed_of[u];
      unit.facts = pa.changed_facts[c];
      for (uint32_t e = pa.changed_begin[c]; e < pa.changed_begin[c + 1]; e++)
        array_push(&names, pa.changed_names.items[e]);
      for (uint32_t a = 0; a < pa.added.size; a++)
        if (pa.added.items[a].unit == c) array_push(&names, pa.added.items[a].entry);
    }
    unit.diags_end = diags.size;
    unit.names_end = names.size;
    array_push(&units, unit);
  }
  for (; f < found.size; f++) {
    free(found.items[f].message);
    free(found.items[f].related_message);
  }
  array_delete(&found);
  uint32_t frame_begin = names.size; /* the frame is unchanged, and so are its names */
  for (uint32_t e = cache->frame_names_begin; e < cache->frame_names_end; e++)
    array_push(&names, cache->names.items[e]);
  cache->frame_names_begin = frame_begin;
  cache->frame_names_end = names.size;

  diag_list_fini(&cache->diags); /* what was not moved: the findings recomputed */
  array_delete(&cache->units);
  array_delete(&cache->names);
  cache->diags = diags;
  cache->units = units;
  cache->names = names;

  array_delete(&module_names);
  free(seen_stamp);
  free(seen_entry);
  partial__fini(&pa);
  return NULL;
}

/* Does this tree-sitter runtime share unchanged top-level statements between a tree and its
 * incremental reparse, as units__subtree_identity() reads them? Checked once, on a two-line
 * file whose second line is edited. */
static bool units__sharing_works;
static pthread_once_t units__check_once = PTHREAD_ONCE_INIT;

static void units__self_check(void) {
  const Syms *syms = syms_get();
  if (!syms) return;
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, syms->language)) {
    ts_parser_delete(parser);
    return;
  }
  static const char before[] = "first(a, b);\nsecond(c, d);\n", after[] = "first(a, b);\nsecond(x, d);\n";
  TSTree *old = ts_parser_parse_string(parser, NULL, before, sizeof before - 1);
  TSInputEdit edit = {20, 21, 21, {1, 7}, {1, 8}, {1, 8}};
  if (old) ts_tree_edit(old, &edit);
  TSTree *tree = old ? ts_parser_parse_string(parser, old, after, sizeof after - 1) : NULL;
  if (old && tree) {
    SpanList a = ARRAY_EMPTY, b = ARRAY_EMPTY;
    units__spans(ts_tree_root_node(old), before, sizeof before - 1, &a);
    units__spans(ts_tree_root_node(tree), after, sizeof after - 1, &b);
    units__sharing_works = a.size == 2 && b.size == 2 && a.items[0].id &&
                           a.items[0].id == b.items[0].id && a.items[1].id != b.items[1].id;
    array_delete(&a);
    array_delete(&b);
  }
  if (tree) ts_tree_delete(tree);
  if (old) ts_tree_delete(old);
  ts_parser_delete(parser);
}

void units_analyze(UnitCache *cache, const TSTree *tree, const char *text, size_t len,
                   const LintConfig *config, DiagList *out, UnitStats *stats) {
  UnitStats ignored;
  if (!stats) stats = &ignored;
  memset(stats, 0, sizeof *stats);
  if (!tree || len > UINT32_MAX) return;
  Container container = units__container(tree, text, len);
  SpanList spans = ARRAY_EMPTY;
  units__spans(container.node, text, len, &spans);
  stats->units = spans.size;

  const char *why = NULL;
  NodeKind root_kind = syms_kind(syms_get(), ts_tree_root_node(tree));
  pthread_once(&units__check_once, units__self_check);
  if (!units__sharing_works) why = "this tree-sitter runtime does not share unchanged statements";
  else if (root_kind != NK_PROGRAM) why = "the file does not parse as a program";
  else if (!cache->valid) why = "no earlier analysis to build on";
  else if (!units__same_config(&cache->config, config)) why = "the settings changed";
  else if (container.frame_facts & FACT_WHOLE) why = "the file handles uncaughtException";
  else if (container.frame_hash != cache->frame_hash)
    why = "the edit is outside the statements (in the wrapper around them)";
  else why = units__partial(cache, tree, text, len, config, &container, &spans, stats);
  if (why) {
    units__full(cache, tree, text, len, config, &container, &spans);
    /* Walking a tree whose root is an error skips it all: nothing to build on. */
    if (root_kind != NK_PROGRAM) cache->valid = false;
    stats->full = true;
    stats->full_reason = why;
    stats->changed = stats->affected = stats->walked = spans.size;
    stats->walked_bytes = (uint32_t)len;
  }
  array_delete(&spans);

  uint32_t from = out->size;
  units__copy_out(cache, out);
  analyze_finish_list(tree, text, len, out, from);
}
