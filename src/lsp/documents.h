/* The open documents: uri → text (one flat buffer), version, tree, and the last analysis
 * (diagnostics, anchor hits, resultId). JSON-free: the server converts params to calls here.
 *
 * Edits are applied to the text and, with ts_tree_edit, to the tree at once; the reparse and
 * the analysis wait until document_analyze(), so a burst of changes costs one parse. */
#ifndef NODEHINT_LSP_DOCUMENTS_H
#define NODEHINT_LSP_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analysis/analyze.h"
#include "analysis/units.h"
#include "lsp/position.h"

typedef struct Document {
  char *uri;          /* owned */
  char *path;         /* owned: the file path of a file:// uri, or NULL */
  char *language_id;  /* owned */
  bool lintable;      /* JavaScript (by languageId or extension) */
  int64_t version;
  char *text;         /* owned; text[len] == '\0' */
  size_t len, cap;
  TSTree *tree;       /* owned; edited in step with text; NULL until parsed or when dropped
                       * by documents_trim_trees() (the next analysis parses from scratch) */
  uint64_t last_parsed; /* DocumentStore.clock when the tree was last (re)parsed */
  UnitCache *units;     /* owned: the last analysis by top-level statement, for the next edit
                         * (reset whenever the tree is dropped) */
  UnitStats unit_stats; /* how the last analysis went (logged with --verbose) */
  LineIndex lines;    /* valid when lines_valid */
  bool lines_valid;
  bool dirty;         /* text changed since the last analysis */
  /* The last analysis (byte ranges are relative to the text it ran on; `dirty` says stale). */
  DiagList diags;
  AnchorList anchors;
  /* Hover anchors are computed apart from the diagnostics, when the server is idle or on the
   * first hover after a change (document_ensure_anchors): an edit's diagnostics do not wait
   * for them (they are a quarter of the analysis). */
  bool anchors_valid;
  InputProblem problem;     /* why the text was not analysed, or INPUT_OK */
  InputProblem problem_shown; /* the problem already told to the user (show it once) */
  char problem_reason[160];
  bool ignored;             /* an ignore pattern covers the file */
  char result_id[24];       /* hash of the last published diagnostics ("" before any) */
} Document;

typedef struct DocumentStore {
  Array(Document *) docs; /* owned */
  uint64_t clock;         /* counts parses, for last_parsed */
} DocumentStore;

/* How many syntax trees the store keeps. A tree-sitter 0.20 tree is ~20x its text, so 200 open
 * files would cost ~120 MB; only the documents being edited need theirs (incremental reparse).
 * The others keep text, diagnostics and anchors — all hover needs — and are parsed from scratch
 * if they are edited again (a few ms for a 1,000-line file). */
#define DOCUMENTS_MAX_TREES 16

/* Drops the trees of all but the DOCUMENTS_MAX_TREES most recently parsed documents. */
void documents_trim_trees(DocumentStore *store);

/* Gives memory freed by closed documents back to the system. */
void documents_release_memory(void);

void documents_init(DocumentStore *store);
void documents_fini(DocumentStore *store);

/* Borrowed, valid until the document is closed; NULL if not open. */
Document *documents_find(DocumentStore *store, const char *uri);

/* Opens (or replaces) a document; text is copied. Returns it (borrowed). */
Document *documents_open(DocumentStore *store, const char *uri, const char *language_id,
                         int64_t version, const char *text, size_t len);
void documents_close(DocumentStore *store, const char *uri);

/* Line index of the current text (rebuilt when stale). Borrowed. */
const LineIndex *document_lines(Document *doc);

/* Replaces the whole text (a change without a range). */
void document_replace(Document *doc, const char *text, size_t len);

/* Replaces the LSP range [start, end) (clamped; swapped if reversed) with text[0..len) and
 * edits the tree to match. */
void document_edit(Document *doc, PosEncoding enc, int64_t start_line, int64_t start_char,
                   int64_t end_line, int64_t end_char, const char *text, size_t len);

/* Reparses (incrementally when there is a tree) and analyses the text with `config`; no-op for
 * a document that is not lintable. A text that fails analyze_check_input() (size, binary,
 * UTF-8, nesting) or is ignored gets no diagnostics and records the problem. */
void document_analyze(Document *doc, Analyzer *analyzer, const LintConfig *config,
                      size_t max_file_size, bool ignored, uint64_t *clock);

/* Makes doc->anchors match the current text (parsing it if the tree was dropped); no-op when
 * they already do or the document is not analysed (not lintable, ignored, bad input). */
void document_ensure_anchors(Document *doc, Analyzer *analyzer, uint64_t *clock);

/* The most recently parsed document whose anchors are out of date, or NULL. Borrowed. */
Document *documents_stale_anchors(DocumentStore *store);

/* The file path of a file:// uri, percent-decoded (caller frees), or NULL. */
char *documents_uri_to_path(const char *uri);

#endif
