/* Team knowledge packs: extra Q&A entries, in JSON, that a project adds to the built-in ones
 * (.nodehintrc.json: "knowledge": ["docs/team-qa.json"]).
 *
 *   { "entries": [
 *       { "id": "team-config-loading",               required: a-z0-9 words joined by '-'
 *         "question": "配置文件应该怎么加载?",           required: shown verbatim
 *         "answer": "启动时读一次 ...",                 required: shown verbatim (Markdown)
 *         "en_question": "...", "en_answer": "...",  optional, both or neither
 *         "notes": [{"text": "...", "url": "https://..."}],   optional
 *         "docs_url": "https://...",                 optional
 *         "anchors": ["fs.readFileSync", ".pipe"]     optional: the same syntax as the built-in
 *       } ] }                                           anchors (knowledge/embed.py)
 *
 * Unknown keys, a malformed anchor, an id that is already a built-in entry or belongs to
 * another pack are errors naming the file and the entry ("team.json: entry 2 ('x'):
 * anchors[0]: ..."). A pack's anchors take precedence over the built-in ones.
 *
 * Lifetime and threads: a loaded pack is registered process-wide and never freed before the
 * process ends (kb_packs_reset() excepted, for tests); kb_find(), kb_view() and
 * kb_anchor_lookup() see it as soon as kb_pack_load() returns, from any thread, without
 * locks. Loading the same file again (after it changed) replaces the earlier version for
 * lookups; entries of the earlier version stay valid for whoever still holds them. Loads are
 * serialised by a mutex. */
#ifndef NODEHINT_KNOWLEDGE_PACK_H
#define NODEHINT_KNOWLEDGE_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "knowledge/kb.h"

#define KB_PACK_MAX_BYTES ((size_t)4 << 20)
#define KB_PACK_MAX_ENTRIES 1000

typedef struct KbPack KbPack;

/* Reads, validates and registers the pack at `path`. If the same file (same path, same bytes)
 * is already loaded, returns that pack. Returns the pack (borrowed: valid for the process),
 * or NULL with *error set (caller frees) to "PATH: problem" / "PATH: entry N ('id'): KEY:
 * problem". */
const KbPack *kb_pack_load(const char *path, char **error);

/* Parses a pack from memory without registering it (`origin` names it in errors and becomes
 * the entries' source). Returns a new pack (caller destroys), or NULL with *error set. */
KbPack *kb_pack_parse(const char *json_text, size_t len, const char *origin, char **error);
void kb_pack_destroy(KbPack *pack);

/* The pack's entries, in file order. Borrowed from the pack. */
size_t kb_pack_entry_count(const KbPack *pack);
const KbEntry *kb_pack_entry(const KbPack *pack, size_t i);
/* The file it was loaded from (borrowed). */
const char *kb_pack_path(const KbPack *pack);

/* Unregisters and frees every pack. Tests only: no other thread may use the knowledge base. */
void kb_packs_reset(void);

#endif
