/* The embedded knowledge base: the entries of the Node.js interview Q&A document.
 *
 * The data is generated at build time by knowledge/embed.py from
 * knowledge/nodejs-interview-qa.zh.md (the verbatim quotes) and knowledge/entries.json (our
 * metadata: ids, later translations, notes and anchors). Everything here is static, read-only
 * and lives for the whole process: callers never free anything returned by this module. */
#ifndef NODEHINT_KNOWLEDGE_KB_H
#define NODEHINT_KNOWLEDGE_KB_H

#include <stddef.h>

typedef struct KbEntry {
  const char *id;       /* stable English slug, e.g. "error-first-callback" */
  const char *question; /* the heading text, verbatim from the document */
  const char *answer;   /* the body under the heading, verbatim (trailing blank lines trimmed) */
  const char *anchor;   /* the heading's anchor in the document (GitHub style, no '#') */
  int line;             /* 1-based line of the heading in the document */
  /* Filled by later work on the knowledge base; NULL until then. */
  const char *en_question;
  const char *en_answer;
  const char *notes;
  const char *docs_url;
} KbEntry;

extern const KbEntry kb_entries[];
extern const size_t kb_entry_count;

/* The entry with this id, or NULL. Borrowed: valid for the whole process. */
const KbEntry *kb_find(const char *id);

#endif
