/* The knowledge base: the entries of the Node.js interview Q&A document, plus the entries of
 * any team knowledge packs loaded at run time (pack.h).
 *
 * The built-in data is generated at build time by knowledge/embed.py from
 * knowledge/nodejs-interview-qa.zh.md (the verbatim quotes), knowledge/en/<id>.md (our English
 * translations and notes), knowledge/entries.json (ids, docs links, anchors) and
 * src/rules/rules.def (which rules quote each entry). Built-in entries are static and read-only.
 * Pack entries are allocated once and never freed before the process ends (kb_packs_reset()
 * excepted, for tests): everything this module returns is borrowed and valid for the whole
 * process, and may be read from any thread. */
#ifndef NODEHINT_KNOWLEDGE_KB_H
#define NODEHINT_KNOWLEDGE_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A correction of the document for current Node.js (LTS 20/22): one sentence or two, and the
 * page (Node.js docs, deprecation code) that backs it. */
typedef struct KbNote {
  const char *text; /* Markdown (inline only), never empty */
  const char *url;  /* https:// */
} KbNote;

typedef struct KbEntry {
  const char *id;       /* stable English slug, e.g. "error-first-callback" */
  const char *question; /* the heading text, verbatim from the document */
  const char *answer;   /* the body under the heading, verbatim (trailing blank lines trimmed) */
  const char *anchor;   /* the heading's anchor in the document (GitHub style, no '#'); NULL
                           for pack entries */
  int line;             /* 1-based line of the heading in the document; 0 for pack entries */
  const char *en_question; /* our English translation (Markdown inline); NULL if none */
  const char *en_answer;   /* our English translation (Markdown, code blocks kept); NULL if none */
  const KbNote *notes;     /* where the document is outdated or wrong; note_count items */
  uint32_t note_count;
  const char *docs_url;    /* the Node.js (or library) documentation page, or NULL */
  const char *const *anchors; /* anchor_count anchor keys (see knowledge/embed.py) */
  uint32_t anchor_count;
  const char *const *rules;   /* rule_count ids of the rules that quote this entry */
  uint32_t rule_count;
  const char *no_anchor_reason; /* why no code can anchor it (anchor_count == 0), or NULL */
  const char *source;   /* NULL for the document's entries; the pack file for pack entries */
} KbEntry;

/* The document's entries, in document order (generated). */
extern const KbEntry kb_entries[];
extern const size_t kb_entry_count;

/* The entry with this id (built-in or from a loaded pack), or NULL. Borrowed. */
const KbEntry *kb_find(const char *id);

/* Every entry: the document's, then those of loaded packs (in load order). The view is a
 * consistent snapshot; it stays valid (and unchanged) even if packs are loaded meanwhile. */
typedef struct KbView {
  const KbEntry *const *entries;
  size_t count;
} KbView;
KbView kb_view(void);

/* The entry an anchor key belongs to ("fs.readFileSync", ".pipe", "event:error", …), or NULL.
 * Exact match only; pack anchors take precedence over the document's. `key` need not be
 * NUL-terminated. Lock-free; the lookup table is built once per process (and once per pack
 * load). */
const KbEntry *kb_anchor_lookup(const char *key, size_t len);

/* Is `key` a well-formed anchor? On false, *problem (static) says why. The syntax is
 * documented in knowledge/embed.py, which checks the document's anchors the same way. */
bool kb_anchor_valid(const char *key, const char **problem);

#endif
