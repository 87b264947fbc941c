/* --format text: one line per finding, `path:line:col: severity: message [rule-id]`, which
 * vim's and emacs's default error formats read, then the Q&A question it quotes, indented. */
#include <string.h>

#include "cli/output.h"
#include "knowledge/kb.h"
#include "rules/rule.h"

bool format_text(const LintReport *report, FILE *out) {
  for (uint32_t i = 0; i < report->files.size; i++) {
    const FileResult *file = &report->files.items[i];
    for (uint32_t k = 0; k < file->findings.size; k++) {
      const Finding *f = &file->findings.items[k];
      const RuleInfo *rule = &rule_infos[f->rule];
      fprintf(out, "%s:%u:%u: %s: %s [%s]\n", file->path, f->pos.line, f->pos.column,
              severity_name((Severity)f->severity), f->message, rule->id);
      if (f->has_related)
        fprintf(out, "    %s:%u:%u: note: %s\n", file->path, f->related.line, f->related.column,
                f->related_message);
      const KbEntry *entry = kb_find(f->entry);
      if (entry) fprintf(out, "    Q&A: %s [%s]\n", entry->question, entry->id);
    }
  }
  return !ferror(out);
}
