/* Tests of the embedded knowledge base (src/knowledge/kb.c + the generated kb_data.c) against
 * the document it was generated from.
 *
 * Usage: test_knowledge PATH/TO/knowledge/nodejs-interview-qa.zh.md
 *
 * The document is walked independently of knowledge/embed.py: its entries are the `### ` lines
 * outside ``` fences, plus the last line of the document that is bold and nothing else. */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "knowledge/kb.h"
#include "knowledge/render.h"
#include "rules/rule.h"
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


/* Lines of `text` that open or close a code fence (``` or ~~~ after up to 3 spaces). */
static int fence_lines(const char *text) {
  int n = 0;
  for (const char *l = text; l && *l;) {
    const char *p = l;
    for (int i = 0; i < 3 && *p == ' '; i++) p++;
    if (starts_with(p, "```") || starts_with(p, "~~~")) n++;
    const char *nl = strchr(l, '\n');
    l = nl ? nl + 1 : NULL;
  }
  return n;
}

/* The entries no code can anchor; the user documentation lists them with these reasons. */
static const char *const no_anchor_ids[] = {
    "code-style-tools", "test-pyramid", "favorite-http-framework", "dependency-security",
    "session-without-cookies",
};

static void check_metadata(const KbEntry *e) {
  CHECK_MSG(e->en_question && *e->en_question && !strchr(e->en_question, '\n'),
            "%s: no English question", e->id);
  CHECK_MSG(e->en_answer && *e->en_answer, "%s: no English answer", e->id);
  if (e->en_answer)
    CHECK_MSG(fence_lines(e->en_answer) == fence_lines(e->answer),
              "%s: the translation has %d code fence lines, the document %d (code blocks are "
              "kept)", e->id, fence_lines(e->en_answer), fence_lines(e->answer));
  for (uint32_t i = 0; i < e->note_count; i++) {
    CHECK_MSG(e->notes[i].text && *e->notes[i].text, "%s: note %u has no text", e->id, i);
    CHECK_MSG(e->notes[i].url && starts_with(e->notes[i].url, "https://"), "%s: note %u url",
              e->id, i);
  }
  bool listed = false;
  for (size_t i = 0; i < sizeof no_anchor_ids / sizeof no_anchor_ids[0]; i++)
    listed |= strcmp(no_anchor_ids[i], e->id) == 0;
  if (listed)
    CHECK_MSG(e->anchor_count == 0 && e->no_anchor_reason && *e->no_anchor_reason,
              "%s: listed as having no anchor", e->id);
  else
    CHECK_MSG(e->anchor_count > 0 && !e->no_anchor_reason, "%s: has no anchors", e->id);
  for (uint32_t a = 0; a < e->anchor_count; a++) {
    const char *problem = NULL;
    CHECK_MSG(kb_anchor_valid(e->anchors[a], &problem), "%s: anchor '%s': %s", e->id,
              e->anchors[a], problem ? problem : "");
    CHECK_MSG(kb_anchor_lookup(e->anchors[a], strlen(e->anchors[a])) == e,
              "%s: anchor '%s' does not resolve to its entry", e->id, e->anchors[a]);
  }
  /* Every rule listed quotes the entry: in rules.def, or per finding (its source names it). */
  for (uint32_t r = 0; r < e->rule_count; r++)
    CHECK_MSG(rule_find(e->rules[r]) >= 0, "%s: unknown rule '%s'", e->id, e->rules[r]);
}

static void check_rules(void) {
  for (int r = 0; r < RULE_COUNT; r++) {
    const char *ids[] = {rule_infos[r].entry, rule_infos[r].entry2};
    CHECK_MSG(ids[0] != NULL, "rule %s has no entry", rule_infos[r].id);
    for (int k = 0; k < 2; k++) {
      if (!ids[k]) continue;
      const KbEntry *e = kb_find(ids[k]);
      CHECK_MSG(e != NULL, "rule %s quotes '%s', which does not exist", rule_infos[r].id, ids[k]);
      if (!e) continue;
      bool listed = false;
      for (uint32_t i = 0; i < e->rule_count; i++) listed |= strcmp(e->rules[i], rule_infos[r].id) == 0;
      CHECK_MSG(listed, "%s does not list rule %s, which quotes it", e->id, rule_infos[r].id);
    }
  }
}

static void check_render(const KbEntry *e) {
  StrBuf md, zh, en, plain;
  strbuf_init(&md);
  strbuf_init(&zh);
  strbuf_init(&en);
  strbuf_init(&plain);
  kb_render_hover(&md, e, KB_FORMAT_MARKDOWN, KB_LANG_BOTH);
  kb_render_hover(&zh, e, KB_FORMAT_MARKDOWN, KB_LANG_ZH);
  kb_render_hover(&en, e, KB_FORMAT_MARKDOWN, KB_LANG_EN);
  kb_render_hover(&plain, e, KB_FORMAT_PLAINTEXT, KB_LANG_BOTH);
  /* Markdown: the verbatim question as a heading, then every answer line quoted. */
  CHECK_MSG(starts_with(md.data, "### ") && starts_with(md.data + 4, e->question) &&
                starts_with(md.data + 4 + strlen(e->question), "\n\n> "),
            "%s: Markdown hover starts with %.60s", e->id, md.data);
  StrBuf quote;
  strbuf_init(&quote);
  kb_render_md_quote(&quote, e->answer);
  CHECK_MSG(strstr(md.data, quote.data) != NULL, "%s: the quoted answer is not in the hover", e->id);
  for (const char *l = quote.data; *l;) {
    CHECK_MSG(l[0] == '>' && (l[1] == ' ' || l[1] == '\n'), "%s: unquoted line", e->id);
    const char *nl = strchr(l, '\n');
    if (!nl) break;
    l = nl + 1;
  }
  CHECK_MSG(fence_lines(quote.data) % 2 == 0, "%s: unbalanced fences in the quote", e->id);
  strbuf_fini(&quote);
  if (e->en_question) {
    CHECK_MSG(strstr(md.data, e->en_question) != NULL, "%s: English missing", e->id);
    CHECK_MSG(strstr(zh.data, e->en_question) == NULL, "%s: English in the zh hover", e->id);
    CHECK_MSG(starts_with(en.data, "### ") && strstr(en.data, e->en_answer) != NULL,
              "%s: the en hover", e->id);
    CHECK_MSG(strstr(en.data, "\n> ") == NULL, "%s: Chinese quote in the en hover", e->id);
  }
  for (uint32_t i = 0; i < e->note_count; i++) {
    CHECK_MSG(strstr(md.data, e->notes[i].url) && strstr(zh.data, e->notes[i].url) &&
                  strstr(plain.data, e->notes[i].url),
              "%s: note %u missing from a hover", e->id, i);
  }
  for (uint32_t r = 0; r < e->rule_count; r++)
    CHECK_MSG(strstr(md.data, e->rules[r]) != NULL, "%s: rule %s not shown", e->id, e->rules[r]);
  if (e->docs_url) CHECK_MSG(strstr(md.data, e->docs_url) != NULL, "%s: no docs link", e->id);
  CHECK_MSG(starts_with(plain.data, e->question), "%s: plain text starts with the question", e->id);
  CHECK_MSG(strstr(plain.data, "> ") == NULL || strstr(e->answer, "> ") != NULL ||
                (e->en_answer && strstr(e->en_answer, "> ")),
            "%s: Markdown quoting in plain text", e->id);
  CHECK(md.len && md.data[md.len - 1] == '\n' && plain.data[plain.len - 1] == '\n');
  strbuf_fini(&md);
  strbuf_fini(&zh);
  strbuf_fini(&en);
  strbuf_fini(&plain);
}

static void check_render_edges(void) {
  KbLanguage lang = KB_LANG_ZH;
  CHECK(kb_language_parse("both", &lang) && lang == KB_LANG_BOTH);
  CHECK(kb_language_parse("en", &lang) && lang == KB_LANG_EN);
  CHECK(kb_language_parse("zh", &lang) && lang == KB_LANG_ZH);
  CHECK(!kb_language_parse("fr", &lang) && lang == KB_LANG_ZH);
  CHECK(!kb_language_parse(NULL, &lang));
  StrBuf sb;
  strbuf_init(&sb);
  kb_render_md_quote(&sb, "a\n\n```js\ncode\n> not a quote\n");
  CHECK_STR_EQ(sb.data, "> a\n>\n> ```js\n> code\n> > not a quote\n> ```\n");
  strbuf_clear(&sb);
  kb_render_md_quote(&sb, "~~~~\n```\n~~~~\nafter");
  CHECK_STR_EQ(sb.data, "> ~~~~\n> ```\n> ~~~~\n> after\n");
  strbuf_clear(&sb);
  kb_render_md_escape(&sb, "a*b_c[d]<e>#f`g\\h");
  CHECK_STR_EQ(sb.data, "a\\*b\\_c\\[d\\]\\<e\\>\\#f\\`g\\\\h");
  /* An entry without translation renders the Chinese quote even for "en". */
  KbEntry bare = {.id = "x", .question = "问题?", .answer = "答案"};
  strbuf_clear(&sb);
  kb_render_hover(&sb, &bare, KB_FORMAT_MARKDOWN, KB_LANG_EN);
  CHECK_STR_EQ(sb.data, "### 问题?\n\n> 答案\n");
  strbuf_clear(&sb);
  kb_render_hover(&sb, &bare, KB_FORMAT_PLAINTEXT, KB_LANG_BOTH);
  CHECK_STR_EQ(sb.data, "问题?\n\n  答案\n");
  strbuf_fini(&sb);

  /* Anchor syntax, mirrored from knowledge/embed.py. */
  static const char *const good[] = {"fs.readFileSync", "new Promise", ".pipe", "event:error",
                                     "process.on('uncaughtException')", "x.emit('a:b')",
                                     "require('*.json')", "#!", "express().get",
                                     "express.Router().use", "@scope/pkg.fn", "fs/promises.readFile",
                                     "socket.io.listen", "res.json", "$", "_._x"};
  static const char *const bad[] = {"", "fs..readFile", "fs.readFile(", "event:", "event:a b",
                                    ". pipe", ".", "new ", "x.on('a b')", "x.on('a')x",
                                    "require('x.json')", "#!/usr/bin/env node", "1abc", "a.1b",
                                    "a()()", "a.", "a b"};
  const char *problem;
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    CHECK_MSG(kb_anchor_valid(good[i], &problem), "anchor '%s' should be valid", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK_MSG(!kb_anchor_valid(bad[i], &problem), "anchor '%s' should be invalid", bad[i]);
}

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
    check_metadata(&kb_entries[i]);
    check_render(&kb_entries[i]);
  }
  check_rules();
  check_render_edges();
  KbView view = kb_view();
  CHECK(view.count == kb_entry_count && view.entries[0] == &kb_entries[0]);
  CHECK(kb_anchor_lookup("fs.readFileSync", 15) == kb_find("async-vs-sync"));
  CHECK(kb_anchor_lookup("fs.readFileSyncX", 15) == kb_find("async-vs-sync"));
  CHECK(kb_anchor_lookup("no.such.api", 11) == NULL);
  int anchored = 0;
  for (size_t i = 0; i < kb_entry_count; i++) anchored += kb_entries[i].anchor_count > 0;
  CHECK_MSG(anchored == EXPECTED_ENTRIES - (int)(sizeof no_anchor_ids / sizeof no_anchor_ids[0]),
            "%d entries have anchors", anchored);

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
