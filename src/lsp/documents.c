#include "lsp/documents.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "rules/rule.h"

void documents_init(DocumentStore *store) {
  array_init(&store->docs);
  store->clock = 0;
}

static void documents__free(Document *doc) {
  free(doc->uri);
  free(doc->path);
  free(doc->language_id);
  free(doc->text);
  if (doc->tree) ts_tree_delete(doc->tree);
  unit_cache_destroy(doc->units);
  line_index_fini(&doc->lines);
  diag_list_fini(&doc->diags);
  array_delete(&doc->anchors);
  free(doc);
}

/* Drops the tree, and with it what the incremental analysis remembers of it (units.h: node
 * ids of a deleted tree must never be compared with a later one's). */
static void documents__drop_tree(Document *doc) {
  if (doc->tree) ts_tree_delete(doc->tree);
  doc->tree = NULL;
  unit_cache_reset(doc->units);
}

void documents_fini(DocumentStore *store) {
  for (uint32_t i = 0; i < store->docs.size; i++) documents__free(store->docs.items[i]);
  array_delete(&store->docs);
}

Document *documents_find(DocumentStore *store, const char *uri) {
  for (uint32_t i = 0; i < store->docs.size; i++)
    if (strcmp(store->docs.items[i]->uri, uri) == 0) return store->docs.items[i];
  return NULL;
}

static int documents__hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *documents_uri_to_path(const char *uri) {
  static const char scheme[] = "file://";
  if (strncmp(uri, scheme, sizeof scheme - 1) != 0) return NULL;
  const char *p = uri + sizeof scheme - 1;
  if (*p != '/') {
    /* file://host/path: only localhost is ours. */
    if (strncmp(p, "localhost/", 10) != 0) return NULL;
    p += 9;
  }
  size_t n = strlen(p);
  char *out = xmalloc(n + 1), *w = out;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (p[i] == '%' && i + 2 < n + 1 && (hi = documents__hex(p[i + 1])) >= 0 &&
        (lo = documents__hex(p[i + 2])) >= 0) {
      char c = (char)(hi * 16 + lo);
      if (c == '\0') {
        free(out);
        return NULL;
      }
      *w++ = c;
      i += 2;
    } else if (p[i] == '?' || p[i] == '#') {
      break;
    } else {
      *w++ = p[i];
    }
  }
  *w = '\0';
  return out;
}

static bool documents__ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool documents__lintable(const char *uri, const char *language_id) {
  static const char *const ids[] = {"javascript", "javascriptreact", "js", "jsx", NULL};
  for (const char *const *id = ids; *id; id++)
    if (strcmp(language_id, *id) == 0) return true;
  /* By extension (e.g. an editor that calls .mjs/.cjs something else). */
  const char *cut = uri + strcspn(uri, "?#");
  char *base = xstrndup(uri, (size_t)(cut - uri));
  bool js = documents__ends_with(base, ".js") || documents__ends_with(base, ".mjs") ||
            documents__ends_with(base, ".cjs") || documents__ends_with(base, ".jsx");
  free(base);
  return js;
}

static void documents__set_text(Document *doc, const char *text, size_t len) {
  if (len + 1 > doc->cap) {
    doc->cap = len + 1;
    doc->text = xrealloc(doc->text, doc->cap);
  }
  if (len) memcpy(doc->text, text, len);
  doc->len = len;
  doc->text[len] = '\0';
  doc->lines_valid = false;
  doc->dirty = true;
}

Document *documents_open(DocumentStore *store, const char *uri, const char *language_id,
                         int64_t version, const char *text, size_t len) {
  documents_close(store, uri);
  Document *doc = xcalloc(1, sizeof *doc);
  doc->uri = xstrdup(uri);
  doc->path = documents_uri_to_path(uri);
  doc->language_id = xstrdup(language_id);
  doc->lintable = documents__lintable(uri, language_id);
  doc->version = version;
  doc->units = unit_cache_create();
  line_index_init(&doc->lines);
  documents__set_text(doc, text, len);
  array_push(&store->docs, doc);
  return doc;
}

void documents_close(DocumentStore *store, const char *uri) {
  for (uint32_t i = 0; i < store->docs.size; i++) {
    if (strcmp(store->docs.items[i]->uri, uri) != 0) continue;
    documents__free(store->docs.items[i]);
    store->docs.items[i] = store->docs.items[--store->docs.size];
    return;
  }
}

const LineIndex *document_lines(Document *doc) {
  if (!doc->lines_valid) {
    line_index_build(&doc->lines, doc->text, doc->len);
    doc->lines_valid = true;
  }
  return &doc->lines;
}

void document_replace(Document *doc, const char *text, size_t len) {
  documents__set_text(doc, text, len);
  documents__drop_tree(doc);
}

void document_edit(Document *doc, PosEncoding enc, int64_t start_line, int64_t start_char,
                   int64_t end_line, int64_t end_char, const char *text, size_t len) {
  const LineIndex *lines = document_lines(doc);
  size_t start = position_to_offset(lines, doc->text, doc->len, enc, start_line, start_char);
  size_t end = position_to_offset(lines, doc->text, doc->len, enc, end_line, end_char);
  if (end < start) {
    size_t t = start;
    start = end;
    end = t;
  }
  if (doc->tree) {
    TSInputEdit edit;
    edit.start_byte = (uint32_t)start;
    edit.old_end_byte = (uint32_t)end;
    edit.new_end_byte = (uint32_t)(start + len);
    edit.start_point = position_ts_point(doc->text, start);
    edit.old_end_point = position_ts_point_advance(edit.start_point, doc->text + start, end - start);
    edit.new_end_point = position_ts_point_advance(edit.start_point, text, len);
    if (start + len > UINT32_MAX || doc->len - (end - start) + len > UINT32_MAX) {
      documents__drop_tree(doc);
    } else {
      ts_tree_edit(doc->tree, &edit);
    }
  }
  size_t new_len = doc->len - (end - start) + len;
  if (new_len + 1 > doc->cap) {
    size_t cap = doc->cap * 2;
    if (cap < new_len + 1) cap = new_len + 1;
    doc->text = xrealloc(doc->text, cap);
    doc->cap = cap;
  }
  memmove(doc->text + start + len, doc->text + end, doc->len - end);
  if (len) memcpy(doc->text + start, text, len);
  doc->len = new_len;
  doc->text[new_len] = '\0';
  doc->lines_valid = false;
  doc->dirty = true;
}

void document_analyze(Document *doc, Analyzer *analyzer, const LintConfig *config,
                      size_t max_file_size, bool ignored, uint64_t *clock) {
  doc->dirty = false;
  diag_list_clear(&doc->diags);
  array_clear(&doc->anchors);
  doc->anchors_valid = false;
  doc->problem = INPUT_OK;
  doc->problem_reason[0] = '\0';
  doc->ignored = ignored;
  if (!doc->lintable || ignored) return;
  doc->problem = analyze_check_input(doc->text, doc->len, max_file_size, doc->problem_reason,
                                     sizeof doc->problem_reason);
  if (doc->problem != INPUT_OK) {
    /* The tree may no longer match what we will parse next time: start over then. */
    documents__drop_tree(doc);
    return;
  }
  TSTree *old = doc->tree;
  TSTree *tree = analyzer_parse(analyzer, doc->text, doc->len, old);
  doc->last_parsed = ++*clock;
  if (!tree) {
    documents__drop_tree(doc);
    return;
  }
  /* The old tree must outlive the analysis: its node ids are what tells unchanged top-level
   * statements (src/analysis/units.h). */
  units_analyze(doc->units, tree, doc->text, doc->len, config, &doc->diags, &doc->unit_stats);
  if (old) ts_tree_delete(old);
  doc->tree = tree;
}

void document_ensure_anchors(Document *doc, Analyzer *analyzer, uint64_t *clock) {
  if (doc->anchors_valid) return;
  doc->anchors_valid = true;
  array_clear(&doc->anchors);
  if (!doc->lintable || doc->ignored || doc->problem != INPUT_OK || doc->dirty) return;
  if (!doc->tree) {
    doc->tree = analyzer_parse(analyzer, doc->text, doc->len, NULL);
    doc->last_parsed = ++*clock;
    if (!doc->tree) return;
  }
  /* Every rule off: the walk only collects anchors. */
  static LintConfig anchors_only;
  static bool anchors_only_ready;
  if (!anchors_only_ready) {
    lint_config_defaults(&anchors_only);
    for (int r = 0; r < RULE_COUNT; r++) anchors_only.rules[r].severity = SEV_OFF;
    anchors_only_ready = true;
  }
  DiagList none = ARRAY_EMPTY;
  analyze_tree_ex(doc->tree, doc->text, doc->len, &anchors_only, &none, &doc->anchors);
  diag_list_fini(&none);
}

Document *documents_stale_anchors(DocumentStore *store) {
  Document *newest = NULL;
  for (uint32_t i = 0; i < store->docs.size; i++) {
    Document *d = store->docs.items[i];
    if (d->anchors_valid || d->dirty || !d->lintable || d->problem != INPUT_OK || d->ignored)
      continue;
    if (!newest || d->last_parsed > newest->last_parsed) newest = d;
  }
  return newest;
}

void documents_trim_trees(DocumentStore *store) {
  uint32_t with_tree = 0;
  for (uint32_t i = 0; i < store->docs.size; i++) with_tree += store->docs.items[i]->tree != NULL;
  /* Rarely more than one over the cap (one parse per analysis), so a scan per drop is fine. */
  while (with_tree > DOCUMENTS_MAX_TREES) {
    Document *oldest = NULL;
    for (uint32_t i = 0; i < store->docs.size; i++) {
      Document *d = store->docs.items[i];
      if (d->tree && (!oldest || d->last_parsed < oldest->last_parsed)) oldest = d;
    }
    documents__drop_tree(oldest);
    with_tree--;
  }
}

void documents_release_memory(void) {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}
