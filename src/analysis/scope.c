#include "analysis/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/node.h"
#include "base/xalloc.h"

static uint32_t scope__hash(uint32_t scope, const char *name, size_t len) {
  uint32_t h = 2166136261u ^ (scope * 0x9E3779B1u);
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)name[i]) * 16777619u;
  return h;
}

static bool scope__same(const Analysis *an, const Binding *b, uint32_t scope, const char *name,
                        size_t len) {
  return b->scope == scope && b->name_len == len && memcmp(an->text + b->name_start, name, len) == 0;
}

static void scope__table_insert_index(BindingTable *t, uint32_t hash, uint32_t index) {
  uint32_t mask = t->capacity - 1;
  for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
    if (!t->slots[i]) {
      t->slots[i] = index + 1;
      return;
    }
  }
}

static void scope__table_grow(Analysis *an) {
  BindingTable *t = &an->table;
  uint32_t old_capacity = t->capacity;
  uint32_t *old = t->slots;
  t->capacity = old_capacity ? old_capacity * 2 : 256;
  t->slots = xcalloc(t->capacity, sizeof(uint32_t));
  for (uint32_t i = 0; i < old_capacity; i++) {
    if (!old[i]) continue;
    const Binding *b = &an->bindings.items[old[i] - 1];
    scope__table_insert_index(t, scope__hash(b->scope, an->text + b->name_start, b->name_len),
                              old[i] - 1);
  }
  free(old);
}

void scope_table_fini(BindingTable *table) {
  free(table->slots);
  free(table->names);
  table->slots = table->names = NULL;
  table->capacity = table->count = 0;
  table->name_capacity = table->name_count = 0;
}

static uint32_t scope__name_hash(const char *name, size_t len) { return scope__hash(0, name, len); }

static bool scope__same_name(const Analysis *an, const Binding *b, const char *name, size_t len) {
  return b->name_len == len && memcmp(an->text + b->name_start, name, len) == 0;
}

/* The slot of `name` in the names table: its head binding index + 1, or an empty slot. */
static uint32_t *scope__name_slot(const Analysis *an, const char *name, size_t len) {
  const BindingTable *t = &an->table;
  uint32_t mask = t->name_capacity - 1;
  for (uint32_t i = scope__name_hash(name, len) & mask;; i = (i + 1) & mask)
    if (!t->names[i] || scope__same_name(an, &an->bindings.items[t->names[i] - 1], name, len))
      return &t->names[i];
}

static void scope__names_grow(Analysis *an) {
  BindingTable *t = &an->table;
  uint32_t old_capacity = t->name_capacity;
  uint32_t *old = t->names;
  t->name_capacity = old_capacity ? old_capacity * 2 : 256;
  t->names = xcalloc(t->name_capacity, sizeof(uint32_t));
  for (uint32_t i = 0; i < old_capacity; i++) {
    if (!old[i]) continue;
    const Binding *b = &an->bindings.items[old[i] - 1];
    *scope__name_slot(an, an->text + b->name_start, b->name_len) = old[i];
  }
  free(old);
}

/* Makes binding `index` the head of its name's chain. */
static void scope__names_insert(Analysis *an, uint32_t index) {
  BindingTable *t = &an->table;
  if ((t->name_count + 1) * 2 > t->name_capacity) scope__names_grow(an);
  Binding *b = &an->bindings.items[index];
  uint32_t *slot = scope__name_slot(an, an->text + b->name_start, b->name_len);
  if (*slot) {
    b->next_same_name = *slot - 1;
    b->same_name_count = an->bindings.items[*slot - 1].same_name_count + 1;
  } else {
    b->next_same_name = NONE;
    b->same_name_count = 1;
    t->name_count++;
  }
  *slot = index + 1;
}

uint32_t scope_push(Analysis *an, ScopeKind kind, TSNode node) {
  uint32_t parent = an->scope_stack.size ? *array_back(&an->scope_stack) : NONE;
  uint32_t index = an->scopes.size;
  Scope s = {parent, NONE, (uint8_t)kind, ts_node_start_byte(node), ts_node_end_byte(node),
             parent == NONE ? 0 : an->scopes.items[parent].depth + 1, UINT32_MAX};
  s.function_scope = (kind == SCOPE_BLOCK && parent != NONE)
                         ? an->scopes.items[parent].function_scope
                         : index;
  array_push(&an->scopes, s);
  array_push(&an->scope_stack, index);
  return index;
}

void scope_pop(Analysis *an) {
  if (an->scope_stack.size > 1) {
    an->scopes.items[*array_back(&an->scope_stack)].last_descendant = an->scopes.size - 1;
    an->scope_stack.size--;
  }
}

static uint32_t scope__find_in(const Analysis *an, uint32_t scope, const char *name, size_t len,
                               uint32_t hash) {
  const BindingTable *t = &an->table;
  if (!t->capacity) return NONE;
  uint32_t mask = t->capacity - 1;
  for (uint32_t i = hash & mask; t->slots[i]; i = (i + 1) & mask) {
    const Binding *b = &an->bindings.items[t->slots[i] - 1];
    if (scope__same(an, b, scope, name, len)) return t->slots[i] - 1;
  }
  return NONE;
}

uint32_t scope_declare(Analysis *an, uint32_t scope, BindingKind kind, TSNode name_node,
                       TSNode value, const char *path, uint32_t func) {
  if (scope == NONE) {
    scope = analysis_scope(an);
    if (kind == BIND_VAR && scope < an->scopes.size) scope = an->scopes.items[scope].function_scope;
  }
  uint32_t start = ts_node_start_byte(name_node), end = ts_node_end_byte(name_node);
  if (end > an->len || start > end) return NONE;
  const char *name = an->text + start;
  uint32_t hash = scope__hash(scope, name, end - start);
  uint32_t existing = scope__find_in(an, scope, name, end - start, hash);
  if (existing != NONE) {
    /* `var x = 1; var x = 2;` or a function declared twice: what it holds is unreliable. */
    an->bindings.items[existing].flags |= BINDING_REASSIGNED;
    array_push(&an->redeclarations, ((Redeclaration){scope, start, end - start}));
    return existing;
  }
  Binding b;
  memset(&b, 0, sizeof b);
  b.scope = scope;
  b.name_start = start;
  b.name_len = end - start;
  b.kind = (uint8_t)kind;
  b.name_node = name_node;
  b.value = value;
  b.path = path ? xstrdup(path) : NULL;
  b.func = func;
  uint32_t index = an->bindings.size;
  array_push(&an->bindings, b);
  if ((an->table.count + 1) * 2 > an->table.capacity) scope__table_grow(an);
  scope__table_insert_index(&an->table, hash, index);
  an->table.count++;
  scope__names_insert(an, index);
  return index;
}

uint32_t scope_at_byte(const Analysis *an, uint32_t byte) {
  if (an->scopes.size == 0) return 0;
  /* Scopes are numbered in document order: the last one starting at or before `byte`, or
   * the nearest of its ancestors that still covers it. */
  uint32_t lo = 0, hi = an->scopes.size;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (an->scopes.items[mid].start_byte <= byte) lo = mid;
    else hi = mid;
  }
  for (uint32_t s = lo; s != NONE && s < an->scopes.size; s = an->scopes.items[s].parent)
    if (s == 0 || (an->scopes.items[s].start_byte <= byte && byte < an->scopes.items[s].end_byte))
      return s;
  return 0;
}

/* Is scope `outer` the scope `inner` or one that contains it? */
static bool scope__encloses(const Analysis *an, uint32_t outer, uint32_t inner) {
  return outer <= inner && inner <= an->scopes.items[outer].last_descendant;
}

uint32_t scope_lookup(const Analysis *an, uint32_t scope, const char *name, size_t len) {
  if (scope >= an->scopes.size || !an->table.name_capacity) return NONE;
  uint32_t head = *scope__name_slot(an, name, len);
  if (!head) return NONE; /* nothing of that name anywhere: the common case for globals */
  const Binding *first = &an->bindings.items[head - 1];
  if (first->same_name_count <= an->scopes.items[scope].depth + 1) {
    /* Fewer candidates than enclosing scopes: the innermost enclosing declaration wins. */
    uint32_t best = NONE;
    for (uint32_t b = head - 1; b != NONE; b = an->bindings.items[b].next_same_name) {
      uint32_t s = an->bindings.items[b].scope;
      if (scope__encloses(an, s, scope) && (best == NONE || s > an->bindings.items[best].scope))
        best = b;
    }
    return best;
  }
  for (uint32_t s = scope; s != NONE && s < an->scopes.size; s = an->scopes.items[s].parent) {
    uint32_t found = scope__find_in(an, s, name, len, scope__hash(s, name, len));
    if (found != NONE) return found;
  }
  return NONE;
}

uint32_t scope_lookup_node(const Analysis *an, uint32_t scope, TSNode identifier) {
  size_t len;
  const char *name = node_text(an, identifier, &len);
  return scope_lookup(an, scope, name, len);
}

/* One pending piece of a pattern: the node and the member path that leads to it, stored
 * NUL-terminated at `path` in the walk's path arena (NONE: no path, the value itself). */
typedef struct PatternItem {
  TSNode node;
  uint32_t path;
} PatternItem;

/* Appends `parent` + "." + `key` (or `parent` + key when key starts with '[') to the arena
 * and returns its offset. */
static uint32_t scope__path_push(StrBuf *arena, uint32_t parent, const char *key) {
  uint32_t offset = (uint32_t)arena->len;
  if (parent != NONE) {
    /* Copy through a length: the arena may move while it grows. */
    size_t parent_len = strlen(arena->data + parent);
    char *copy = xstrndup(arena->data + parent, parent_len);
    strbuf_puts(arena, copy);
    free(copy);
    if (key[0] != '[') strbuf_putc(arena, '.');
  }
  strbuf_puts(arena, key);
  strbuf_putc(arena, '\0');
  return offset;
}

void scope_declare_pattern(Analysis *an, uint32_t scope, BindingKind kind, TSNode pattern,
                           TSNode value) {
  const Syms *sy = an->syms;
  Array(PatternItem) stack = ARRAY_EMPTY;
  StrBuf arena;
  strbuf_init(&arena);
  array_push(&stack, ((PatternItem){pattern, NONE}));
  while (stack.size) {
    PatternItem item = array_pop(&stack);
    TSNode n = item.node;
    const char *path = item.path == NONE ? NULL : arena.data + item.path;
    switch (node_kind(an, n)) {
      case NK_IDENTIFIER:
        scope_declare(an, scope, kind, n, value, path, NONE);
        break;
      case NK_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN: {
        char key[128];
        if (!node_text_copy(an, n, key, sizeof key)) break;
        uint32_t p = scope__path_push(&arena, item.path, key);
        scope_declare(an, scope, kind, n, value, arena.data + p, NONE);
        break;
      }
      case NK_ASSIGNMENT_PATTERN:
      case NK_OBJECT_ASSIGNMENT_PATTERN:
        array_push(&stack, ((PatternItem){node_field(n, sy->f_left), item.path}));
        break;
      case NK_REST_PATTERN: {
        /* `...rest` holds "the other members": no single path. */
        TSNode inner = ts_node_named_child(n, 0);
        if (ts_node_is_null(inner)) break;
        uint32_t p = scope__path_push(&arena, item.path, "[rest]");
        array_push(&stack, ((PatternItem){inner, p}));
        break;
      }
      case NK_OBJECT_PATTERN: {
        uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = count; i-- > 0;) {
          TSNode child = ts_node_named_child(n, i);
          NodeKind ck = node_kind(an, child);
          if (ck == NK_PAIR_PATTERN) {
            TSNode key = node_field(child, sy->f_key);
            char key_text[128];
            bool plain = node_kind(an, key) == NK_PROPERTY_IDENTIFIER &&
                         node_text_copy(an, key, key_text, sizeof key_text);
            if (!plain && !node_string_value(an, key, key_text, sizeof key_text))
              strcpy(key_text, "[computed]");
            uint32_t p = scope__path_push(&arena, item.path, key_text);
            array_push(&stack, ((PatternItem){node_field(child, sy->f_value), p}));
          } else if (ck != NK_OTHER && ck != NK_COMMENT) {
            array_push(&stack, ((PatternItem){child, item.path}));
          }
        }
        break;
      }
      case NK_ARRAY_PATTERN: {
        uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = count; i-- > 0;) {
          TSNode child = ts_node_named_child(n, i);
          if (ts_node_is_null(child) || node_kind(an, child) == NK_COMMENT) continue;
          char key[24];
          snprintf(key, sizeof key, "[%u]", i);
          uint32_t p = scope__path_push(&arena, item.path, key);
          array_push(&stack, ((PatternItem){child, p}));
        }
        break;
      }
      default:
        break;
    }
  }
  array_delete(&stack);
  strbuf_fini(&arena);
}

void scope_resolve_assignments(Analysis *an) {
  for (uint32_t i = 0; i < an->assignments.size; i++) {
    PendingAssignment *a = &an->assignments.items[i];
    uint32_t b = scope_lookup_node(an, a->scope, a->left);
    if (b == NONE) continue;
    Binding *binding = &an->bindings.items[b];
    if (ts_node_is_null(binding->value) && !binding->path && binding->kind != BIND_PARAM &&
        !(binding->flags & BINDING_REASSIGNED)) {
      binding->value = a->right;
    } else {
      binding->flags |= BINDING_REASSIGNED;
    }
  }
}

void scope_member_holders(Analysis *an, const char *prop, HolderSet *set) {
  const Syms *sy = an->syms;
  size_t plen = strlen(prop);
  memset(set, 0, sizeof *set);
  for (uint32_t b = 0; b < an->bindings.size; b++) {
    const Binding *binding = &an->bindings.items[b];
    bool holder = false;
    if (binding->kind != BIND_VAR && binding->kind != BIND_LET && binding->kind != BIND_CONST &&
        binding->kind != BIND_IMPORT)
      continue;
    if (binding->path) {
      size_t len = strlen(binding->path);
      holder = len >= plen && strcmp(binding->path + len - plen, prop) == 0 &&
               (len == plen || binding->path[len - plen - 1] == '.');
    } else if (binding->kind != BIND_IMPORT) {
      TSNode value = node_unparen(an, binding->value);
      NodeKind k = node_kind(an, value);
      holder = k == NK_IDENTIFIER || k == NK_SUBSCRIPT ||
               (k == NK_MEMBER && node_text_eq(an, node_field(value, sy->f_property), prop));
    }
    if (holder) array_push(&set->bindings, b);
  }
  uint32_t capacity = 16;
  while (capacity < set->bindings.size * 2 + 16) capacity *= 2;
  set->name_hashes = xcalloc(capacity, sizeof *set->name_hashes);
  set->mask = capacity - 1;
  for (uint32_t i = 0; i < set->bindings.size; i++) {
    const Binding *b = &an->bindings.items[set->bindings.items[i]];
    uint32_t h = scope__name_hash(an->text + b->name_start, b->name_len) | 1;
    uint32_t k = h & set->mask;
    while (set->name_hashes[k] && set->name_hashes[k] != h) k = (k + 1) & set->mask;
    set->name_hashes[k] = h;
  }
}

void holder_set_fini(HolderSet *set) {
  array_delete(&set->bindings);
  free(set->name_hashes);
  set->name_hashes = NULL;
}

bool scope_refers_to_one_of(const Analysis *an, uint32_t scope, TSNode id, const HolderSet *set) {
  if (!set->bindings.size) return false;
  size_t len;
  const char *t = node_text(an, id, &len);
  uint32_t h = scope__name_hash(t, len) | 1;
  uint32_t k = h & set->mask;
  while (set->name_hashes[k] && set->name_hashes[k] != h) k = (k + 1) & set->mask;
  if (!set->name_hashes[k]) return false; /* no holder has this name */
  uint32_t binding = scope_lookup_node(an, scope, id);
  uint32_t lo = 0, hi = set->bindings.size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (set->bindings.items[mid] < binding) lo = mid + 1;
    else hi = mid;
  }
  return lo < set->bindings.size && set->bindings.items[lo] == binding;
}
