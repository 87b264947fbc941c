/* memmem */
#define _GNU_SOURCE
#include "analysis/suppress.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/syms.h"
#include "rules/rule.h"

typedef struct Suppression {
  uint8_t kind; /* SuppressionKind */
  uint32_t row; /* the row it applies to (line kinds) or starts at (block kinds) */
  uint32_t byte;
  uint32_t rules_start, rules_len; /* rule list text, a byte range; len 0 = all rules */
} Suppression;

typedef Array(Suppression) SuppressionList;

static bool suppress__starts(const char *s, size_t len, const char *word, size_t *after) {
  size_t n = strlen(word);
  if (len < n || memcmp(s, word, n) != 0) return false;
  if (len > n && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' && s[n] != '\n' && s[n] != '*')
    return false;
  *after = n;
  return true;
}

/* Reads the directive a comment holds, if any. */
static void suppress__note_comment(const char *text, TSNode comment, SuppressionList *out) {
  uint32_t start_byte = ts_node_start_byte(comment);
  const char *t = text + start_byte;
  size_t len = ts_node_end_byte(comment) - start_byte;
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
    s.byte = start_byte;
    s.rules_start = (uint32_t)(t + i - text);
    s.rules_len = (uint32_t)(end - i);
    array_push(out, s);
    return;
  }
}

/* Every directive in the file, in document order: each "nodehint-" in the text that the tree
 * places inside a comment (a comment is a leaf, so the smallest node around the hit is it). */
static void suppress__collect(const TSTree *tree, const char *text, uint32_t len,
                              SuppressionList *out) {
  static const char marker[] = "nodehint-";
  const size_t marker_len = sizeof marker - 1;
  TSNode root = ts_tree_root_node(tree);
  uint32_t last_comment_end = 0;
  for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), marker, marker_len));) {
    uint32_t at = (uint32_t)(p - text);
    p += marker_len;
    if (at < last_comment_end) continue; /* a second marker in a comment already read */
    TSNode node = ts_node_descendant_for_byte_range(root, at, at + (uint32_t)marker_len);
    if (ts_node_is_null(node) || syms_kind(syms_get(), node) != NK_COMMENT) continue;
    last_comment_end = ts_node_end_byte(node);
    suppress__note_comment(text, node, out);
  }
}

/* Does the directive's rule list name `rule` (an empty list names every rule)? */
static bool suppress__names(const char *text, const Suppression *s, uint16_t rule) {
  if (s->rules_len == 0) return true;
  const char *p = text + s->rules_start, *end = p + s->rules_len;
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

static bool suppress__covers(const char *text, const SuppressionList *list, const Diag *d) {
  bool disabled = false;
  for (uint32_t i = 0; i < list->size; i++) {
    const Suppression *s = &list->items[i];
    switch ((SuppressionKind)s->kind) {
      case SUPPRESS_NEXT_LINE:
      case SUPPRESS_LINE:
        if (s->row == d->range.start_row && suppress__names(text, s, d->rule)) return true;
        break;
      case SUPPRESS_DISABLE:
        if (s->byte <= d->range.start_byte && suppress__names(text, s, d->rule)) disabled = true;
        break;
      case SUPPRESS_ENABLE:
        if (s->byte <= d->range.start_byte && suppress__names(text, s, d->rule)) disabled = false;
        break;
    }
  }
  return disabled;
}

void suppress_apply(const TSTree *tree, const char *text, uint32_t len, DiagList *list,
                    uint32_t from) {
  if (from >= list->size) return;
  SuppressionList directives = ARRAY_EMPTY;
  suppress__collect(tree, text, len, &directives);
  if (directives.size) {
    uint32_t kept = from;
    for (uint32_t i = from; i < list->size; i++) {
      Diag *d = &list->items[i];
      if (suppress__covers(text, &directives, d)) {
        free(d->message);
        free(d->related_message);
      } else {
        list->items[kept++] = *d;
      }
    }
    list->size = kept;
  }
  array_delete(&directives);
}
