#include "cli/output.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf.h"
#include "base/xalloc.h"
#include "rules/rule.h"

/* Counts UTF-16 columns, remembering the last count: findings come sorted, so successive
 * columns on one (possibly very long, minified) line are counted from the previous one instead
 * of from the start of the line each time. */
typedef struct ColumnCounter {
  const char *text;
  size_t line_begin, at; /* `units` UTF-16 units lie between line_begin and at */
  size_t units;
} ColumnCounter;

static uint32_t output__column(ColumnCounter *cc, size_t line_begin, size_t offset) {
  if (line_begin != cc->line_begin || offset < cc->at) {
    cc->line_begin = cc->at = line_begin;
    cc->units = 0;
  }
  cc->units += utf16_length(cc->text + cc->at, offset - cc->at);
  cc->at = offset;
  return (uint32_t)cc->units + 1;
}

/* A range's 1-based line and UTF-16 columns: tree-sitter rows and byte columns locate each
 * end, and the column is counted in UTF-16 from the start of its line. */
static Position output__position(ColumnCounter *cc, size_t len, const SourceRange *r) {
  Position p;
  size_t start = r->start_byte <= len ? r->start_byte : len;
  size_t end = r->end_byte <= len ? r->end_byte : len;
  size_t start_line_begin = start >= r->start_col ? start - r->start_col : 0;
  size_t end_line_begin = end >= r->end_col ? end - r->end_col : 0;
  p.line = r->start_row + 1;
  p.column = output__column(cc, start_line_begin, start);
  p.end_line = r->end_row + 1;
  p.end_column = output__column(cc, end_line_begin, end);
  p.offset = (uint32_t)start;
  p.end_offset = (uint32_t)end;
  return p;
}

void output_add_findings(FileResult *file, const char *text, size_t len, const DiagList *diags) {
  ColumnCounter cc = {text, 0, 0, 0};
  for (uint32_t i = 0; i < diags->size; i++) {
    const Diag *d = &diags->items[i];
    Finding f;
    memset(&f, 0, sizeof f);
    f.rule = d->rule;
    f.severity = d->severity;
    f.tags = d->tags;
    f.entry = rule_diag_entry(d);
    f.pos = output__position(&cc, len, &d->range);
    f.message = xstrdup(d->message);
    if (d->has_related) {
      f.has_related = true;
      /* Elsewhere in the file: its own count, so the main cursor keeps its place. */
      ColumnCounter other = {text, 0, 0, 0};
      f.related = output__position(&other, len, &d->related);
      f.related_message = xstrdup(d->related_message ? d->related_message : "");
    }
    array_push(&file->findings, f);
  }
}

void file_result_fini(FileResult *file) {
  for (uint32_t i = 0; i < file->findings.size; i++) {
    free(file->findings.items[i].message);
    free(file->findings.items[i].related_message);
  }
  array_delete(&file->findings);
  free(file->path);
  free(file->skipped);
  free(file->error);
  memset(file, 0, sizeof *file);
}

void lint_report_fini(LintReport *report) {
  for (uint32_t i = 0; i < report->files.size; i++) file_result_fini(&report->files.items[i]);
  array_delete(&report->files);
}

void lint_report_count(LintReport *report) {
  report->errors = report->warnings = report->infos = report->hints = 0;
  report->bytes = report->analysed = 0;
  for (uint32_t i = 0; i < report->files.size; i++) {
    const FileResult *f = &report->files.items[i];
    if (!f->skipped && !f->error) {
      report->analysed++;
      report->bytes += f->bytes;
    }
    for (uint32_t k = 0; k < f->findings.size; k++) {
      switch ((Severity)f->findings.items[k].severity) {
        case SEV_ERROR: report->errors++; break;
        case SEV_WARNING: report->warnings++; break;
        case SEV_INFO: report->infos++; break;
        case SEV_HINT: report->hints++; break;
        case SEV_OFF: break;
      }
    }
  }
}
