/* Team knowledge packs: parsing, validation and the process-wide registry (see pack.h). */
#include "knowledge/pack.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/xalloc.h"
#include "knowledge/kb_index.h"

struct KbPack {
  char *path;     /* owned: as given (the entries' source) */
  char *key;      /* owned: the canonical path, for "the same file" */
  uint64_t hash;  /* of the bytes it was parsed from */
  size_t size;
  KbEntry *entries; /* owned, with every string and array they point to */
  size_t count;
};

static pthread_mutex_t pack__lock = PTHREAD_MUTEX_INITIALIZER;
static Array(KbPack *) pack__active;  /* the current version of each file, in load order */
static Array(KbPack *) pack__retired; /* replaced versions, kept alive for their readers */

static bool pack__fail(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool pack__fail(char **error, const char *fmt, ...) {
  if (*error) return false;
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  *error = xstrdup(buf);
  return false;
}

static bool pack__valid_id(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-') return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '-' ? s[i + 1] == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

static bool pack__https(const char *s) {
  if (strncmp(s, "https://", 8) != 0 || !s[8]) return false;
  for (; *s; s++)
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') return false;
  return true;
}

/* A non-empty string without NUL: copies it into *out (caller frees). */
static bool pack__string(json_t *v, const char *where, const char *key, char **out,
                         char **error) {
  if (!json_is_string(v)) return pack__fail(error, "%s: %s: must be a string", where, key);
  const char *s = json_string_value(v);
  if (strlen(s) != json_string_length(v))
    return pack__fail(error, "%s: %s: contains a NUL character", where, key);
  bool blank = true;
  for (const char *p = s; *p && blank; p++) blank = *p == ' ' || *p == '\t' || *p == '\n';
  if (blank) return pack__fail(error, "%s: %s: is empty", where, key);
  *out = xstrdup(s);
  return true;
}

static void pack__entry_fini(KbEntry *e) {
  free((void *)e->id);
  free((void *)e->question);
  free((void *)e->answer);
  free((void *)e->en_question);
  free((void *)e->en_answer);
  free((void *)e->docs_url);
  for (uint32_t i = 0; i < e->note_count; i++) {
    free((void *)e->notes[i].text);
    free((void *)e->notes[i].url);
  }
  free((void *)e->notes);
  for (uint32_t i = 0; i < e->anchor_count; i++) free((void *)e->anchors[i]);
  free((void *)e->anchors);
}

static bool pack__notes(json_t *v, const char *where, KbEntry *e, char **error) {
  if (!json_is_array(v)) return pack__fail(error, "%s: notes: must be an array", where);
  size_t n = json_array_size(v);
  KbNote *notes = xcalloc(n ? n : 1, sizeof *notes);
  e->notes = notes;
  for (size_t i = 0; i < n; i++) {
    json_t *note = json_array_get(v, i);
    char key[64];
    snprintf(key, sizeof key, "notes[%zu]", i);
    if (!json_is_object(note))
      return pack__fail(error, "%s: %s: must be an object {\"text\", \"url\"}", where, key);
    const char *k;
    json_t *val;
    json_object_foreach(note, k, val) {
      if (strcmp(k, "text") != 0 && strcmp(k, "url") != 0)
        return pack__fail(error, "%s: %s: unknown key '%s' (expected \"text\" and \"url\")",
                          where, key, k);
    }
    char text_key[80], url_key[80];
    snprintf(text_key, sizeof text_key, "%s.text", key);
    snprintf(url_key, sizeof url_key, "%s.url", key);
    char *text = NULL, *url = NULL;
    bool ok = pack__string(json_object_get(note, "text"), where, text_key, &text, error) &&
              pack__string(json_object_get(note, "url"), where, url_key, &url, error);
    notes[i].text = text;
    notes[i].url = url;
    e->note_count = (uint32_t)i + 1;
    if (!ok) return false;
    if (!pack__https(url))
      return pack__fail(error, "%s: %s: must be an https:// URL without spaces", where, url_key);
  }
  return true;
}

static bool pack__anchors(json_t *v, const char *where, KbEntry *e, char **error) {
  if (!json_is_array(v)) return pack__fail(error, "%s: anchors: must be an array", where);
  size_t n = json_array_size(v);
  const char **anchors = xcalloc(n ? n : 1, sizeof *anchors);
  e->anchors = anchors;
  for (size_t i = 0; i < n; i++) {
    char key[64];
    snprintf(key, sizeof key, "anchors[%zu]", i);
    json_t *a = json_array_get(v, i);
    if (!json_is_string(a)) return pack__fail(error, "%s: %s: must be a string", where, key);
    const char *problem;
    if (strlen(json_string_value(a)) != json_string_length(a) ||
        !kb_anchor_valid(json_string_value(a), &problem))
      return pack__fail(error, "%s: %s: bad anchor '%s' (%s)", where, key, json_string_value(a),
                        problem);
    for (size_t j = 0; j < i; j++)
      if (strcmp(anchors[j], json_string_value(a)) == 0)
        return pack__fail(error, "%s: %s: '%s' is listed twice", where, key, anchors[j]);
    anchors[i] = xstrdup(json_string_value(a));
    e->anchor_count = (uint32_t)i + 1;
  }
  return true;
}

static bool pack__entry(json_t *obj, const char *where, KbEntry *e, char **error) {
  static const char *const keys[] = {"id",       "question", "answer",  "en_question",
                                     "en_answer", "notes",   "docs_url", "anchors"};
  const char *k;
  json_t *v;
  json_object_foreach(obj, k, v) {
    bool known = false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) known |= strcmp(k, keys[i]) == 0;
    if (!known)
      return pack__fail(error,
                        "%s: unknown key '%s' (expected id, question, answer, en_question, "
                        "en_answer, notes, docs_url, anchors)",
                        where, k);
  }
  char *s = NULL;
  for (int i = 0; i < 3; i++) {
    json_t *value = json_object_get(obj, keys[i]);
    if (!value) return pack__fail(error, "%s: missing key '%s'", where, keys[i]);
    if (!pack__string(value, where, keys[i], &s, error)) return false;
    if (i == 0) e->id = s;
    else if (i == 1) e->question = s;
    else e->answer = s;
  }
  if (!pack__valid_id(e->id))
    return pack__fail(error, "%s: id: want lowercase a-z0-9 words joined by single '-' (at most "
                      "64 characters)", where);
  if (strchr(e->question, '\n')) return pack__fail(error, "%s: question: contains a newline", where);
  json_t *enq = json_object_get(obj, "en_question"), *ena = json_object_get(obj, "en_answer");
  if (!enq != !ena)
    return pack__fail(error, "%s: en_question and en_answer go together (give both or neither)",
                      where);
  if (enq) {
    if (!pack__string(enq, where, "en_question", &s, error)) return false;
    e->en_question = s;
    if (strchr(s, '\n')) return pack__fail(error, "%s: en_question: contains a newline", where);
    if (!pack__string(ena, where, "en_answer", &s, error)) return false;
    e->en_answer = s;
  }
  if ((v = json_object_get(obj, "docs_url"))) {
    if (!pack__string(v, where, "docs_url", &s, error)) return false;
    e->docs_url = s;
    if (!pack__https(s))
      return pack__fail(error, "%s: docs_url: must be an https:// URL without spaces", where);
  }
  if ((v = json_object_get(obj, "notes")) && !pack__notes(v, where, e, error)) return false;
  if ((v = json_object_get(obj, "anchors")) && !pack__anchors(v, where, e, error)) return false;
  return true;
}

void kb_pack_destroy(KbPack *pack) {
  if (!pack) return;
  for (size_t i = 0; i < pack->count; i++) pack__entry_fini(&pack->entries[i]);
  free(pack->entries);
  free(pack->path);
  free(pack->key);
  free(pack);
}

KbPack *kb_pack_parse(const char *json_text, size_t len, const char *origin, char **error) {
  *error = NULL;
  json_error_t jerr;
  json_t *root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    pack__fail(error, "%s: invalid JSON at line %d, column %d: %s", origin, jerr.line,
               jerr.column, jerr.text);
    return NULL;
  }
  KbPack *pack = xcalloc(1, sizeof *pack);
  pack->path = xstrdup(origin);
  json_t *entries = NULL;
  if (!json_is_object(root)) {
    pack__fail(error, "%s: expected a JSON object {\"entries\": [...]}", origin);
    goto done;
  }
  const char *k;
  json_t *v;
  json_object_foreach(root, k, v) {
    if (strcmp(k, "entries") != 0 && strcmp(k, "$schema") != 0) {
      pack__fail(error, "%s: unknown key '%s' (expected \"entries\")", origin, k);
      goto done;
    }
  }
  entries = json_object_get(root, "entries");
  if (!json_is_array(entries) || json_array_size(entries) == 0) {
    pack__fail(error, "%s: entries: expected a non-empty array of entries", origin);
    goto done;
  }
  if (json_array_size(entries) > KB_PACK_MAX_ENTRIES) {
    pack__fail(error, "%s: entries: more than %d entries", origin, KB_PACK_MAX_ENTRIES);
    goto done;
  }
  pack->entries = xcalloc(json_array_size(entries), sizeof *pack->entries);
  for (size_t i = 0; i < json_array_size(entries); i++) {
    json_t *obj = json_array_get(entries, i);
    json_t *id = json_is_object(obj) ? json_object_get(obj, "id") : NULL;
    char where[512];
    if (json_is_string(id))
      snprintf(where, sizeof where, "%s: entry %zu ('%.64s')", origin, i + 1, json_string_value(id));
    else
      snprintf(where, sizeof where, "%s: entry %zu", origin, i + 1);
    KbEntry *e = &pack->entries[i];
    pack->count = i + 1;
    e->source = pack->path;
    if (!json_is_object(obj)) {
      pack__fail(error, "%s: not an object", where);
      goto done;
    }
    if (!pack__entry(obj, where, e, error)) goto done;
    for (size_t j = 0; j < i; j++)
      if (strcmp(pack->entries[j].id, e->id) == 0) {
        pack__fail(error, "%s: id: also entry %zu's", where, j + 1);
        goto done;
      }
    for (size_t j = 0; j < kb_entry_count; j++)
      if (strcmp(kb_entries[j].id, e->id) == 0) {
        pack__fail(error, "%s: id: '%s' is a built-in entry (choose another id)", where, e->id);
        goto done;
      }
  }
done:
  json_decref(root);
  if (*error) {
    kb_pack_destroy(pack);
    return NULL;
  }
  return pack;
}

size_t kb_pack_entry_count(const KbPack *pack) { return pack->count; }
const KbEntry *kb_pack_entry(const KbPack *pack, size_t i) {
  return i < pack->count ? &pack->entries[i] : NULL;
}
const char *kb_pack_path(const KbPack *pack) { return pack->path; }

static uint64_t pack__hash(const char *s, size_t len) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static char *pack__read(const char *path, size_t *len, char **error) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    pack__fail(error, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 8192, n = 0;
  char *buf = xmalloc(cap);
  for (;;) {
    if (n == cap) {
      if (cap > KB_PACK_MAX_BYTES) break;
      cap *= 2;
      buf = xrealloc(buf, cap);
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad || n > KB_PACK_MAX_BYTES) {
    free(buf);
    if (bad) pack__fail(error, "%s: read error", path);
    else pack__fail(error, "%s: larger than %zu MiB", path, KB_PACK_MAX_BYTES >> 20);
    return NULL;
  }
  *len = n;
  return buf;
}

/* Rebuilds the lookup index from the active packs. Called with the lock held. */
static void pack__publish(void) {
  Array(const KbEntry *) all = ARRAY_EMPTY;
  for (uint32_t p = 0; p < pack__active.size; p++)
    for (size_t i = 0; i < pack__active.items[p]->count; i++)
      array_push(&all, &pack__active.items[p]->entries[i]);
  kb_index_publish(all.items, all.size);
  array_delete(&all);
}

const KbPack *kb_pack_load(const char *path, char **error) {
  *error = NULL;
  size_t len;
  char *text = pack__read(path, &len, error);
  if (!text) return NULL;
  char resolved[PATH_MAX];
  const char *key = realpath(path, resolved) ? resolved : path;
  uint64_t hash = pack__hash(text, len);
  KbPack *result = NULL;

  pthread_mutex_lock(&pack__lock);
  uint32_t same = UINT32_MAX;
  for (uint32_t p = 0; p < pack__active.size; p++)
    if (strcmp(pack__active.items[p]->key, key) == 0) same = p;
  if (same != UINT32_MAX && pack__active.items[same]->hash == hash &&
      pack__active.items[same]->size == len) {
    result = pack__active.items[same];
    goto done;
  }
  KbPack *pack = kb_pack_parse(text, len, path, error);
  if (!pack) goto done;
  pack->key = xstrdup(key);
  pack->hash = hash;
  pack->size = len;
  for (uint32_t p = 0; p < pack__active.size; p++) {
    if (p == same) continue;
    const KbPack *other = pack__active.items[p];
    for (size_t i = 0; i < pack->count; i++)
      for (size_t j = 0; j < other->count; j++)
        if (strcmp(pack->entries[i].id, other->entries[j].id) == 0) {
          pack__fail(error, "%s: entry %zu ('%s'): id: also defined in %s", path, i + 1,
                     pack->entries[i].id, other->path);
          kb_pack_destroy(pack);
          goto done;
        }
  }
  if (same != UINT32_MAX) {
    array_push(&pack__retired, pack__active.items[same]);
    pack__active.items[same] = pack;
  } else {
    array_push(&pack__active, pack);
  }
  pack__publish();
  result = pack;
done:
  pthread_mutex_unlock(&pack__lock);
  free(text);
  return result;
}

void kb_packs_reset(void) {
  pthread_mutex_lock(&pack__lock);
  kb_index_reset();
  for (uint32_t p = 0; p < pack__active.size; p++) kb_pack_destroy(pack__active.items[p]);
  for (uint32_t p = 0; p < pack__retired.size; p++) kb_pack_destroy(pack__retired.items[p]);
  array_delete(&pack__active);
  array_delete(&pack__retired);
  pthread_mutex_unlock(&pack__lock);
}
