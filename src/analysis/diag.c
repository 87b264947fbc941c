#include "analysis/diag.h"

#include <stdlib.h>
#include <string.h>

static const char *const diag__severity_names[] = {"off", "hint", "info", "warning", "error"};

const char *severity_name(Severity severity) {
  return (unsigned)severity <= SEV_ERROR ? diag__severity_names[severity] : "?";
}

bool severity_parse(const char *name, Severity *out) {
  for (int s = SEV_OFF; s <= SEV_ERROR; s++) {
    if (strcmp(name, diag__severity_names[s]) == 0) {
      *out = (Severity)s;
      return true;
    }
  }
  /* ESLint users type "warn"; accepting it costs nothing and spares a round trip. */
  if (strcmp(name, "warn") == 0) {
    *out = SEV_WARNING;
    return true;
  }
  return false;
}

void diag_list_clear(DiagList *list) {
  for (uint32_t i = 0; i < list->size; i++) {
    free(list->items[i].message);
    free(list->items[i].related_message);
  }
  array_clear(list);
}

void diag_list_fini(DiagList *list) {
  diag_list_clear(list);
  array_delete(list);
}

static bool diag__same_range(SourceRange a, SourceRange b) {
  return a.start_byte == b.start_byte && a.end_byte == b.end_byte && a.start_row == b.start_row &&
         a.start_col == b.start_col && a.end_row == b.end_row && a.end_col == b.end_col;
}

bool diag_equal(const Diag *a, const Diag *b) {
  if (a->rule != b->rule || a->severity != b->severity || a->tags != b->tags ||
      a->has_related != b->has_related || a->entry != b->entry ||
      !diag__same_range(a->range, b->range) || strcmp(a->message, b->message) != 0)
    return false;
  if (!a->has_related) return true;
  return diag__same_range(a->related, b->related) &&
         strcmp(a->related_message ? a->related_message : "",
                b->related_message ? b->related_message : "") == 0;
}

static int diag__compare(const void *a, const void *b) {
  const Diag *x = a, *y = b;
  if (x->range.start_byte != y->range.start_byte)
    return x->range.start_byte < y->range.start_byte ? -1 : 1;
  if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
  if (x->range.end_byte != y->range.end_byte)
    return x->range.end_byte < y->range.end_byte ? -1 : 1;
  return strcmp(x->message, y->message);
}

void diag_list_sort(DiagList *list) {
  if (list->size > 1) qsort(list->items, list->size, sizeof(Diag), diag__compare);
}
