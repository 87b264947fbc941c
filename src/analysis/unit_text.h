/* The text side of incremental analysis (units.h): which module-scope names a top-level
 * statement mentions, and which file-wide facts it holds, read from its source text as words.
 * Reading words rather than the tree makes the answer a superset (a name in a string or a
 * comment counts too), which can only widen what units.c re-analyses, never narrow it. */
#ifndef NODEHINT_ANALYSIS_UNIT_TEXT_H
#define NODEHINT_ANALYSIS_UNIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/array.h"

#define NAME_NONE UINT32_MAX

/* The module-scope names of the file, interned: index <-> text. */
typedef struct NameTable {
  Array(char) pool;
  Array(uint32_t) offsets; /* name i is pool[offsets[i]..offsets[i+1]) */
  uint32_t *slots;         /* open addressing: name index + 1; 0 = empty */
  uint32_t capacity;
} NameTable;

uint32_t name_table_count(const NameTable *table);
/* The index of a name, or NAME_NONE. */
uint32_t name_table_find(const NameTable *table, const char *name, size_t len);
/* The index of a name, added if new (indices are never reused until name_table_clear). */
uint32_t name_table_add(NameTable *table, const char *name, size_t len);
void name_table_clear(NameTable *table);
void name_table_fini(NameTable *table);

/* How a statement mentions a module-scope name (bits). */
enum {
  ROLE_REF = 1,    /* the name appears in its text (as a word: code, string or comment) */
  ROLE_IMPORT = 2, /* declares it as a module import */
  ROLE_DECL = 4,   /* declares it otherwise */
  ROLE_ASSIGN = 8, /* assigns to it */
};

typedef struct UnitName {
  uint32_t name; /* NameTable index */
  uint8_t roles;
} UnitName;

typedef Array(UnitName) UnitNameList;

/* File-wide facts: what a rule reads anywhere in the file to decide or phrase findings
 * elsewhere, found by an audit of every rule (each line names the reader).
 *
 * FACT_CONTEXT: the statement is walked with every partial analysis, and an edit to it gets a
 *   full one. Words (whole): `eval` (callback-err-unhandled is silent in a file that uses
 *   it), `domain` inside quotes (`'domain'`, `"node:domain"`: emitter-error-unhandled is
 *   silent where the domain module is loaded), `unhandledRejection` (promise-catch-missing
 *   says where rejections go); substring: `captureRejection` (emitter-error-unhandled).
 * FACT_EXPORTS_BARE / FACT_EXPORTS_CANDIDATE: exports-reassign reports `exports = v` only in a
 *   file without `module.exports = exports`. A statement using `exports` bare (not `x.exports`
 *   nor `exports.x`) may hold that; one with `exports =` (not followed by `module.exports`) may
 *   be a finding. While any statement may be a finding, bare ones count as FACT_CONTEXT.
 * FACT_WHOLE: `uncaughtException` anywhere: uncaught-exception-continue follows method calls
 *   of the handler into methods defined anywhere in the file (by property name), and the
 *   emitter and stream rules are silent; such a file is always analysed whole.
 * FACT_ESM: an import or export statement (exports-reassign is silent in an ES module); an
 *   edit that makes or unmakes an ES module gets a full analysis. */
enum {
  FACT_CONTEXT = 1,
  FACT_WHOLE = 2,
  FACT_ESM = 4,
  FACT_EXPORTS_BARE = 8,
  FACT_EXPORTS_CANDIDATE = 16,
};

/* Globals that link the statements of a function body (a wrapper's) mentioning them as if they
 * were a shared name, NULL-terminated: `Buffer` (buffer-constructor takes an earlier
 * `if (…Buffer…) return` statement of the same function body as a feature test). */
extern const char *const unit_text_linking_words[];

/* Appends to `out` each name of `table` that text[start..end) mentions as a word, once
 * (ROLE_REF), and ORs into *facts the FACT_CONTEXT and FACT_EXPORTS_* bits its words show.
 * seen_stamp / seen_entry: arrays of name_table_count() entries that hold, for a name seen
 * under `stamp`, its entry's index in `out` (so roles can be added later); a stamp other than
 * any earlier one starts afresh. */
void unit_text_scan(const NameTable *table, const char *text, uint32_t start, uint32_t end,
                    UnitNameList *out, uint32_t *seen_stamp, uint32_t *seen_entry,
                    uint32_t stamp, uint8_t *facts);

/* The FACT_CONTEXT (captureRejection) and FACT_WHOLE (uncaughtException) bits of
 * text[start..end), found as substrings. */
uint8_t unit_text_substring_facts(const char *text, uint32_t start, uint32_t end);

#endif
