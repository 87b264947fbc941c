/* Lookup in the embedded knowledge base; the entries themselves (kb_entries[], kb_entry_count)
 * are generated at build time by knowledge/embed.py. */
#include "kb.h"

#include <string.h>

const KbEntry *kb_find(const char *id) {
  if (!id) return NULL;
  /* A linear scan: there are only a few dozen entries, and lookups are rare. */
  for (size_t i = 0; i < kb_entry_count; i++) {
    if (strcmp(kb_entries[i].id, id) == 0) return &kb_entries[i];
  }
  return NULL;
}
