/* Hover fixtures: each file in FIXTURES/ is analysed with analyze_tree_ex() and every marker
 * in it is checked against the anchors found.
 *
 *   /\*hover:ENTRY-ID*\/TOKEN   the token right after the marker hovers to ENTRY-ID: a hit starts
 *                             exactly there, and the rendered hover starts with the entry's
 *                             verbatim question as a heading
 *   /\*hover:-*\/TOKEN          the token right after the marker does not hover
 *   /\*hover@0:ENTRY-ID*\/       the same for byte 0 (the hashbang line), wherever it is written
 *
 * A fixture named team-*.js runs with the knowledge pack PACKS/team.json loaded (and
 * unloaded afterwards). Usage: run_hover FIXTURES PACKS. Prints "N passed, N failed". */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/analyze.h"
#include "base/strbuf.h"
#include "knowledge/kb.h"
#include "knowledge/pack.h"
#include "knowledge/render.h"
#include "rules/rule.h"
#include "../unit/check.h"

#define MIN_POSITIVES 60
#define MIN_ENTRIES 40

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    *len = (size_t)n;
  }
  return buf;
}

static int positives, negatives;
static const char *entries_seen[256];
static int entries_seen_count;

static void note_entry(const char *id) {
  for (int i = 0; i < entries_seen_count; i++)
    if (strcmp(entries_seen[i], id) == 0) return;
  if (entries_seen_count < 256) entries_seen[entries_seen_count++] = strdup(id);
}

static unsigned line_of(const char *text, size_t pos) {
  unsigned line = 1;
  for (size_t i = 0; i < pos; i++) line += text[i] == '\n';
  return line;
}

static void check_rendering(const KbEntry *e, const char *where) {
  StrBuf md, plain;
  strbuf_init(&md);
  strbuf_init(&plain);
  kb_render_hover(&md, e, KB_FORMAT_MARKDOWN, KB_LANG_BOTH);
  kb_render_hover(&plain, e, KB_FORMAT_PLAINTEXT, KB_LANG_BOTH);
  /* The heading is the question with Markdown punctuation escaped: for the document's
   * questions that is the question itself, byte for byte. */
  StrBuf heading;
  strbuf_init(&heading);
  strbuf_puts(&heading, "### ");
  kb_render_md_escape(&heading, e->question);
  strbuf_putc(&heading, '\n');
  if (!e->source)
    CHECK_MSG(strncmp(heading.data + 4, e->question, strlen(e->question)) == 0,
              "%s: a document question needs escaping", where);
  CHECK_MSG(strncmp(md.data, heading.data, heading.len) == 0,
            "%s: the Markdown hover does not start with the question heading: %.80s", where,
            md.data);
  CHECK_MSG(strncmp(plain.data, e->question, strlen(e->question)) == 0,
            "%s: the plain-text hover does not start with the question", where);
  strbuf_clear(&heading);
  if (e->en_question) kb_render_md_escape(&heading, e->en_question);
  if (e->en_question)
    CHECK_MSG(strstr(md.data, heading.data) != NULL, "%s: no English question", where);
  strbuf_fini(&heading);
  strbuf_fini(&md);
  strbuf_fini(&plain);
}

static void run_fixture(Analyzer *analyzer, const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len;
  char *text = read_file(path, &len);
  CHECK_MSG(text != NULL, "cannot read %s", path);
  if (!text) return;
  TSTree *tree = analyzer_parse(analyzer, text, len, NULL);
  LintConfig config;
  lint_config_defaults(&config);
  DiagList diags = ARRAY_EMPTY;
  AnchorList anchors = ARRAY_EMPTY;
  analyze_tree_ex(tree, text, len, &config, &diags, &anchors);
  for (uint32_t i = 1; i < anchors.size; i++)
    CHECK_MSG(anchors.items[i - 1].start_byte <= anchors.items[i].start_byte,
              "%s: anchors not sorted", name);

  for (const char *m = strstr(text, "/*hover"); m; m = strstr(m + 1, "/*hover")) {
    const char *close = strstr(m, "*/");
    if (!close) break;
    bool at_zero = m[7] == '@' && m[8] == '0' && m[9] == ':';
    const char *id = m + (at_zero ? 10 : 8);
    if (!at_zero && m[7] != ':') continue;
    char want[128];
    snprintf(want, sizeof want, "%.*s", (int)(close - id), id);
    size_t pos = at_zero ? 0 : (size_t)(close + 2 - text);
    char where[1200];
    snprintf(where, sizeof where, "%s:%u: %s", name, line_of(text, (size_t)(m - text)), want);
    const AnchorHit *hit = anchor_list_find(&anchors, (uint32_t)pos);
    if (strcmp(want, "-") == 0) {
      negatives++;
      CHECK_MSG(hit == NULL, "%s: hovers to %s but should not", where, hit ? hit->entry : "");
      continue;
    }
    positives++;
    note_entry(want);
    CHECK_MSG(hit != NULL, "%s: no hover here", where);
    if (!hit) continue;
    CHECK_MSG(strcmp(hit->entry, want) == 0, "%s: hovers to %s", where, hit->entry);
    CHECK_MSG(hit->start_byte == pos && hit->end_byte > hit->start_byte,
              "%s: the hover range %u-%u does not start at the token (%zu)", where,
              hit->start_byte, hit->end_byte, pos);
    const KbEntry *e = kb_find(want);
    CHECK_MSG(e != NULL, "%s: no such entry", where);
    if (e) check_rendering(e, where);
  }

  array_delete(&anchors);
  diag_list_fini(&diags);
  ts_tree_delete(tree);
  free(text);
}

/* Anchors on adversarial depth: analysed on a 256 KiB stack, nothing recurses on depth. */
typedef struct DeepJob {
  const char *name;
  char *text;
  uint32_t hits;
  bool done;
} DeepJob;

static void *deep_run(void *arg) {
  DeepJob *job = arg;
  Analyzer *analyzer = analyzer_create();
  if (!analyzer) return NULL;
  LintConfig config;
  lint_config_defaults(&config);
  for (int r = 0; r < RULE_COUNT; r++) config.rules[r].severity = SEV_OFF;
  size_t len = strlen(job->text);
  TSTree *tree = analyzer_parse(analyzer, job->text, len, NULL);
  DiagList diags = ARRAY_EMPTY;
  AnchorList anchors = ARRAY_EMPTY;
  analyze_tree_ex(tree, job->text, len, &config, &diags, &anchors);
  job->hits = anchors.size;
  array_delete(&anchors);
  diag_list_fini(&diags);
  ts_tree_delete(tree);
  analyzer_destroy(analyzer);
  job->done = true;
  return NULL;
}

static char *repeat3(const char *head, const char *middle, const char *tail, size_t n) {
  StrBuf sb;
  strbuf_init(&sb);
  for (size_t i = 0; i < n; i++) strbuf_puts(&sb, head);
  strbuf_puts(&sb, middle);
  for (size_t i = 0; i < n; i++) strbuf_puts(&sb, tail);
  return strbuf_take(&sb);
}

static void check_deep(void) {
  enum { DEPTH = 50000 };
  DeepJob jobs[] = {
      {"members", repeat3("", "process", ".env", DEPTH / 5), 0, false},
      {"calls", repeat3("setImmediate(", "", ")", DEPTH), 0, false},
      {"callbacks", repeat3("fs.readFile(function (err) {", "", "});", DEPTH / 4), 0, false},
      {"assignments", repeat3("a = ", "require('fs')", "", DEPTH), 0, false},
      {"listeners", repeat3("e.on('error', () => ", "0", ")", DEPTH / 2), 0, false},
  };
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t thread;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(pthread_create(&thread, &attr, deep_run, &jobs[i]) == 0);
    pthread_join(thread, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("deep %s: %.2fs\n", jobs[i].name,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    pthread_attr_destroy(&attr);
    CHECK_MSG(jobs[i].done && jobs[i].hits > 0, "deep %s: %s, %u hits", jobs[i].name,
              jobs[i].done ? "finished" : "did not finish", jobs[i].hits);
    free(jobs[i].text);
  }
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FIXTURES PACKS\n", argv[0]);
    return 2;
  }
  Analyzer *analyzer = analyzer_create();
  if (!analyzer) return 2;
  DIR *d = opendir(argv[1]);
  if (!d) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  char *names[256];
  int count = 0;
  for (struct dirent *de; (de = readdir(d)) && count < 256;)
    if (de->d_name[0] != '.') names[count++] = strdup(de->d_name);
  closedir(d);
  qsort(names, (size_t)count, sizeof names[0], cmp_names);
  for (int i = 0; i < count; i++) {
    bool team = strncmp(names[i], "team-", 5) == 0;
    if (team) {
      char pack[1024], *error = NULL;
      snprintf(pack, sizeof pack, "%s/team.json", argv[2]);
      CHECK_MSG(kb_pack_load(pack, &error) != NULL, "team pack: %s", error ? error : "");
      free(error);
    }
    run_fixture(analyzer, argv[1], names[i]);
    if (team) kb_packs_reset();
    free(names[i]);
  }
  analyzer_destroy(analyzer);
  check_deep();
  printf("hover: %d positive markers over %d entries, %d negative markers\n", positives,
         entries_seen_count, negatives);
  CHECK_MSG(positives >= MIN_POSITIVES, "only %d positive hover markers", positives);
  CHECK_MSG(entries_seen_count >= MIN_ENTRIES, "hover markers reach only %d entries",
            entries_seen_count);
  CHECK_MSG(negatives >= 10, "only %d negative markers", negatives);
  return CHECK_DONE();
}
