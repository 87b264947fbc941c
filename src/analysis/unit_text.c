/* memmem */
#define _GNU_SOURCE
#include "analysis/unit_text.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf.h"
#include "base/xalloc.h"


static const char *const unit_text__fact_words[] = {"eval", "unhandledRejection", NULL};
static const char *const unit_text__fact_substrings[] = {"captureRejection", NULL};
static const char unit_text__whole_substring[] = "uncaughtException";

const char *const unit_text_linking_words[] = {"Buffer", NULL};

static uint32_t unit_text__hash(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

uint32_t name_table_count(const NameTable *t) {
  return t->offsets.size ? t->offsets.size - 1 : 0;
}

static bool name_table__equal(const NameTable *t, uint32_t index, const char *s, size_t len) {
  uint32_t start = t->offsets.items[index], end = t->offsets.items[index + 1];
  return end - start == len && memcmp(t->pool.items + start, s, len) == 0;
}

uint32_t name_table_find(const NameTable *t, const char *s, size_t len) {
  if (!t->capacity) return NAME_NONE;
  uint32_t mask = t->capacity - 1;
  for (uint32_t i = unit_text__hash(s, len) & mask;; i = (i + 1) & mask) {
    uint32_t slot = t->slots[i];
    if (!slot) return NAME_NONE;
    if (name_table__equal(t, slot - 1, s, len)) return slot - 1;
  }
}

static void name_table__rehash(NameTable *t, uint32_t capacity) {
  free(t->slots);
  t->slots = xcalloc(capacity, sizeof *t->slots);
  t->capacity = capacity;
  uint32_t count = name_table_count(t);
  for (uint32_t n = 0; n < count; n++) {
    uint32_t start = t->offsets.items[n];
    uint32_t i = unit_text__hash(t->pool.items + start, t->offsets.items[n + 1] - start) & (capacity - 1);
    while (t->slots[i]) i = (i + 1) & (capacity - 1);
    t->slots[i] = n + 1;
  }
}

uint32_t name_table_add(NameTable *t, const char *s, size_t len) {
  uint32_t found = name_table_find(t, s, len);
  if (found != NAME_NONE) return found;
  if (!t->offsets.size) array_push(&t->offsets, 0);
  array_grow_by(&t->pool, (uint32_t)len);
  memcpy(t->pool.items + t->pool.size - len, s, len);
  array_push(&t->offsets, t->pool.size);
  uint32_t count = name_table_count(t);
  if (count * 2 > t->capacity) name_table__rehash(t, t->capacity ? t->capacity * 2 : 64);
  else {
    uint32_t mask = t->capacity - 1, i = unit_text__hash(s, len) & mask;
    while (t->slots[i]) i = (i + 1) & mask;
    t->slots[i] = count;
  }
  return count - 1;
}

void name_table_clear(NameTable *t) {
  array_clear(&t->pool);
  array_clear(&t->offsets);
  if (t->slots) memset(t->slots, 0, t->capacity * sizeof *t->slots);
}

void name_table_fini(NameTable *t) {
  array_delete(&t->pool);
  array_delete(&t->offsets);
  free(t->slots);
  t->slots = NULL;
  t->capacity = 0;
}

static bool unit_text__is_fact_word(const char *s, size_t len) {
  for (const char *const *w = unit_text__fact_words; *w; w++)
    if (strlen(*w) == len && memcmp(*w, s, len) == 0) return true;
  return false;
}

static bool unit_text__blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The FACT_EXPORTS_* bits of `exports` at text[at..at+7): used bare (neither `x.exports` nor
 * `exports.x`), and perhaps assigned (`exports =`, unless `module.exports` follows, which keeps
 * the two in step). Comments around it count as anything: the answer may be too wide, never
 * too narrow. */
static uint8_t unit_text__exports_facts(const char *text, uint32_t start, uint32_t end, uint32_t at) {
  uint32_t before = at, after = at + 7;
  while (before > start && unit_text__blank(text[before - 1])) before--;
  while (after < end && unit_text__blank(text[after])) after++;
  if ((before > start && text[before - 1] == '.') || (after < end && text[after] == '.')) return 0;
  if (after >= end || text[after] != '=' || (after + 1 < end && strchr("=>", text[after + 1])))
    return FACT_EXPORTS_BARE;
  after++;
  while (after < end && unit_text__blank(text[after])) after++;
  static const char in_step[] = "module.exports";
  if (end - after >= sizeof in_step - 1 && memcmp(text + after, in_step, sizeof in_step - 1) == 0)
    return FACT_EXPORTS_BARE;
  return FACT_EXPORTS_BARE | FACT_EXPORTS_CANDIDATE;
}

/* The FACT_CONTEXT and FACT_WHOLE substrings of text[start..end). */
uint8_t unit_text_substring_facts(const char *text, uint32_t start, uint32_t end) {
  uint8_t facts = 0;
  for (const char *const *w = unit_text__fact_substrings; *w; w++)
    if (memmem(text + start, end - start, *w, strlen(*w))) facts |= FACT_CONTEXT;
  if (memmem(text + start, end - start, unit_text__whole_substring, sizeof unit_text__whole_substring - 1))
    facts |= FACT_WHOLE;
  return facts;
}

/* Records which names of the table text[start..end) mentions, once each (ROLE_REF), and the
 * facts it holds (FACT_* bits into *facts). `seen[name]` must hold a stamp other than `stamp` for every name; it
 * is set to the entry's index + 1 into `out` (so roles can be added to it later). */
void unit_text_scan(const NameTable *table, const char *text, uint32_t start,
                              uint32_t end, UnitNameList *out, uint32_t *seen_stamp,
                              uint32_t *seen_entry, uint32_t stamp, uint8_t *facts) {
  uint32_t i = start;
  while (i < end) {
    if (!utf8_word_byte((unsigned char)text[i])) {
      i++;
      continue;
    }
    uint32_t j = i + 1;
    while (j < end && utf8_word_byte((unsigned char)text[j])) j++;
    if ((unsigned)(text[i] - '0') >= 10u) {
      uint32_t name = name_table_find(table, text + i, j - i);
      if (name != NAME_NONE && seen_stamp[name] != stamp) {
        seen_stamp[name] = stamp;
        seen_entry[name] = out->size;
        array_push(out, ((UnitName){name, ROLE_REF}));
      }
      if (unit_text__is_fact_word(text + i, j - i)) *facts |= FACT_CONTEXT;
      else if (j - i == 6 && memcmp(text + i, "domain", 6) == 0 && i > start && j < end &&
               strchr("'\"`:", text[i - 1]) && strchr("'\"`", text[j]))
        *facts |= FACT_CONTEXT;
      else if (j - i == 7 && memcmp(text + i, "exports", 7) == 0)
        *facts |= unit_text__exports_facts(text, start, end, i);
    }
    i = j;
  }
}

