/* Private to src/knowledge/: the lookup index over every entry (built-in + loaded packs).
 *
 * An index is immutable once published. Publishing a new one (when a pack is loaded) swaps an
 * atomic pointer; readers never lock and never see a half-built index. Old indexes are kept
 * (never freed before kb_index_reset()), so a pointer a reader holds stays valid. */
#ifndef NODEHINT_KNOWLEDGE_KB_INDEX_H
#define NODEHINT_KNOWLEDGE_KB_INDEX_H

#include "knowledge/kb.h"

/* Builds an index over the built-in entries plus `extra` (pack entries, in load order; their
 * anchors win over the built-ins') and publishes it. The caller serialises calls (pack.c
 * holds its registry lock) and keeps `extra`'s entries alive until kb_index_reset(). */
void kb_index_publish(const KbEntry *const *extra, size_t extra_count);

/* Frees every index and returns to the built-ins only. Tests only: no other thread may be
 * using the knowledge base. */
void kb_index_reset(void);

#endif
