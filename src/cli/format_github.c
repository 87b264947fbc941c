/* --format github: GitHub Actions workflow commands, which the runner turns into annotations
 * on the pull request: `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
#include <string.h>

#include "cli/output.h"
#include "knowledge/kb.h"
#include "rules/rule.h"

/* Workflow command escaping: data escapes % CR LF; property values also escape : and ,. */
static void github__escape(FILE *out, const char *s, bool property) {
  for (; *s; s++) {
    switch (*s) {
      case '%': fputs("%25", out); break;
      case '\r': fputs("%0D", out); break;
      case '\n': fputs("%0A", out); break;
      case ':': property ? fputs("%3A", out) : fputc(':', out); break;
      case ',': property ? fputs("%2C", out) : fputc(',', out); break;
      default: fputc(*s, out);
    }
  }
}

bool format_github(const LintReport *report, FILE *out) {
  for (uint32_t i = 0; i < report->files.size; i++) {
    const FileResult *file = &report->files.items[i];
    for (uint32_t k = 0; k < file->findings.size; k++) {
      const Finding *f = &file->findings.items[k];
      const RuleInfo *rule = &rule_infos[f->rule];
      const char *command = f->severity == SEV_ERROR     ? "error"
                            : f->severity == SEV_WARNING ? "warning"
                                                         : "notice";
      fprintf(out, "::%s file=", command);
      github__escape(out, file->path, true);
      fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", f->pos.line, f->pos.column,
              f->pos.end_line, f->pos.end_column);
      char title[160];
      snprintf(title, sizeof title, "nodehint %s", rule->id);
      github__escape(out, title, true);
      fputs("::", out);
      github__escape(out, f->message, false);
      const KbEntry *entry = kb_find(f->entry);
      if (entry) {
        fputs("%0A%0AQ&A: ", out);
        github__escape(out, entry->question, false);
      }
      fputc('\n', out);
    }
    if (file->error) {
      fputs("::error file=", out);
      github__escape(out, file->path, true);
      fputs(",title=nodehint::", out);
      github__escape(out, file->error, false);
      fputc('\n', out);
    }
  }
  return !ferror(out);
}
