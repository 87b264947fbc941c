/* `nodehint explain QUERY` and `nodehint explain --list`: the knowledge base in the terminal.
 *
 * QUERY is tried, in this order, as: an entry id; a rule id (its entries); an anchor or API
 * name ("fs.readFileSync", "setImmediate", ".pipe", "event:error", "require('*.json')", with
 * the same most-specific-first fallback as hover); the last segment of anchors ("readFileSync");
 * words of a question (Chinese or English, ASCII case-insensitive); words of an answer. One
 * match prints the entry; several print a list of candidates. Knowledge packs named by the
 * nearest .nodehintrc.json (or --config FILE) are searched too. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "knowledge/kb.h"
#include "knowledge/render.h"
#include "rules/rule.h"

#define EXPLAIN_MAX_MATCHES 128

typedef struct Matches {
  const KbEntry *items[EXPLAIN_MAX_MATCHES];
  size_t count;
} Matches;

static void explain__usage(FILE *out) {
  fputs(
      "usage: nodehint explain [options] QUERY...\n"
      "       nodehint explain --list\n"
      "\n"
      "Prints a Q&A entry: the verbatim Chinese question and answer, the English translation,\n"
      "and notes where the document is outdated for current Node.js.\n"
      "\n"
      "QUERY is an entry id (async-vs-sync), a rule id (sync-call-in-handler), an API or\n"
      "anchor (fs.readFileSync, setImmediate, .pipe, event:error, \"process.on('message')\"),\n"
      "or words of a question, in Chinese or English (several words are joined by spaces).\n"
      "\n"
      "options:\n"
      "      --lang LANG       both (default), zh or en\n"
      "  -f, --format FORMAT   text (default) or markdown (the hover text of the language server)\n"
      "      --list            list every entry: id, question, the code that surfaces it\n"
      "      --config FILE     read knowledge packs from FILE, not the nearest .nodehintrc.json\n"
      "  -h, --help            show this help\n",
      out);
}

static void explain__add(Matches *m, const KbEntry *e) {
  if (!e) return;
  for (size_t i = 0; i < m->count; i++)
    if (m->items[i] == e) return;
  if (m->count < EXPLAIN_MAX_MATCHES) m->items[m->count++] = e;
}

/* ASCII case-insensitive substring search (UTF-8 bytes compare as they are). */
static bool explain__contains(const char *haystack, const char *needle) {
  if (!haystack) return false;
  size_t n = strlen(needle);
  for (const char *h = haystack; *h; h++) {
    size_t i = 0;
    while (i < n && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i])) i++;
    if (i == n) return true;
  }
  return false;
}

/* The most specific anchored prefix of an API name, as hover resolves it. */
static const KbEntry *explain__anchor(const char *q) {
  size_t len = strlen(q);
  while (len > 0) {
    const KbEntry *e = kb_anchor_lookup(q, len);
    if (e) return e;
    if (len >= 2 && q[len - 2] == '(' && q[len - 1] == ')') {
      len -= 2;
      continue;
    }
    while (len > 0 && q[len - 1] != '.') len--;
    if (len > 0) len--;
  }
  return NULL;
}

static void explain__find(const char *query, Matches *m) {
  const KbEntry *e = kb_find(query);
  if (e) {
    explain__add(m, e);
    return;
  }
  int rule = rule_find(query);
  if (rule >= 0) {
    explain__add(m, kb_find(rule_infos[rule].entry));
    explain__add(m, kb_find(rule_infos[rule].entry2));
    return;
  }
  /* An API name: "node:fs.readFileSync()" reads as "fs.readFileSync". */
  char api[256];
  snprintf(api, sizeof api, "%s", strncmp(query, "node:", 5) == 0 ? query + 5 : query);
  size_t n = strlen(api);
  if (n > 2 && strcmp(api + n - 2, "()") == 0 && api[0] != '.') api[n - 2] = '\0';
  if ((e = kb_anchor_lookup(api, strlen(api)))) {
    explain__add(m, e);
    return;
  }
  char key[300];
  snprintf(key, sizeof key, "event:%s", api);
  if ((e = kb_anchor_lookup(key, strlen(key)))) {
    explain__add(m, e);
    return;
  }
  snprintf(key, sizeof key, ".%s", api);
  if ((e = kb_anchor_lookup(key, strlen(key)))) {
    explain__add(m, e);
    return;
  }
  bool dotted = strchr(api, '.') != NULL;
  if (dotted && (e = explain__anchor(api))) {
    explain__add(m, e);
    return;
  }
  KbView view = kb_view();
  /* The last segment of an anchor: "readFileSync" finds "fs.readFileSync". */
  for (size_t i = 0; i < view.count; i++)
    for (uint32_t a = 0; a < view.entries[i]->anchor_count; a++) {
      const char *anchor = view.entries[i]->anchors[a];
      const char *dot = strrchr(anchor, '.');
      if (dot && dot != anchor && strcmp(dot + 1, api) == 0) explain__add(m, view.entries[i]);
    }
  if (m->count) return;
  for (size_t i = 0; i < view.count; i++)
    if (explain__contains(view.entries[i]->question, query) ||
        explain__contains(view.entries[i]->en_question, query))
      explain__add(m, view.entries[i]);
  if (m->count) return;
  for (size_t i = 0; i < view.count; i++)
    if (explain__contains(view.entries[i]->answer, query) ||
        explain__contains(view.entries[i]->en_answer, query))
      explain__add(m, view.entries[i]);
}

static void explain__list(FILE *out) {
  KbView view = kb_view();
  for (size_t i = 0; i < view.count; i++) {
    const KbEntry *e = view.entries[i];
    fprintf(out, "%s\n  %s\n", e->id, e->question);
    if (e->en_question) fprintf(out, "  %s\n", e->en_question);
    if (e->anchor_count) {
      fputs("  anchors:", out);
      for (uint32_t a = 0; a < e->anchor_count; a++)
        fprintf(out, "%s %s", a ? "," : "", e->anchors[a]);
      fputc('\n', out);
    } else if (e->no_anchor_reason) {
      fprintf(out, "  no anchor: %s\n", e->no_anchor_reason);
    } else {
      fputs("  no anchor\n", out);
    }
    if (e->rule_count) {
      fputs("  rules:", out);
      for (uint32_t r = 0; r < e->rule_count; r++)
        fprintf(out, "%s %s", r ? "," : "", e->rules[r]);
      fputc('\n', out);
    }
    if (e->source) fprintf(out, "  pack: %s\n", e->source);
  }
}

int cli_explain(int argc, char **argv) {
  KbLanguage lang = KB_LANG_BOTH;
  KbFormat format = KB_FORMAT_PLAINTEXT;
  bool list = false;
  const char *config_path = NULL;
  StrBuf query;
  strbuf_init(&query);
  int exit_code = EXIT_CLEAN;
  Config config;
  memset(&config, 0, sizeof config);
  ConfigCache *cache = NULL;

  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = NULL;
    char name[32] = "";
    if (arg[0] == '-' && arg[1] == '-' && strchr(arg, '=')) {
      snprintf(name, sizeof name, "%.*s", (int)(strchr(arg, '=') - arg), arg);
      value = strchr(arg, '=') + 1;
    } else if (arg[0] == '-' && arg[1]) {
      snprintf(name, sizeof name, "%s", arg);
    }
    bool takes = strcmp(name, "--lang") == 0 || strcmp(name, "--format") == 0 ||
                 strcmp(name, "-f") == 0 || strcmp(name, "--config") == 0;
    if (takes && !value) {
      if (i + 1 >= argc) {
        fprintf(stderr, "nodehint explain: %s needs a value\n", name);
        exit_code = EXIT_TROUBLE;
        goto done;
      }
      value = argv[++i];
    }
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
      explain__usage(stdout);
      goto done;
    } else if (strcmp(name, "--list") == 0) {
      list = true;
    } else if (strcmp(name, "--lang") == 0) {
      if (!kb_language_parse(value, &lang)) {
        fprintf(stderr, "nodehint explain: unknown language '%s' (expected both, zh or en)\n",
                value);
        exit_code = EXIT_TROUBLE;
        goto done;
      }
    } else if (strcmp(name, "--format") == 0 || strcmp(name, "-f") == 0) {
      if (strcmp(value, "text") == 0) format = KB_FORMAT_PLAINTEXT;
      else if (strcmp(value, "markdown") == 0) format = KB_FORMAT_MARKDOWN;
      else {
        fprintf(stderr, "nodehint explain: unknown format '%s' (expected text or markdown)\n",
                value);
        exit_code = EXIT_TROUBLE;
        goto done;
      }
    } else if (strcmp(name, "--config") == 0) {
      config_path = value;
    } else if (name[0] && strcmp(arg, "--") != 0) {
      fprintf(stderr, "nodehint explain: unknown option '%s'\n", arg);
      exit_code = EXIT_TROUBLE;
      goto done;
    } else if (strcmp(arg, "--") != 0) {
      if (query.len) strbuf_putc(&query, ' ');
      strbuf_puts(&query, arg);
    }
  }
  if (!list && !query.len) {
    explain__usage(stderr);
    exit_code = EXIT_TROUBLE;
    goto done;
  }

  /* Knowledge packs: loading the configuration registers them. */
  char *error = NULL;
  lint_config_defaults(&config.lint);
  if (config_path) {
    if (!config_load(config_path, &config, &error)) {
      fprintf(stderr, "nodehint: %s\n", error);
      free(error);
      exit_code = EXIT_TROUBLE;
      goto done;
    }
  } else {
    cache = config_cache_create(&config);
    if (!config_cache_lookup(cache, ".", &error)) {
      fprintf(stderr, "nodehint: %s\n", error);
      free(error);
      exit_code = EXIT_TROUBLE;
      goto done;
    }
  }

  if (list) {
    explain__list(stdout);
    goto done;
  }
  Matches m = {{NULL}, 0};
  explain__find(query.data, &m);
  if (!m.count) {
    fprintf(stderr, "nodehint explain: nothing matches '%s' (see `nodehint explain --list`)\n",
            query.data);
    exit_code = EXIT_TROUBLE;
    goto done;
  }
  int rule = rule_find(query.data);
  if (m.count == 1 || (rule >= 0 && !kb_find(query.data))) {
    StrBuf out;
    strbuf_init(&out);
    for (size_t i = 0; i < m.count; i++) {
      if (i) strbuf_puts(&out, format == KB_FORMAT_MARKDOWN ? "\n---\n\n" : "\n");
      if (format == KB_FORMAT_PLAINTEXT) strbuf_printf(&out, "[%s]\n", m.items[i]->id);
      kb_render_hover(&out, m.items[i], format, lang);
    }
    fwrite(out.data, 1, out.len, stdout);
    strbuf_fini(&out);
  } else {
    printf("%zu entries match '%s'; explain one by its id:\n", m.count, query.data);
    for (size_t i = 0; i < m.count; i++)
      printf("  %-28s %s%s%s\n", m.items[i]->id, m.items[i]->question,
             m.items[i]->en_question ? " / " : "",
             m.items[i]->en_question ? m.items[i]->en_question : "");
  }

done:
  config_cache_destroy(cache);
  config_fini(&config);
  strbuf_fini(&query);
  return exit_code;
}
