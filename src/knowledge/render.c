/* The hover / explain renderer (see render.h). */
#include "knowledge/render.h"

#include <string.h>

bool kb_language_parse(const char *name, KbLanguage *out) {
  if (!name) return false;
  if (strcmp(name, "both") == 0) *out = KB_LANG_BOTH;
  else if (strcmp(name, "zh") == 0) *out = KB_LANG_ZH;
  else if (strcmp(name, "en") == 0) *out = KB_LANG_EN;
  else return false;
  return true;
}

void kb_render_md_escape(StrBuf *out, const char *text) {
  for (const char *p = text; *p; p++) {
    if (strchr("\\`*_[]<>#|~&!", *p)) strbuf_putc(out, '\\');
    strbuf_putc(out, *p);
  }
}

/* Code-fence tracking, CommonMark style: a line of up to three spaces, then ``` or ~~~ (three
 * or more) opens a fence; the same character, at least as many, and nothing else closes it. */
typedef struct Fence {
  char ch;
  size_t len;
} Fence;

static void render__fence_line(Fence *f, const char *line, size_t n) {
  size_t i = 0;
  while (i < n && i < 3 && line[i] == ' ') i++;
  if (i >= n || (line[i] != '`' && line[i] != '~')) return;
  char ch = line[i];
  size_t run = 0;
  while (i + run < n && line[i + run] == ch) run++;
  if (run < 3) return;
  if (!f->len) {
    /* An info string after ``` may not contain a backtick. */
    if (ch == '`' && memchr(line + i + run, '`', n - i - run)) return;
    f->ch = ch;
    f->len = run;
    return;
  }
  if (ch != f->ch || run < f->len) return;
  for (size_t k = i + run; k < n; k++)
    if (line[k] != ' ' && line[k] != '\t') return;
  f->len = 0;
}

static void render__close_fence(StrBuf *out, const Fence *f, const char *prefix) {
  if (!f->len) return;
  strbuf_puts(out, prefix);
  for (size_t i = 0; i < f->len; i++) strbuf_putc(out, f->ch);
  strbuf_putc(out, '\n');
}

/* Appends text line by line, each line after `prefix` (an empty line gets `blank_prefix`), and
 * closes a code fence the text leaves open. */
static void render__lines(StrBuf *out, const char *text, const char *prefix,
                          const char *blank_prefix) {
  Fence fence = {0, 0};
  const char *line = text;
  while (*line) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    strbuf_puts(out, n ? prefix : blank_prefix);
    strbuf_append(out, line, n);
    strbuf_putc(out, '\n');
    render__fence_line(&fence, line, n);
    line += n + (nl ? 1 : 0);
  }
  render__close_fence(out, &fence, prefix);
}

void kb_render_md_quote(StrBuf *out, const char *text) { render__lines(out, text, "> ", ">"); }

/* "nodejs.org/api/errors.html#error-first-callbacks" for a link label. */
static const char *render__url_label(const char *url) {
  return strncmp(url, "https://", 8) == 0 ? url + 8 : url;
}

/* The docs link's label: "Node.js docs", "Express docs", else the host name. */
static void render__docs_label(StrBuf *out, const char *url) {
  const char *host = render__url_label(url);
  size_t n = strcspn(host, "/?#");
  if (n == 10 && strncmp(host, "nodejs.org", n) == 0) strbuf_puts(out, "Node.js docs");
  else if (n == 13 && strncmp(host, "expressjs.com", n) == 0) strbuf_puts(out, "Express docs");
  else strbuf_append(out, host, n);
}

static void render__markdown(StrBuf *out, const KbEntry *e, KbLanguage lang) {
  bool english = lang != KB_LANG_ZH && e->en_question && e->en_answer;
  bool chinese = lang != KB_LANG_EN || !english;
  if (chinese) {
    strbuf_puts(out, "### ");
    kb_render_md_escape(out, e->question);
    strbuf_puts(out, "\n\n");
    kb_render_md_quote(out, e->answer);
  }
  if (english) {
    if (chinese) {
      strbuf_puts(out, "\n**");
      kb_render_md_escape(out, e->en_question);
      strbuf_puts(out, "**\n\n");
    } else {
      strbuf_puts(out, "### ");
      kb_render_md_escape(out, e->en_question);
      strbuf_puts(out, "\n\n");
    }
    render__lines(out, e->en_answer, "", "");
  }
  if (e->note_count) {
    strbuf_puts(out, "\n**Notes for current Node.js**\n\n");
    for (uint32_t i = 0; i < e->note_count; i++)
      strbuf_printf(out, "- %s ([%s](%s))\n", e->notes[i].text,
                    render__url_label(e->notes[i].url), e->notes[i].url);
  }
  bool footer = e->rule_count || e->docs_url || !chinese || e->source;
  if (footer) strbuf_putc(out, '\n');
  if (e->rule_count) {
    strbuf_puts(out, "Quoted by ");
    for (uint32_t i = 0; i < e->rule_count; i++)
      strbuf_printf(out, "%s`%s`", i ? ", " : "", e->rules[i]);
    strbuf_puts(out, e->docs_url ? " · " : "\n");
  }
  if (e->docs_url) {
    strbuf_puts(out, "[");
    render__docs_label(out, e->docs_url);
    strbuf_printf(out, "](%s)\n", e->docs_url);
  }
  if (!chinese) {
    strbuf_puts(out, "Q&A: ");
    kb_render_md_escape(out, e->question);
    strbuf_printf(out, " `[%s]`\n", e->id);
  }
  if (e->source) {
    strbuf_puts(out, "From the team knowledge pack `");
    strbuf_puts(out, e->source);
    strbuf_puts(out, "`\n");
  }
}

static void render__plain(StrBuf *out, const KbEntry *e, KbLanguage lang) {
  bool english = lang != KB_LANG_ZH && e->en_question && e->en_answer;
  bool chinese = lang != KB_LANG_EN || !english;
  if (chinese) {
    strbuf_printf(out, "%s\n\n", e->question);
    render__lines(out, e->answer, "  ", "");
  }
  if (english) {
    strbuf_printf(out, chinese ? "\n%s\n\n" : "%s\n\n", e->en_question);
    render__lines(out, e->en_answer, chinese ? "  " : "", "");
  }
  if (e->note_count) {
    strbuf_puts(out, "\nNotes for current Node.js:\n");
    for (uint32_t i = 0; i < e->note_count; i++)
      strbuf_printf(out, "  - %s\n    %s\n", e->notes[i].text, e->notes[i].url);
  }
  bool footer = e->rule_count || e->docs_url || !chinese || e->source;
  if (footer) strbuf_putc(out, '\n');
  if (e->rule_count) {
    strbuf_puts(out, "Quoted by: ");
    for (uint32_t i = 0; i < e->rule_count; i++)
      strbuf_printf(out, "%s%s", i ? ", " : "", e->rules[i]);
    strbuf_putc(out, '\n');
  }
  if (e->docs_url) strbuf_printf(out, "Docs: %s\n", e->docs_url);
  if (!chinese) strbuf_printf(out, "Q&A: %s [%s]\n", e->question, e->id);
  if (e->source) strbuf_printf(out, "From the team knowledge pack %s\n", e->source);
}

void kb_render_hover(StrBuf *out, const KbEntry *entry, KbFormat format, KbLanguage lang) {
  if (!entry) return;
  if (format == KB_FORMAT_MARKDOWN) render__markdown(out, entry, lang);
  else render__plain(out, entry, lang);
}
