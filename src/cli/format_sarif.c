/* --format sarif: SARIF 2.1.0, as GitHub code scanning and other viewers read it. Every rule is
 * in tool.driver.rules with help text quoting its Q&A entry; results carry 1-based regions with
 * columns in UTF-16 code units (the SARIF default, declared in columnKind). Relative paths are
 * relative to %SRCROOT%, the folder nodehint ran in. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "cli/json_util.h"
#include "cli/output.h"
#include "knowledge/kb.h"
#include "knowledge/render.h"
#include "rules/rule.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* Percent-encodes a path for a URI reference (RFC 3986: unreserved and '/' pass through). */
static void sarif__uri_encode(StrBuf *sb, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p)) {
      strbuf_putc(sb, (char)*p);
    } else {
      strbuf_putc(sb, '%');
      strbuf_putc(sb, hex[*p >> 4]);
      strbuf_putc(sb, hex[*p & 15]);
    }
  }
}

static json_t *sarif__artifact(const char *path) {
  StrBuf sb;
  strbuf_init(&sb);
  json_t *loc;
  if (path[0] == '/') {
    strbuf_puts(&sb, "file://");
    sarif__uri_encode(&sb, path);
    loc = json_pack("{s:s}", "uri", sb.data);
  } else {
    while (path[0] == '.' && path[1] == '/') path += 2;
    sarif__uri_encode(&sb, path);
    loc = json_pack("{s:s, s:s}", "uri", sb.data, "uriBaseId", "%SRCROOT%");
  }
  strbuf_fini(&sb);
  return loc;
}

static json_t *sarif__location(const char *path, const Position *p) {
  return json_pack("{s:{s:o, s:{s:I, s:I, s:I, s:I}}}", "physicalLocation", "artifactLocation",
                   sarif__artifact(path), "region", "startLine", (json_int_t)p->line,
                   "startColumn", (json_int_t)p->column, "endLine", (json_int_t)p->end_line,
                   "endColumn", (json_int_t)p->end_column);
}

static const char *sarif__level(Severity s) {
  switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    default: return "note";
  }
}

/* The help of a rule: the Q&A entries it quotes, rendered as the language server's hover
 * renders them: the verbatim question and answer (a blockquote in Markdown), the English
 * translation, notes for current Node.js and the docs link. */
static json_t *sarif__help(const RuleInfo *rule) {
  StrBuf text, md;
  strbuf_init(&text);
  strbuf_init(&md);
  strbuf_printf(&text, "%s.\n", rule->summary);
  strbuf_printf(&md, "%s.\n", rule->summary);
  const char *entries[] = {rule->entry, rule->entry2};
  for (int i = 0; i < 2; i++) {
    const KbEntry *e = entries[i] ? kb_find(entries[i]) : NULL;
    if (!e) continue;
    strbuf_printf(&text, "\nQ&A [%s]: ", e->id);
    kb_render_hover(&text, e, KB_FORMAT_PLAINTEXT, KB_LANG_BOTH);
    strbuf_putc(&md, '\n');
    kb_render_hover(&md, e, KB_FORMAT_MARKDOWN, KB_LANG_BOTH);
  }
  json_t *help = json_pack("{s:s, s:s}", "text", text.data, "markdown", md.data);
  strbuf_fini(&text);
  strbuf_fini(&md);
  return help;
}

bool format_sarif(const LintReport *report, FILE *out) {
  json_t *rules = json_array();
  for (int r = 0; r < RULE_COUNT; r++) {
    const RuleInfo *rule = &rule_infos[r];
    const KbEntry *entry = kb_find(rule->entry);
    json_t *j = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:o, s:{s:s}}", "id", rule->id, "name",
                          rule->id, "shortDescription", "text", rule->summary, "fullDescription",
                          "text", rule->summary, "help", sarif__help(rule),
                          "defaultConfiguration", "level", sarif__level(rule->default_severity));
    if (entry && entry->docs_url) json_object_set_new(j, "helpUri", json_string(entry->docs_url));
    json_t *props = json_pack("{s:[s, s]}", "tags", "nodejs", "nodehint");
    if (entry) {
      json_object_set_new(props, "qaEntry", json_string(entry->id));
      json_object_set_new(props, "qaQuestion", json_string(entry->question));
      if (entry->en_question)
        json_object_set_new(props, "qaQuestionEn", json_string(entry->en_question));
    }
    json_object_set_new(j, "properties", props);
    json_array_append_new(rules, j);
  }

  json_t *results = json_array();
  json_t *notifications = json_array();
  for (uint32_t i = 0; i < report->files.size; i++) {
    const FileResult *file = &report->files.items[i];
    if (file->error || file->skipped) {
      char message[512];
      snprintf(message, sizeof message, "%s: %s", file->error ? "not linted" : "skipped",
               file->error ? file->error : file->skipped);
      json_array_append_new(
          notifications,
          json_pack("{s:{s:s}, s:s, s:[{s:{s:o}}]}", "message", "text", message, "level",
                    file->error ? "error" : "note", "locations", "physicalLocation",
                    "artifactLocation", sarif__artifact(file->path)));
      continue;
    }
    for (uint32_t k = 0; k < file->findings.size; k++) {
      const Finding *f = &file->findings.items[k];
      const RuleInfo *rule = &rule_infos[f->rule];
      json_t *res = json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o]}", "ruleId", rule->id, "ruleIndex",
                              (int)f->rule, "level", sarif__level((Severity)f->severity),
                              "message", "text", json_string_lossy(f->message), "locations",
                              sarif__location(file->path, &f->pos));
      if (f->has_related) {
        json_t *rel = sarif__location(file->path, &f->related);
        json_object_set_new(rel, "id", json_integer(1));
        json_object_set_new(rel, "message", json_pack("{s:o}", "text", json_string_lossy(f->related_message)));
        json_object_set_new(res, "relatedLocations", json_pack("[o]", rel));
      }
      const KbEntry *entry = kb_find(f->entry);
      if (entry)
        json_object_set_new(res, "properties", json_pack("{s:s, s:s}", "qaEntry", entry->id,
                                                         "qaQuestion", entry->question));
      json_array_append_new(results, res);
    }
  }

  char cwd[PATH_MAX];
  StrBuf root;
  strbuf_init(&root);
  strbuf_puts(&root, "file://");
  if (getcwd(cwd, sizeof cwd)) sarif__uri_encode(&root, cwd);
  else strbuf_putc(&root, '/');
  if (root.data[root.len - 1] != '/') strbuf_putc(&root, '/');

  json_t *run = json_pack(
      "{s:{s:{s:s, s:s, s:s, s:o}}, s:{s:{s:s}}, s:o, s:s, s:[{s:b, s:o}]}", "tool",
      "driver", "name", "nodehint", "version", NODEHINT_VERSION, "semanticVersion",
      NODEHINT_VERSION, "rules", rules, "originalUriBaseIds",
      "%SRCROOT%", "uri", root.data, "results", results, "columnKind", "utf16CodeUnits",
      "invocations", "executionSuccessful", 1, "toolExecutionNotifications", notifications);
  strbuf_fini(&root);
  json_t *log = json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0",
                          "runs", run);
  return json_write_and_free(log, out);
}
