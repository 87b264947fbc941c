/* --format json: a stable, documented schema (README.md, "JSON output"). Positions are 1-based
 * lines and UTF-16 columns (end exclusive) plus byte offsets. */
#include "cli/json_util.h"
#include "cli/output.h"
#include "knowledge/kb.h"
#include "rules/rule.h"

/* Adds the position keys to `object`; returns it. */
static json_t *json__position(json_t *object, const Position *p) {
  json_object_set_new(object, "line", json_integer(p->line));
  json_object_set_new(object, "column", json_integer(p->column));
  json_object_set_new(object, "endLine", json_integer(p->end_line));
  json_object_set_new(object, "endColumn", json_integer(p->end_column));
  json_object_set_new(object, "offset", json_integer(p->offset));
  json_object_set_new(object, "endOffset", json_integer(p->end_offset));
  return object;
}

bool format_json(const LintReport *report, FILE *out) {
  json_t *root = json_object();
  json_t *files = json_array(), *skipped = json_array(), *failures = json_array();
  json_object_set_new(root, "tool", json_pack("{s:s, s:s}", "name", "nodehint", "version", NODEHINT_VERSION));
  for (uint32_t i = 0; i < report->files.size; i++) {
    const FileResult *file = &report->files.items[i];
    if (file->error) {
      json_array_append_new(failures, json_pack("{s:o, s:s}", "path", json_string_lossy(file->path),
                                                "message", file->error));
      continue;
    }
    if (file->skipped) {
      json_array_append_new(skipped, json_pack("{s:o, s:s}", "path", json_string_lossy(file->path),
                                               "reason", file->skipped));
      continue;
    }
    if (!file->findings.size) continue;
    json_t *diags = json_array();
    for (uint32_t k = 0; k < file->findings.size; k++) {
      const Finding *f = &file->findings.items[k];
      const RuleInfo *rule = &rule_infos[f->rule];
      json_t *d = json_object();
      json_object_set_new(d, "rule", json_string(rule->id));
      json_object_set_new(d, "severity", json_string(severity_name((Severity)f->severity)));
      json_object_set_new(d, "message", json_string_lossy(f->message));
      json__position(d, &f->pos);
      if (f->tags & DIAG_TAG_DEPRECATED) json_object_set_new(d, "deprecated", json_true());
      const KbEntry *entry = kb_find(f->entry);
      if (entry) {
        json_t *j = json_pack("{s:s, s:s}", "id", entry->id, "question", entry->question);
        if (entry->en_question)
          json_object_set_new(j, "questionEn", json_string(entry->en_question));
        json_object_set_new(d, "entry", j);
      }
      json_t *related = json_array();
      if (f->has_related) {
        json_t *r = json_pack("{s:o}", "message", json_string_lossy(f->related_message));
        json__position(r, &f->related);
        json_array_append_new(related, r);
      }
      json_object_set_new(d, "related", related);
      json_array_append_new(diags, d);
    }
    json_array_append_new(files, json_pack("{s:o, s:o}", "path", json_string_lossy(file->path),
                                           "diagnostics", diags));
  }
  json_object_set_new(root, "files", files);
  json_object_set_new(root, "skipped", skipped);
  json_object_set_new(root, "fileErrors", failures);
  json_object_set_new(
      root, "summary",
      json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "files", (json_int_t)report->analysed,
                "bytes", (json_int_t)report->bytes, "skipped", (json_int_t)json_array_size(skipped),
                "fileErrors", (json_int_t)json_array_size(failures), "errors",
                (json_int_t)report->errors, "warnings", (json_int_t)report->warnings, "infos",
                (json_int_t)report->infos, "hints", (json_int_t)report->hints));
  return json_write_and_free(root, out);
}
