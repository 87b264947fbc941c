/* Lookup in the knowledge base: by id, by anchor key, and the list of all entries. The entries
 * themselves (kb_entries[], kb_entry_count) are generated at build time by knowledge/embed.py;
 * pack entries come from pack.c through kb_index_publish(). */
#include "knowledge/kb.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "knowledge/kb_index.h"

typedef struct KbSlot {
  const char *key; /* borrowed from an entry (anchor key or id) */
  uint32_t len;
  const KbEntry *entry;
} KbSlot;

/* Open-addressing string table; capacity a power of two, at most half full. */
typedef struct KbTable {
  KbSlot *slots;
  uint32_t capacity;
} KbTable;

typedef struct KbIndex {
  const KbEntry **entries; /* owned array; the entries are borrowed */
  size_t count;
  KbTable ids;
  KbTable anchors;
  struct KbIndex *older; /* the index this one replaced (kept alive) */
} KbIndex;

static _Atomic(KbIndex *) kb__current;
static pthread_once_t kb__once = PTHREAD_ONCE_INIT;

static uint32_t kb__hash(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void kb__table_init(KbTable *t, size_t items) {
  uint32_t cap = 16;
  while (cap < items * 2 + 1) cap *= 2;
  t->slots = xcalloc(cap, sizeof *t->slots);
  t->capacity = cap;
}

/* Inserts or replaces (a later insert of the same key wins). */
static void kb__table_put(KbTable *t, const char *key, const KbEntry *entry) {
  uint32_t len = (uint32_t)strlen(key), mask = t->capacity - 1;
  for (uint32_t i = kb__hash(key, len) & mask;; i = (i + 1) & mask) {
    KbSlot *s = &t->slots[i];
    if (!s->key || (s->len == len && memcmp(s->key, key, len) == 0)) {
      *s = (KbSlot){key, len, entry};
      return;
    }
  }
}

static const KbEntry *kb__table_get(const KbTable *t, const char *key, size_t len) {
  if (!t->capacity) return NULL;
  uint32_t mask = t->capacity - 1;
  for (uint32_t i = kb__hash(key, len) & mask; t->slots[i].key; i = (i + 1) & mask) {
    const KbSlot *s = &t->slots[i];
    if (s->len == len && memcmp(s->key, key, len) == 0) return s->entry;
  }
  return NULL;
}

static KbIndex *kb__build(const KbEntry *const *extra, size_t extra_count) {
  KbIndex *ix = xcalloc(1, sizeof *ix);
  ix->count = kb_entry_count + extra_count;
  ix->entries = xmalloc((ix->count ? ix->count : 1) * sizeof *ix->entries);
  size_t anchors = 0;
  for (size_t i = 0; i < ix->count; i++) {
    const KbEntry *e = i < kb_entry_count ? &kb_entries[i] : extra[i - kb_entry_count];
    ix->entries[i] = e;
    anchors += e->anchor_count;
  }
  kb__table_init(&ix->ids, ix->count);
  kb__table_init(&ix->anchors, anchors);
  /* Reverse order for ids, so the first entry with an id wins; forward for anchors, so a
   * pack's anchor wins over the document's (and a later pack's over an earlier one's). */
  for (size_t i = ix->count; i-- > 0;) kb__table_put(&ix->ids, ix->entries[i]->id, ix->entries[i]);
  for (size_t i = 0; i < ix->count; i++)
    for (uint32_t a = 0; a < ix->entries[i]->anchor_count; a++)
      kb__table_put(&ix->anchors, ix->entries[i]->anchors[a], ix->entries[i]);
  return ix;
}

static void kb__init(void) { atomic_store(&kb__current, kb__build(NULL, 0)); }

static const KbIndex *kb__index(void) {
  pthread_once(&kb__once, kb__init);
  return atomic_load_explicit(&kb__current, memory_order_acquire);
}

void kb_index_publish(const KbEntry *const *extra, size_t extra_count) {
  pthread_once(&kb__once, kb__init);
  KbIndex *ix = kb__build(extra, extra_count);
  ix->older = atomic_load(&kb__current);
  atomic_store_explicit(&kb__current, ix, memory_order_release);
}

void kb_index_reset(void) {
  pthread_once(&kb__once, kb__init);
  KbIndex *ix = atomic_exchange(&kb__current, kb__build(NULL, 0));
  while (ix) {
    KbIndex *older = ix->older;
    free(ix->entries);
    free(ix->ids.slots);
    free(ix->anchors.slots);
    free(ix);
    ix = older;
  }
}

const KbEntry *kb_find(const char *id) {
  if (!id) return NULL;
  return kb__table_get(&kb__index()->ids, id, strlen(id));
}

KbView kb_view(void) {
  const KbIndex *ix = kb__index();
  return (KbView){ix->entries, ix->count};
}

const KbEntry *kb_anchor_lookup(const char *key, size_t len) {
  return kb__table_get(&kb__index()->anchors, key, len);
}

/* --- anchor syntax (the same as ANCHOR_RES in knowledge/embed.py) --- */

static bool kb__ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static bool kb__ident_char(char c) { return kb__ident_start(c) || (c >= '0' && c <= '9'); }

/* A qualified name in s[0..len): ROOT ("()")? ("." IDENT ("()")?)* */
static bool kb__qualified(const char *s, size_t len) {
  size_t i = 0;
  if (i >= len || !(kb__ident_start(s[i]) || s[i] == '@')) return false;
  /* The root: a module id may hold '/', '-', '@' and '.'; its end is ambiguous with the first
   * member, which does not matter: every split gives the same string. */
  while (i < len && (kb__ident_char(s[i]) || strchr("@/-.", s[i]))) {
    if (s[i] == '.' && (i + 1 >= len || !(kb__ident_start(s[i + 1]) || s[i + 1] == '@')))
      return false;
    i++;
  }
  for (;;) {
    if (i + 1 < len && s[i] == '(' && s[i + 1] == ')') i += 2;
    if (i == len) return true;
    if (s[i] != '.' || i + 1 >= len || !kb__ident_start(s[i + 1])) return false;
    i++;
    while (i < len && kb__ident_char(s[i])) i++;
  }
}

static bool kb__event_name(const char *s, size_t len) {
  if (!len) return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
        s[i] == '\v' || s[i] == '\'' || s[i] == '"' || s[i] == '\\')
      return false;
  return true;
}

bool kb_anchor_valid(const char *key, const char **problem) {
  static const char *const bad =
      "expected a qualified name like 'fs.readFileSync', 'new X', '.member', 'event:name', "
      "\"X.on('name')\", \"X.emit('name')\", \"require('*.json')\" or '#!'";
  size_t len = key ? strlen(key) : 0;
  if (!len) {
    *problem = "an anchor is empty";
    return false;
  }
  if (len > 200) {
    *problem = "an anchor is longer than 200 bytes";
    return false;
  }
  bool ok = false;
  if (strcmp(key, "#!") == 0 || strcmp(key, "require('*.json')") == 0) {
    ok = true;
  } else if (strncmp(key, "new ", 4) == 0) {
    ok = kb__qualified(key + 4, len - 4);
  } else if (key[0] == '.') {
    ok = len > 1 && kb__ident_start(key[1]);
    for (size_t i = 2; ok && i < len; i++) ok = kb__ident_char(key[i]);
  } else if (strncmp(key, "event:", 6) == 0) {
    ok = kb__event_name(key + 6, len - 6);
  } else if (len > 2 && strcmp(key + len - 2, "')") == 0 &&
             (strstr(key, ".on('") || strstr(key, ".emit('"))) {
    const char *open = strstr(key, ".on('");
    size_t skip = 5;
    const char *e = strstr(key, ".emit('");
    if (!open || (e && e < open)) open = e, skip = 7;
    const char *name = open + skip;
    ok = kb__qualified(key, (size_t)(open - key)) &&
         kb__event_name(name, (size_t)(key + len - 2 - name));
  } else {
    ok = kb__qualified(key, len);
  }
  if (!ok) *problem = bad;
  return ok;
}
