/* Tests of the embedded knowledge base (src/knowledge/kb.c + the generated kb_data.c) against
 * the document it was generated from.
 *
 * Usage: test_knowledge PATH/TO/knowledge/nodejs-interview-qa.zh.md
 *
 * The document is walked independently of knowledge/embed.py: its entries are the `### ` lines
 * outside ``` fences, plus the last line of the document that is bold and nothing else. */
#include <stdlib.h>
#include <string.h>

#include "../../src/knowledge/kb.h"
#include "check.h"

#define EXPECTED_ENTRIES 60
#define MAX_LINES 100000

static char *doc;
static size_t doc_len;
static size_t line_start[MAX_LINES + 1]; /* offset of line n (1-based) in doc */
static size_t line_count;

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    char *bigger = realloc(buf, cap * 2 + 1);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (!buf) return NULL;
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* Length of line n (1-based), without its newline. */
static size_t line_len(size_t n) {
  size_t end = n < line_count ? line_start[n + 1] - 1 : doc_len;
  if (n == line_count && doc_len > 0 && doc[doc_len - 1] == '\n') end = doc_len - 1;
  return end - line_start[n];
}

static int line_is(size_t n, const char *prefix, const char *text, const char *suffix) {
  size_t lp = strlen(prefix), lt = strlen(text), ls = strlen(suffix);
  const char *l = doc + line_start[n];
  return line_len(n) == lp + lt + ls && memcmp(l, prefix, lp) == 0 &&
         memcmp(l + lp, text, lt) == 0 && memcmp(l + lp + lt, suffix, ls) == 0;
}

static int line_blank(size_t n) {
  const char *l = doc + line_start[n];
  for (size_t i = 0; i < line_len(n); i++)
    if (l[i] != ' ' && l[i] != '\t') return 0;
  return 1;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int valid_id(const char *id) {
  if (!id || !*id) return 0;
  for (const char *p = id; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return 0;
  return 1;
}

/* GitHub anchors: no ASCII upper case, space or ASCII punctuation other than '-' and '_'. */
static int valid_anchor(const char *a) {
  if (!a || !*a) return 0;
  for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
    if (*p >= 0x80) continue;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return 0;
  }
  return 1;
}

/* The entry headings of the document, by line number. */
static size_t heading_lines[EXPECTED_ENTRIES * 2];
static size_t heading_count;

static void walk_document(void) {
  int in_fence = 0;
  size_t last_bold = 0, last_h3 = 0;
  for (size_t n = 1; n <= line_count; n++) {
    const char *l = doc + line_start[n];
    size_t len = line_len(n);
    if (len >= 3 && memcmp(l, "```", 3) == 0) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (len > 4 && memcmp(l, "### ", 4) == 0) {
      if (heading_count < sizeof heading_lines / sizeof heading_lines[0])
        heading_lines[heading_count++] = n;
      last_h3 = n;
    } else if (len > 4 && memcmp(l, "**", 2) == 0 && memcmp(l + len - 2, "**", 2) == 0) {
      last_bold = n;
    }
  }
  CHECK_MSG(last_bold > last_h3, "the document should end with a bold entry heading");
  if (last_bold > last_h3 && heading_count < sizeof heading_lines / sizeof heading_lines[0])
    heading_lines[heading_count++] = last_bold;
}

static void check_entry(size_t i) {
  const KbEntry *e = &kb_entries[i];
  CHECK_MSG(valid_id(e->id), "entry %zu: bad id \"%s\"", i, e->id ? e->id : "(null)");
  for (size_t j = 0; j < i; j++)
    CHECK_MSG(strcmp(kb_entries[j].id, e->id) != 0, "duplicate id \"%s\"", e->id);
  CHECK_MSG(e->question && *e->question, "%s: empty question", e->id);
  CHECK_MSG(e->answer && *e->answer, "%s: empty answer", e->id);
  CHECK_MSG(valid_anchor(e->anchor), "%s: bad anchor \"%s\"", e->id, e->anchor);
  CHECK_MSG(e->docs_url && starts_with(e->docs_url, "https://"), "%s: docs_url", e->id);
  if (!e->question || !e->answer) return;

  /* Verbatim: both occur byte for byte in the document. */
  CHECK_MSG(strstr(doc, e->question) != NULL, "%s: question not in the document", e->id);
  CHECK_MSG(strstr(doc, e->answer) != NULL, "%s: answer not in the document", e->id);

  /* The question is the heading on line e->line, which is the i-th entry heading. */
  CHECK_MSG(e->line >= 1 && (size_t)e->line <= line_count, "%s: line %d", e->id, e->line);
  if (e->line < 1 || (size_t)e->line > line_count) return;
  size_t n = (size_t)e->line;
  CHECK_MSG(line_is(n, "### ", e->question, "") || line_is(n, "**", e->question, "**"),
            "%s: line %zu is not the heading \"%s\"", e->id, n, e->question);
  CHECK_MSG(i < heading_count && heading_lines[i] == n,
            "%s: entry %zu is at line %zu, the document's entry %zu is at line %zu", e->id, i, n,
            i, i < heading_count ? heading_lines[i] : 0);

  /* The answer is everything up to the next entry heading, blank lines around it trimmed. */
  size_t end = i + 1 < heading_count ? heading_lines[i + 1] : line_count + 1;
  size_t first = n + 1;
  while (first < end && line_blank(first)) first++;
  size_t last = end - 1;
  while (last >= first && line_blank(last)) last--;
  CHECK_MSG(first <= last, "%s: the document has no answer", e->id);
  if (first > last) return;
  size_t from = line_start[first], to = line_start[last] + line_len(last);
  CHECK_MSG(strlen(e->answer) == to - from && memcmp(e->answer, doc + from, to - from) == 0,
            "%s: answer is not lines %zu-%zu of the document", e->id, first, last);
}

struct required {
  const char *id;
  const char *heading_prefix;
};

/* The ids other code relies on, and the start of their headings. */
static const struct required required_ids[] = {
    {"error-first-callback", "什么是错误优先的回调函数"},
    {"avoid-callback-hell", "如何避免回调地狱"},
    {"async-flow-control", "有哪些方法可以进行异步流程的控制"},
    {"async-vs-sync", "node中的异步和同步怎么理解"},
    {"simple-http-server", "实现一个简单的http服务器"},
    {"what-is-promise", "什么是Promise"},
    {"catching-errors", "如何捕获NodeJS中的错误，有几种方法"},
    {"eventemitter-error-event", "怎么捕获EventEmitter的错误事件"},
    {"stream-error-event", "怎么捕获Stream的错误事件"},
    {"exports-vs-module-exports", "exports和module.exports的区别和关系"},
    {"buffer-usage", "node中的Buffer如何应用"},
};

/* Anchors computed by hand with GitHub's rules (full-width punctuation dropped). */
static const struct required anchors[] = {
    {"error-first-callback", "什么是错误优先的回调函数"},
    {"what-is-promise", "什么是promise"},
    {"code-style-tools", "用什么工具保证一致的代码风格为什么要这样"},
    {"implement-writable-stream", "实现一个writable-stream"},
    {"fs-watch-vs-watchfile", "fswatch和fswatchfile有什么区别怎么应用"},
    {"https-tls-support", "node是怎样支持https-tls的"},
    {"exec-execfile-spawn-fork", "exec-execfile-spawn和fork都是做什么用的"},
    {"exports-vs-module-exports", "exports和moduleexports的区别和关系"},
    {"nodejs-pros-cons", "nodejs优点特性缺点以及如何弥补"},
    {"event-loop-phases", "事件循环的机制是怎样的"},
};

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s knowledge/nodejs-interview-qa.zh.md\n", argv[0]);
    return 2;
  }
  doc = read_file(argv[1], &doc_len);
  if (!doc) {
    fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 2;
  }
  CHECK_MSG(strlen(doc) == doc_len, "the document contains a NUL byte");

  line_count = 0;
  line_start[++line_count] = 0;
  for (size_t i = 0; i < doc_len && line_count < MAX_LINES; i++)
    if (doc[i] == '\n' && i + 1 < doc_len) line_start[++line_count] = i + 1;

  walk_document();
  CHECK_MSG(heading_count == EXPECTED_ENTRIES, "the document has %zu entries", heading_count);
  CHECK_MSG(kb_entry_count == EXPECTED_ENTRIES, "kb_entry_count is %zu", kb_entry_count);
  CHECK(kb_entry_count == heading_count);

  for (size_t i = 0; i < kb_entry_count; i++) {
    check_entry(i);
    if (i > 0) CHECK(kb_entries[i].line > kb_entries[i - 1].line);
    CHECK(kb_find(kb_entries[i].id) == &kb_entries[i]);
  }

  CHECK(kb_find("no-such-entry") == NULL);
  CHECK(kb_find("") == NULL);
  CHECK(kb_find(NULL) == NULL);
  CHECK(kb_find("error-first-callback-") == NULL);
  CHECK(kb_find("Error-First-Callback") == NULL);

  for (size_t i = 0; i < sizeof required_ids / sizeof required_ids[0]; i++) {
    const KbEntry *e = kb_find(required_ids[i].id);
    CHECK_MSG(e != NULL, "required id \"%s\" is missing", required_ids[i].id);
    if (e)
      CHECK_MSG(starts_with(e->question, required_ids[i].heading_prefix),
                "%s: question \"%s\"", e->id, e->question);
  }
  for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
    const KbEntry *e = kb_find(anchors[i].id);
    CHECK_MSG(e != NULL, "id \"%s\" is missing", anchors[i].id);
    if (e) CHECK_STR_EQ(e->anchor, anchors[i].heading_prefix);
  }

  /* Spot checks of the boundaries: the last entry runs to the end of the document, and the
   * bold lines inside the entry before it are part of its answer. */
  const KbEntry *last = kb_find("event-loop-phases");
  CHECK(last && last == &kb_entries[kb_entry_count - 1]);
  if (last) CHECK(starts_with(last->answer, "1. timers: "));
  const KbEntry *pros = kb_find("nodejs-pros-cons");
  if (pros) {
    CHECK(starts_with(pros->answer, "**Node.js优点：**\n"));
    CHECK(strstr(pros->answer, "\n**Node.js缺点：**\n") != NULL);
    CHECK(strstr(pros->answer, "事件循环") == NULL);
  }
  const KbEntry *efc = kb_find("error-first-callback");
  if (efc) CHECK(strstr(efc->answer, "\n\t\n```\nfs.readFile(") != NULL); /* tab kept */

  free(doc);
  return CHECK_DONE();
}
