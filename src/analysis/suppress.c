#include "analysis/suppress.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/node.h"
#include "rules/rule.h"

static bool suppress__starts(const char *s, size_t len, const char *word, size_t *after) {
  size_t n = strlen(word);
  if (len < n || memcmp(s, word, n) != 0) return false;
  if (len > n && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' && s[n] != '\n' && s[n] != '*')
    return false;
  *after = n;
  return true;
}

void suppress_note_comment(Analysis *an, TSNode comment) {
  size_t len;
  const char *t = node_text(an, comment, &len);
  if (len < 12 || t[0] != '/' || (t[1] != '/' && t[1] != '*')) return;
  bool block = t[1] == '*';
  size_t i = 2;
  if (block && len >= 4) len -= 2; /* drop the closing star-slash */
  while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '*')) i++;
  if (len - i < 9 || memcmp(t + i, "nodehint-", 9) != 0) return;
  i += 9;
  static const struct {
    const char *word;
    SuppressionKind kind;
  } words[] = {
      {"disable-next-line", SUPPRESS_NEXT_LINE},
      {"disable-line", SUPPRESS_LINE},
      {"disable", SUPPRESS_DISABLE},
      {"enable", SUPPRESS_ENABLE},
  };
  for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
    size_t after;
    if (!suppress__starts(t + i, len - i, words[w].word, &after)) continue;
    i += after;
    size_t end = i;
    /* The rule list runs to "--" (a reason follows) or to the end of the comment. */
    while (end < len && !(t[end] == '-' && end + 1 < len && t[end + 1] == '-')) end++;
    while (i < end && strchr(" \t\r\n,", t[i])) i++;
    while (end > i && strchr(" \t\r\n,*", t[end - 1])) end--;
    TSPoint start = ts_node_start_point(comment), stop = ts_node_end_point(comment);
    Suppression s;
    s.kind = (uint8_t)words[w].kind;
    s.row = words[w].kind == SUPPRESS_NEXT_LINE ? stop.row + 1 : start.row;
    s.byte = ts_node_start_byte(comment);
    s.rules_start = (uint32_t)(t + i - an->text);
    s.rules_len = (uint32_t)(end - i);
    array_push(&an->suppressions, s);
    return;
  }
}

/* Does the directive's rule list name `rule` (an empty list names every rule)? */
static bool suppress__names(const Analysis *an, const Suppression *s, uint16_t rule) {
  if (s->rules_len == 0) return true;
  const char *p = an->text + s->rules_start, *end = p + s->rules_len;
  const char *id = rule_infos[rule].id;
  size_t id_len = strlen(id);
  while (p < end) {
    while (p < end && strchr(" \t\r\n,", *p)) p++;
    const char *word = p;
    while (p < end && !strchr(" \t\r\n,", *p)) p++;
    if ((size_t)(p - word) == id_len && memcmp(word, id, id_len) == 0) return true;
  }
  return false;
}

static bool suppress__covers(const Analysis *an, const Diag *d) {
  bool disabled = false;
  for (uint32_t i = 0; i < an->suppressions.size; i++) {
    const Suppression *s = &an->suppressions.items[i];
    switch ((SuppressionKind)s->kind) {
      case SUPPRESS_NEXT_LINE:
      case SUPPRESS_LINE:
        if (s->row == d->range.start_row && suppress__names(an, s, d->rule)) return true;
        break;
      case SUPPRESS_DISABLE:
        if (s->byte <= d->range.start_byte && suppress__names(an, s, d->rule)) disabled = true;
        break;
      case SUPPRESS_ENABLE:
        if (s->byte <= d->range.start_byte && suppress__names(an, s, d->rule)) disabled = false;
        break;
    }
  }
  return disabled;
}

void suppress_apply(Analysis *an) {
  if (!an->suppressions.size) return;
  DiagList *list = an->out;
  uint32_t kept = an->out_start;
  for (uint32_t i = an->out_start; i < list->size; i++) {
    Diag *d = &list->items[i];
    if (suppress__covers(an, d)) {
      free(d->message);
      free(d->related_message);
    } else {
      list->items[kept++] = *d;
    }
  }
  list->size = kept;
}
