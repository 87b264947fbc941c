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
