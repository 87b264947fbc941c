/* Incremental analysis (src/analysis/units.c) must always say what a full analysis says.
 *
 * For every .js file under the directories given (the rule fixtures, the demo project, the
 * benchmark corpus when it has been fetched), and for files built by concatenating fixtures
 * (plain, so that module-scope names of different files meet, and each wrapped in an IIFE, like
 * a bundle), it applies a seeded series of random edits — characters typed or deleted, lines
 * deleted or duplicated, identifiers renamed to other identifiers of the file, and snippets
 * pasted that declare, use, listen, export, suppress or register handlers — reparses
 * incrementally, and compares units_analyze() with analyze_tree() of the same tree after each
 * one: same findings, same ranges (bytes, rows, columns), same messages and related locations.
 *
 * It also checks that the incremental path is really taken (a test that compared two full
 * analyses could not fail), and prints how often and why it was not.
 *
 * usage: test_incremental [--edits N] [--seed S] [--verbose] [--no-compose] DIR_OR_FILE... */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/analyze.h"
#include "analysis/units.h"
#include "base/array.h"
#include "lsp/position.h"
#include "check.h"
#include "rules/settings.h"

typedef Array(char *) PathList;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return n ? (uint32_t)(rng_state % n) : 0;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  *len = fread(buf, 1, (size_t)n, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

static bool js_name(const char *name) {
  size_t n = strlen(name);
  return (n > 3 && strcmp(name + n - 3, ".js") == 0) ||
         (n > 4 && (strcmp(name + n - 4, ".cjs") == 0 || strcmp(name + n - 4, ".mjs") == 0));
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *path, PathList *out) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (S_ISREG(st.st_mode)) {
    if (js_name(path)) array_push(out, strdup(path));
    return;
  }
  if (!S_ISDIR(st.st_mode)) return;
  DIR *dir = opendir(path);
  if (!dir) return;
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0) continue;
    char *child;
    if (asprintf(&child, "%s/%s", path, e->d_name) < 0) continue;
    collect(child, out);
    free(child);
  }
  closedir(dir);
}

/* ------------------------------------------------------------------ the text being edited */

typedef struct Doc {
  char *text;
  size_t len, cap;
  TSTree *tree;
} Doc;

/* Does the text open or close more brackets, quotes or comments than it closes or opens? An
 * edit that does gets taken back next, like a typist fixing it: kept, such edits would decay
 * the file into one syntax error, which says little about real editing. */
static bool unbalanced(const char *text, size_t len) {
  int brackets = 0, quotes = 0;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    brackets += (c == '{' || c == '(' || c == '[') - (c == '}' || c == ')' || c == ']');
    quotes += c == '\'' || c == '"' || c == '`';
    if (c == '/' && i + 1 < len && (text[i + 1] == '*' || text[i + 1] == '/')) return true;
    if (c == '*' && i + 1 < len && text[i + 1] == '/') return true;
  }
  return brackets != 0 || quotes % 2 != 0;
}

/* The last replacement, so that it can be undone (typing, then deleting). */
static struct {
  size_t start, new_end;
  char *old;
  size_t old_len;
  bool must_undo; /* an unbalanced snippet: typed, then taken back */
} last_edit;

/* Replaces text[start..end) with `with`, editing the tree to match. */
static void doc_replace(Doc *d, size_t start, size_t end, const char *with, size_t with_len) {
  free(last_edit.old);
  last_edit.start = start;
  last_edit.new_end = start + with_len;
  last_edit.old = strndup(d->text + start, end - start);
  last_edit.old_len = end - start;
  last_edit.must_undo = unbalanced(d->text + start, end - start) || unbalanced(with, with_len);
  /* The same translation as the server's (lsp/position.h). */
  TSPoint at = position_ts_point(d->text, start);
  TSInputEdit edit = {(uint32_t)start, (uint32_t)end, (uint32_t)(start + with_len), at,
                      position_ts_point_advance(at, d->text + start, end - start),
                      position_ts_point_advance(at, with, with_len)};
  ts_tree_edit(d->tree, &edit);
  size_t new_len = d->len - (end - start) + with_len;
  if (new_len + 1 > d->cap) {
    d->cap = (new_len + 1) * 2;
    d->text = realloc(d->text, d->cap);
  }
  memmove(d->text + start + with_len, d->text + end, d->len - end + 1);
  memcpy(d->text + start, with, with_len);
  d->len = new_len;
}

static size_t line_start(const Doc *d, size_t at) {
  while (at > 0 && d->text[at - 1] != '\n') at--;
  return at;
}

static size_t line_end(const Doc *d, size_t at) {
  while (at < d->len && d->text[at] != '\n') at++;
  return at < d->len ? at + 1 : at;
}

/* An ASCII position (edits never split a UTF-8 sequence). */
static size_t ascii_pos(const Doc *d) {
  for (int tries = 0; tries < 16; tries++) {
    size_t at = rnd((uint32_t)d->len + 1);
    if (at == d->len || (unsigned char)d->text[at] < 0x80) return at;
  }
  return d->len;
}

static bool word_char(char c) {
  unsigned char u = (unsigned char)c;
  return u == '_' || u == '$' || (unsigned)((u | 32) - 'a') < 26u || (unsigned)(u - '0') < 10u;
}

static const char *const snippets[] = {
    "const fs = require('fs');\n",
    "var helper = require('./helper');\n",
    "var emitter = new (require('events'))();\n",
    "emitter.on('error', function (e) { console.log(e); });\n",
    "emitter.emit('error', new Error('x'));\n",
    "process.on('unhandledRejection', function (r) { console.error(r); });\n",
    "process.on('uncaughtException', function (e) { log(e); });\n",
    "module.exports = exports;\n",
    "exports = { a: 1 };\n",
    "module.exports = handler;\n",
    "function handler(req, res) { res.send(fs.readFileSync('x')); }\n",
    "function helper(cb) { fs.readFile('x', function (err, d) { cb(d); }); }\n",
    "app.get('/', handler);\n",
    "const app = require('express')();\n",
    "// nodehint-disable-next-line\n",
    "/* nodehint-disable */\n",
    "/* nodehint-enable */\n",
    "eval('1');\n",
    "import x from 'y';\n",
    "}\n",
    "{\n",
    "(function () {\n",
    "})();\n",
    "let stream = fs.createReadStream('a'); stream.pipe(process.stdout);\n",
    "stream.on('error', function () {});\n",
    "new Promise(async (resolve) => { resolve(await x); });\n",
    "fetch('/x').then(function (r) { return r.json(); });\n",
    "const util = require('util'); util.inherits(A, B);\n",
    "fs = null;\n",
    "var cfg = defaults;\n",
    "res.cookie('sid', id);\n",
    "var opts = { path: '/' }; opts.secure = true;\n",
    "require('child_process').exec('ls ' + req.query.dir);\n",
    "const run = (cmd) => require('child_process').execSync(cmd); run('npm test');\n",
    "new Buffer(10);\n",
    "fs.exists('x', function (ok) {});\n",
    "const domain = require('domain');\n",
    "try { setTimeout(function () { throw new Error('x'); }); } catch (e) {}\n",
    "a(function () { b(function () { c(function () { d(function () { e(); }); }); }); });\n",
    "'use strict';\n",
    "`${\n",
    "/*\n",
    "*/\n",
};

/* One random edit; writes a short description into `what`. Half of the time it undoes the
 * edit before, so the file stays close to real code instead of decaying into one syntax error. */
static void random_edit(Doc *d, char *what, size_t cap) {
  if (last_edit.old && (last_edit.must_undo || rnd(2) == 0)) {
    char *old = last_edit.old;
    size_t old_len = last_edit.old_len, start = last_edit.start, end = last_edit.new_end;
    last_edit.old = NULL;
    snprintf(what, cap, "undo at %zu", start);
    doc_replace(d, start, end, old, old_len);
    free(old);
    free(last_edit.old);
    last_edit.old = NULL;
    return;
  }
  uint32_t kind = rnd(100);
  if (kind < 30 || d->len == 0) { /* type a character */
    static const char chars[] = "x e.(){};'\"\n,=/ 1";
    char c = chars[rnd(sizeof chars - 1)];
    size_t at = ascii_pos(d);
    snprintf(what, cap, "insert %#x at %zu", c, at);
    doc_replace(d, at, at, &c, 1);
  } else if (kind < 50) { /* delete a few characters */
    size_t at = ascii_pos(d);
    size_t end = at;
    for (uint32_t n = 1 + rnd(3); n && end < d->len && (unsigned char)d->text[end] < 0x80; n--)
      end++;
    snprintf(what, cap, "delete %zu..%zu", at, end);
    doc_replace(d, at, end, "", 0);
  } else if (kind < 70) { /* paste a snippet at a line start */
    const char *s = snippets[rnd(sizeof snippets / sizeof snippets[0])];
    size_t at = line_start(d, ascii_pos(d));
    snprintf(what, cap, "paste at %zu: %.40s", at, s);
    doc_replace(d, at, at, s, strlen(s));
  } else if (kind < 80) { /* rename one occurrence of a word to another word of the file */
    size_t a = ascii_pos(d), b = ascii_pos(d);
    while (a < d->len && !word_char(d->text[a])) a++;
    while (a > 0 && word_char(d->text[a - 1])) a--;
    size_t a_end = a;
    while (a_end < d->len && word_char(d->text[a_end])) a_end++;
    while (b < d->len && !word_char(d->text[b])) b++;
    while (b > 0 && word_char(d->text[b - 1])) b--;
    size_t b_end = b;
    while (b_end < d->len && word_char(d->text[b_end])) b_end++;
    if (a_end == a || b_end == b || b_end - b > 64) {
      snprintf(what, cap, "nothing");
      return;
    }
    char word[65];
    memcpy(word, d->text + b, b_end - b);
    word[b_end - b] = '\0';
    snprintf(what, cap, "rename %zu..%zu to %s", a, a_end, word);
    doc_replace(d, a, a_end, word, b_end - b);
  } else if (kind < 90) { /* delete a line */
    size_t at = line_start(d, ascii_pos(d));
    size_t end = line_end(d, at);
    snprintf(what, cap, "delete line %zu..%zu", at, end);
    doc_replace(d, at, end, "", 0);
  } else { /* duplicate a line */
    size_t at = line_start(d, ascii_pos(d));
    size_t end = line_end(d, at);
    if (end - at > 4096) end = at;
    char *copy = strndup(d->text + at, end - at);
    snprintf(what, cap, "duplicate line %zu..%zu", at, end);
    doc_replace(d, end, end, copy, end - at);
    free(copy);
  }
}

/* ------------------------------------------------------------------ comparison */

static void print_diag(const char *label, const Diag *d) {
  fprintf(stderr, "    %s: rule %u at %u..%u (%u:%u-%u:%u) %s", label, d->rule, d->range.start_byte,
          d->range.end_byte, d->range.start_row, d->range.start_col, d->range.end_row,
          d->range.end_col, d->message);
  if (d->has_related)
    fprintf(stderr, " [related %u..%u %u:%u]", d->related.start_byte, d->related.end_byte,
            d->related.start_row, d->related.start_col);
  fputc('\n', stderr);
}

typedef struct Tally {
  uint32_t edits, partial, mismatches;
  uint64_t walked_bytes, total_bytes;
  Array(const char *) reasons;
  Array(uint32_t) reason_counts;
} Tally;

static void tally_reason(Tally *t, const char *reason) {
  for (uint32_t i = 0; i < t->reasons.size; i++)
    if (t->reasons.items[i] == reason) {
      t->reason_counts.items[i]++;
      return;
    }
  array_push(&t->reasons, reason);
  array_push(&t->reason_counts, 1);
}

static bool verbose;

/* Edits one text `edits` times, comparing after each. */
static void run_text(Analyzer *analyzer, const LintConfig *config, const char *label,
                     const char *text, size_t len, uint32_t edits, Tally *tally) {
  Doc d = {malloc(len + 1), len, len + 1, NULL};
  memcpy(d.text, text, len + 1);
  d.tree = analyzer_parse(analyzer, d.text, d.len, NULL);
  if (!d.tree) {
    free(d.text);
    return;
  }
  UnitCache *cache = unit_cache_create();
  DiagList inc = ARRAY_EMPTY, full = ARRAY_EMPTY;
  free(last_edit.old);
  last_edit.old = NULL;
  units_analyze(cache, d.tree, d.text, d.len, config, &inc, NULL);
  diag_list_clear(&inc);
  for (uint32_t e = 0; e < edits; e++) {
    char what[160];
    if (e % 50 == 49) {
      /* Back to the original now and then: random edits that stick (a word renamed to a
       * keyword, a fact pasted in) would otherwise decay the file for the rest of the run. */
      snprintf(what, sizeof what, "restore the original");
      doc_replace(&d, 0, d.len, text, len);
      free(last_edit.old);
      last_edit.old = NULL;
    } else {
      random_edit(&d, what, sizeof what);
    }
    if (d.len > (4u << 20)) break;
    TSTree *old = d.tree;
    TSTree *tree = analyzer_parse(analyzer, d.text, d.len, old);
    if (!tree) break;
    UnitStats stats;
    units_analyze(cache, tree, d.text, d.len, config, &inc, &stats);
    ts_tree_delete(old);
    d.tree = tree;
    analyze_tree(tree, d.text, d.len, config, &full);
    tally->edits++;
    if (!stats.full) {
      tally->partial++;
      tally->walked_bytes += stats.walked_bytes;
    } else {
      tally_reason(tally, stats.full_reason);
      tally->walked_bytes += d.len;
    }
    tally->total_bytes += d.len;
    bool same = inc.size == full.size;
    for (uint32_t i = 0; same && i < inc.size; i++) same = diag_equal(&inc.items[i], &full.items[i]);
    if (!same) {
      tally->mismatches++;
      CHECK_MSG(same, "%s: edit %u (%s): incremental (%s, %u of %u statements re-analysed) "
                "differs from full", label, e, what, stats.full ? "full" : "partial",
                stats.affected, stats.units);
      const char *dump = getenv("NODEHINT_DUMP");
      if (dump && tally->mismatches == 1) {
        FILE *f = fopen(dump, "wb");
        if (f) {
          fwrite(d.text, 1, d.len, f);
          fclose(f);
        }
      }
      if (tally->mismatches <= 5) {
        uint32_t i = 0;
        while (i < inc.size && i < full.size && diag_equal(&inc.items[i], &full.items[i])) i++;
        if (i < inc.size) print_diag("incremental", &inc.items[i]);
        if (i < full.size) print_diag("full       ", &full.items[i]);
        fprintf(stderr, "    (%u vs %u findings)\n", inc.size, full.size);
      }
    } else if (verbose) {
      fprintf(stderr, "%s: edit %u ok (%s): %s\n", label, e, what,
              stats.full ? stats.full_reason : "partial");
    }
    diag_list_clear(&inc);
    diag_list_clear(&full);
  }
  diag_list_fini(&inc);
  diag_list_fini(&full);
  unit_cache_destroy(cache);
  ts_tree_delete(d.tree);
  free(d.text);
}

/* ------------------------------------------------------------------ scenarios */

/* One edit with a known outcome: `before` analysed, then turned into `after`; the incremental
 * analysis must agree with a full one, take the path expected (full or partial, re-analysing
 * at most `affected` and walking at most `walked` statements; -1: any), and report a finding
 * whose message holds `finding` (when not NULL) or none holding `no_finding`. The bounds
 * count one statement more than the edit touches where tree-sitter rebuilds the statement
 * after the edited one (its first token was the lookahead that ended the edited one). */
typedef struct Scenario {
  const char *name, *before, *after;
  bool full;
  int affected, walked;
  const char *finding, *no_finding;
  bool in_wrapper; /* the statements go inside one IIFE, with the filler */
} Scenario;

static const Scenario scenarios[] = {
    {"independent IIFEs: only the edited one is walked, findings after it move",
     "(function () { x(); })();\n(function () { y(); })();\n"
     "(function () { a(function () { b(function () { c(function () { d(function () {}); }); }); }); })();\n",
     "(function () { x(1, 2, 3); })();\n(function () { y(); })();\n"
     "(function () { a(function () { b(function () { c(function () { d(function () {}); }); }); }); })();\n",
     false, 1, 1, "nested 4 levels", NULL, false},
    {"a function using an import: the import's statement is walked, not re-analysed",
     "const fs = require('fs');\nfunction one() { return fs.readFileSync('a'); }\n"
     "function two() { return 2; }\n",
     "const fs = require('fs');\nfunction one() { return fs.readFileSync('b'); }\n"
     "function two() { return 2; }\n",
     false, 2, 3, NULL, NULL, false},
    {"a listener removed in one statement: the emitter's finding appears in another",
     "const EventEmitter = require('events');\nconst bus = new EventEmitter();\n"
     "function start() { bus.emit('error', new Error('x')); }\n"
     "function listen() { bus.on('error', function (e) { console.log(e); }); }\n"
     "function other() { return 1; }\n",
     "const EventEmitter = require('events');\nconst bus = new EventEmitter();\n"
     "function start() { bus.emit('error', new Error('x')); }\n"
     "function listen() { bus.on('data', function (e) { console.log(e); }); }\n"
     "function other() { return 1; }\n",
     false, 4, 5, "'error'", NULL, false},
    {"a handler registered by name in another statement",
     "const express = require('express');\nconst fs = require('fs');\nconst app = express();\n"
     "function report(req, res) { res.send(fs.readFileSync('r.html')); }\n"
     "app.get('/report', report);\nfunction other() { return 1; }\n",
     "const express = require('express');\nconst fs = require('fs');\nconst app = express();\n"
     "function report(req, res) { res.send(fs.readFileSync('r.html')); }\n"
     "app.get('/report', other);\nfunction other() { return 1; }\n",
     false, -1, -1, NULL, "readFileSync", false},
    {"a new top-level declaration no other statement mentions stays incremental",
     "(function () { x(); })();\n(function () { y(); })();\n(function () { z(); })();\n",
     "(function () { x(); })();\nconst fresh = 1;\n(function () { z(); })();\n",
     false, 2, 2, NULL, NULL, false},
    {"a new declaration of a name another statement mentions is analysed whole",
     "(function () { x(); })();\n(function () { y(); })();\n(function () { use(fresh); })();\n",
     "(function () { x(); })();\nconst fresh = 1;\n(function () { use(fresh); })();\n",
     true, -1, -1, NULL, NULL, false},
    {"an edit to a statement holding a file-wide fact is analysed whole",
     "process.on('unhandledRejection', function (r) { log(r); });\nload().then(render);\n"
     "function other() { return 1; }\n",
     "process.on('unhandledRejection', function (r) { log(r, 1); });\nload().then(render);\n"
     "function other() { return 1; }\n",
     true, -1, -1, NULL, NULL, false},
    {"a suppression comment still applies to a kept finding",
     "// nodehint-disable-next-line callback-hell\n"
     "a(function () { b(function () { c(function () { d(function () {}); }); }); });\n"
     "function other() { return 1; }\n",
     "// nodehint-disable-next-line callback-hell\n"
     "a(function () { b(function () { c(function () { d(function () {}); }); }); });\n"
     "function other() { return 2; }\n",
     false, 1, 1, NULL, "nested", false},
    {"inside a wrapper: removing a Buffer feature test in one statement reports another",
     "  if (Buffer.alloc) return Buffer.alloc(n);\n  var b = new Buffer(n);\n",
     "  var b = new Buffer(n);\n",
     false, 3, 3, "Buffer", NULL, true},
    {"inside a wrapper: an edit to one statement leaves the others' findings",
     "  a(function () { b(function () { c(function () { d(function () {}); }); }); });\n"
     "  var b = new Buffer(n);\n",
     "  a(function () { b(function () { c(function () { d(function () {}); }); }); });\n"
     "  var b = new Buffer(n + 1);\n",
     false, 2, 2, "nested 4 levels", NULL, true},
};

static void edit_to(Doc *d, const char *after) {
  size_t la = d->len, lb = strlen(after), p = 0, s = 0;
  while (p < la && p < lb && d->text[p] == after[p]) p++;
  while (s < la - p && s < lb - p && d->text[la - 1 - s] == after[lb - 1 - s]) s++;
  doc_replace(d, p, la - s, after + p, lb - p - s);
}

/* Independent statements after each scenario, so that what it walks is a small part of the
 * file (a partial analysis that would walk more than half of it walks it all instead); or, for
 * a scenario in a wrapper, the scenario and the filler inside one IIFE. */
static char *with_filler(const char *text, bool in_wrapper) {
  static const char filler[] = "(function () { filler(); })();\n";
  static const char open[] = "(function (n) {\n", close[] = "})(1);\n";
  size_t n = strlen(text), f = sizeof filler - 1, o = in_wrapper ? sizeof open - 1 : 0,
         c = in_wrapper ? sizeof close - 1 : 0;
  char *out = malloc(o + n + 40 * f + c + 1), *p = out;
  memcpy(p, open, o);
  p += o;
  memcpy(p, text, n);
  p += n;
  for (int i = 0; i < 40; i++, p += f) memcpy(p, filler, f);
  memcpy(p, close, c);
  p[c] = '\0';
  return out;
}

static void run_scenarios(Analyzer *analyzer, const LintConfig *config) {
  for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
    const Scenario *sc = &scenarios[i];
    char *before = with_filler(sc->before, sc->in_wrapper);
    char *after = with_filler(sc->after, sc->in_wrapper);
    size_t len = strlen(before);
    Doc d = {before, len, len + 1, NULL};
    d.tree = analyzer_parse(analyzer, d.text, d.len, NULL);
    UnitCache *cache = unit_cache_create();
    DiagList inc = ARRAY_EMPTY, full = ARRAY_EMPTY;
    units_analyze(cache, d.tree, d.text, d.len, config, &inc, NULL);
    diag_list_clear(&inc);
    edit_to(&d, after);
    CHECK_MSG(strcmp(d.text, after) == 0, "%s: the edit did not produce `after`", sc->name);
    free(after);
    TSTree *tree = analyzer_parse(analyzer, d.text, d.len, d.tree);
    UnitStats st;
    units_analyze(cache, tree, d.text, d.len, config, &inc, &st);
    ts_tree_delete(d.tree);
    d.tree = tree;
    analyze_tree(tree, d.text, d.len, config, &full);
    bool same = inc.size == full.size;
    for (uint32_t k = 0; same && k < inc.size; k++) same = diag_equal(&inc.items[k], &full.items[k]);
    CHECK_MSG(same, "%s: incremental differs from full", sc->name);
    CHECK_MSG(st.full == sc->full, "%s: expected a %s analysis, got %s (%s)", sc->name,
              sc->full ? "full" : "partial", st.full ? "full" : "partial",
              st.full_reason ? st.full_reason : "-");
    if (!sc->full) {
      CHECK_MSG(sc->affected < 0 || st.affected <= (uint32_t)sc->affected,
                "%s: %u statements re-analysed (%u changed), expected at most %d", sc->name, st.affected,
                st.changed, sc->affected);
      CHECK_MSG(sc->walked < 0 || st.walked <= (uint32_t)sc->walked,
                "%s: %u statements walked, expected at most %d", sc->name, st.walked, sc->walked);
    }
    bool has = false, has_not = false;
    for (uint32_t k = 0; k < inc.size; k++) {
      if (sc->finding && strstr(inc.items[k].message, sc->finding)) has = true;
      if (sc->no_finding && strstr(inc.items[k].message, sc->no_finding)) has_not = true;
    }
    CHECK_MSG(!sc->finding || has, "%s: no finding mentions %s", sc->name, sc->finding);
    CHECK_MSG(!has_not, "%s: a finding mentions %s", sc->name, sc->no_finding);
    diag_list_fini(&inc);
    diag_list_fini(&full);
    unit_cache_destroy(cache);
    ts_tree_delete(d.tree);
    free(d.text);
  }
}

/* A file built from many: concatenated as they are, each wrapped in an IIFE, or (bundle) those
 * IIFEs all inside one more, so that the statements are a function's, not the file's. */
typedef enum ComposeMode { COMPOSE_PLAIN, COMPOSE_WRAPPED, COMPOSE_BUNDLE } ComposeMode;

static char *compose(const PathList *paths, uint32_t first, uint32_t count, ComposeMode mode,
                     size_t *len) {
  Array(char) out = ARRAY_EMPTY;
  bool wrap = mode != COMPOSE_PLAIN;
  if (mode == COMPOSE_BUNDLE) {
    static const char open[] = "/* bundle */\n;(function (root) {\n";
    array_grow_by(&out, sizeof open - 1);
    memcpy(out.items, open, sizeof open - 1);
  }
  for (uint32_t k = 0; k < count; k++) {
    size_t n;
    char *text = read_file(paths->items[(first + k) % paths->size], &n);
    if (!text) continue;
    if (strstr(text, "import ") || strstr(text, "export ")) {
      free(text);
      continue;
    }
    const char *head = wrap ? ";(function () {\n" : "";
    const char *tail = wrap ? "\n})();\n" : "\n";
    size_t h = strlen(head), t = strlen(tail);
    array_grow_by(&out, (uint32_t)(h + n + t));
    char *dst = out.items + out.size - (h + n + t);
    memcpy(dst, head, h);
    memcpy(dst + h, text, n);
    memcpy(dst + h + n, tail, t);
    free(text);
  }
  if (mode == COMPOSE_BUNDLE) {
    static const char close[] = "\n})(this);\n";
    array_grow_by(&out, sizeof close - 1);
    memcpy(out.items + out.size - (sizeof close - 1), close, sizeof close - 1);
  }
  array_push(&out, '\0');
  *len = out.size - 1;
  return out.items;
}

int main(int argc, char **argv) {
  uint32_t edits = 40;
  bool compose_files = true;
  PathList paths = ARRAY_EMPTY;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--edits") == 0 && i + 1 < argc) edits = (uint32_t)atoi(argv[++i]);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) rng_state = strtoull(argv[++i], NULL, 0) | 1;
    else if (strcmp(argv[i], "--verbose") == 0) verbose = true;
    else if (strcmp(argv[i], "--no-compose") == 0) compose_files = false;
    else collect(argv[i], &paths);
  }
  qsort(paths.items, paths.size, sizeof *paths.items, compare_paths);
  CHECK_MSG(paths.size > 0, "no JavaScript files given");
  Analyzer *analyzer = analyzer_create();
  CHECK(analyzer != NULL);
  if (!analyzer) return CHECK_DONE();
  LintConfig config;
  lint_config_defaults(&config);
  run_scenarios(analyzer, &config);

  Tally files = {0}, plain = {0}, wrapped = {0}, bundled = {0};
  for (uint32_t i = 0; i < paths.size; i++) {
    size_t len;
    char *text = read_file(paths.items[i], &len);
    if (!text || len > (2u << 20)) {
      free(text);
      continue;
    }
    run_text(analyzer, &config, paths.items[i], text, len, edits, &files);
    free(text);
  }
  /* Files of many statements, where the incremental path has something to skip. */
  for (uint32_t k = 0; k < 12 && paths.size && compose_files; k++) {
    size_t len;
    ComposeMode mode = (ComposeMode)(k % 3);
    static const char *const mode_names[] = {"plain", "IIFE-wrapped", "bundle"};
    Tally *tally = mode == COMPOSE_PLAIN ? &plain : mode == COMPOSE_WRAPPED ? &wrapped : &bundled;
    char *text = compose(&paths, k * 17, 24, mode, &len);
    char label[64];
    snprintf(label, sizeof label, "composed #%u (%s)", k, mode_names[mode]);
    run_text(analyzer, &config, label, text, len, edits * 5, tally);
    free(text);
  }

  Tally *tallies[] = {&files, &plain, &wrapped, &bundled};
  const char *names[] = {"single files", "files made of many (plain)",
                         "files made of many (each in an IIFE)",
                         "files made of many (all in one IIFE)"};
  for (int t = 0; t < 4; t++) {
    Tally *ty = tallies[t];
    printf("%s: %u edits, %u analysed incrementally (%.0f%%), %.1f%% of the bytes walked, %u "
           "mismatches\n",
           names[t], ty->edits, ty->partial, ty->edits ? 100.0 * ty->partial / ty->edits : 0.0,
           ty->total_bytes ? 100.0 * (double)ty->walked_bytes / (double)ty->total_bytes : 0.0,
           ty->mismatches);
    for (uint32_t i = 0; i < ty->reasons.size; i++)
      printf("  full analysis: %5u x %s\n", ty->reason_counts.items[i], ty->reasons.items[i]);
    array_delete(&ty->reasons);
    array_delete(&ty->reason_counts);
  }
  /* The comparison means something only if the incremental path ran, and often. In a file of
   * independent statements (the IIFE-wrapped one) most edits must be incremental; the fixtures
   * are dense with the file-wide facts that force a full analysis (they test the rules that
   * read them), so "most" is a fifth here; real code does better (tests/bench/lsp_bench.py). */
  CHECK_MSG(!compose_files || (wrapped.edits > 0 && wrapped.partial * 5 > wrapped.edits),
            "only %u of %u edits of IIFE-wrapped files were incremental", wrapped.partial,
            wrapped.edits);
  CHECK_MSG(files.partial > 0, "no edit of a single file was incremental");

  for (uint32_t i = 0; i < paths.size; i++) free(paths.items[i]);
  array_delete(&paths);
  analyzer_destroy(analyzer);
  return CHECK_DONE();
}
