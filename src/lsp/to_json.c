#include "lsp/to_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knowledge/kb.h"
#include "rules/rule.h"

static json_t *to_json__position(uint32_t line, uint32_t character) {
  return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)character);
}

json_t *to_json_range(Document *doc, PosEncoding enc, size_t start, size_t end) {
  const LineIndex *lines = document_lines(doc);
  uint32_t sl, sc, el, ec;
  if (end < start) end = start;
  position_from_offset(lines, doc->text, doc->len, enc, start, &sl, &sc);
  position_from_offset(lines, doc->text, doc->len, enc, end, &el, &ec);
  return json_pack("{s:o,s:o}", "start", to_json__position(sl, sc), "end",
                   to_json__position(el, ec));
}

int to_json_severity(Severity severity) {
  switch (severity) {
    case SEV_ERROR: return 1;
    case SEV_WARNING: return 2;
    case SEV_INFO: return 3;
    default: return 4;
  }
}

json_t *to_json_diagnostic(Document *doc, PosEncoding enc, const Diag *diag) {
  const char *rule_id = rule_infos[diag->rule].id;
  const char *entry_id = rule_diag_entry(diag);
  const KbEntry *entry = entry_id ? kb_find(entry_id) : NULL;
  json_t *d = json_object();
  json_object_set_new(d, "range", to_json_range(doc, enc, diag->range.start_byte, diag->range.end_byte));
  json_object_set_new(d, "severity", json_integer(to_json_severity((Severity)diag->severity)));
  json_object_set_new(d, "code", json_string(rule_id));
  if (entry && entry->docs_url)
    json_object_set_new(d, "codeDescription", json_pack("{s:s}", "href", entry->docs_url));
  json_object_set_new(d, "source", json_string("nodehint"));
  json_object_set_new(d, "message", json_string(diag->message ? diag->message : ""));
  if (diag->tags & DIAG_TAG_DEPRECATED) json_object_set_new(d, "tags", json_pack("[i]", 2));
  if (diag->has_related) {
    json_t *loc = json_pack("{s:s,s:o}", "uri", doc->uri, "range",
                            to_json_range(doc, enc, diag->related.start_byte, diag->related.end_byte));
    json_object_set_new(d, "relatedInformation",
                        json_pack("[{s:o,s:s}]", "location", loc, "message",
                                  diag->related_message ? diag->related_message : ""));
  }
  json_t *data = json_pack("{s:s}", "rule", rule_id);
  if (entry_id) json_object_set_new(data, "entry", json_string(entry_id));
  json_object_set_new(d, "data", data);
  return d;
}

json_t *to_json_diagnostics(Document *doc, PosEncoding enc, char result_id[24]) {
  json_t *items = json_array();
  for (uint32_t i = 0; i < doc->diags.size; i++)
    json_array_append_new(items, to_json_diagnostic(doc, enc, &doc->diags.items[i]));
  /* The resultId is a hash of the content, so re-analysing an unchanged text (or an edit that
   * moves nothing) still answers "unchanged". */
  char *dump = json_dumps(items, JSON_COMPACT | JSON_SORT_KEYS);
  uint64_t h = 1469598103934665603ull;
  for (const char *p = dump; p && *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  free(dump);
  snprintf(result_id, 24, "%016llx", (unsigned long long)h);
  return items;
}
