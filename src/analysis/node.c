#include "analysis/node.h"

#include <string.h>

#include "base/utf.h"

bool node_text_eq(const Analysis *an, TSNode node, const char *s) {
  if (ts_node_is_null(node)) return false;
  size_t len;
  const char *t = node_text(an, node, &len);
  return len == strlen(s) && memcmp(t, s, len) == 0;
}

bool node_text_in(const Analysis *an, TSNode node, const char *const *words) {
  if (ts_node_is_null(node)) return false;
  size_t len;
  const char *t = node_text(an, node, &len);
  for (; *words; words++)
    if (strlen(*words) == len && memcmp(t, *words, len) == 0) return true;
  return false;
}

bool node_text_copy(const Analysis *an, TSNode node, char *buf, size_t cap) {
  if (ts_node_is_null(node) || cap == 0) return false;
  size_t len;
  const char *t = node_text(an, node, &len);
  if (len >= cap) return false;
  memcpy(buf, t, len);
  buf[len] = '\0';
  return true;
}

bool node_string_value(const Analysis *an, TSNode node, char *buf, size_t cap) {
  NodeKind kind = node_kind(an, node);
  if (kind != NK_STRING && kind != NK_TEMPLATE_STRING) return false;
  if (cap == 0) return false;
  size_t used = 0;
  uint32_t n = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < n; i++) {
    TSNode part = ts_node_named_child(node, i);
    if (node_kind(an, part) != NK_STRING_FRAGMENT) return false; /* escape or ${…} */
    size_t len;
    const char *t = node_text(an, part, &len);
    if (used + len >= cap) return false;
    memcpy(buf + used, t, len);
    used += len;
  }
  buf[used] = '\0';
  return true;
}

TSNode node_unparen(const Analysis *an, TSNode node) {
  /* Bounded: pathological ((((x)))) nesting just stops being unwrapped. */
  for (int i = 0; i < 64 && node_kind(an, node) == NK_PARENTHESIZED; i++) {
    TSNode inner = ts_node_named_child(node, 0);
    if (ts_node_is_null(inner)) break;
    node = inner;
  }
  return node;
}

bool node_is_function(const Analysis *an, TSNode node) {
  return syms_kind_is_function(node_kind(an, node));
}

TSNode node_function_param(const Analysis *an, TSNode fn, uint32_t i) {
  TSNode bare = node_field(fn, an->syms->f_parameter);
  if (!ts_node_is_null(bare)) {
    if (i == 0) return bare;
    TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
    return null_node;
  }
  TSNode params = node_field(fn, an->syms->f_parameters);
  uint32_t seen = 0, n = ts_node_named_child_count(params);
  for (uint32_t k = 0; k < n; k++) {
    TSNode p = ts_node_named_child(params, k);
    if (node_kind(an, p) == NK_COMMENT) continue;
    if (seen++ == i) return p;
  }
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  return null_node;
}

uint32_t node_function_param_count(const Analysis *an, TSNode fn) {
  if (!ts_node_is_null(node_field(fn, an->syms->f_parameter))) return 1;
  TSNode params = node_field(fn, an->syms->f_parameters);
  uint32_t count = 0, n = ts_node_named_child_count(params);
  for (uint32_t k = 0; k < n; k++)
    if (node_kind(an, ts_node_named_child(params, k)) != NK_COMMENT) count++;
  return count;
}

bool node_function_param_name(const Analysis *an, TSNode fn, uint32_t i, char *buf,
                              size_t cap) {
  TSNode p = node_function_param(an, fn, i);
  if (node_kind(an, p) == NK_ASSIGNMENT_PATTERN) p = node_field(p, an->syms->f_left);
  if (node_kind(an, p) != NK_IDENTIFIER) return false;
  return node_text_copy(an, p, buf, cap);
}

SourceRange node_range(TSNode node) {
  TSPoint s = ts_node_start_point(node), e = ts_node_end_point(node);
  SourceRange r = {ts_node_start_byte(node), ts_node_end_byte(node), s.row, s.column, e.row,
                   e.column};
  return r;
}

SourceRange node_function_header_range(const Analysis *an, TSNode fn) {
  SourceRange r = node_range(fn);
  TSNode body = node_field(fn, an->syms->f_body);
  if (ts_node_is_null(body)) return r;
  uint32_t end = ts_node_start_byte(body);
  TSPoint end_point = ts_node_start_point(body);
  /* Trim the blanks between the header and the body ("function (err) {" ends at ")"). */
  while (end > r.start_byte && (an->text[end - 1] == ' ' || an->text[end - 1] == '\t') &&
         end_point.column > 0) {
    end--;
    end_point.column--;
  }
  if (end <= r.start_byte || end_point.row < r.start_row) return r;
  r.end_byte = end;
  r.end_row = end_point.row;
  r.end_col = end_point.column;
  return r;
}

bool node_callee_name(const Analysis *an, TSNode callee, char *buf, size_t cap) {
  callee = node_unparen(an, callee);
  switch (node_kind(an, callee)) {
    case NK_IDENTIFIER:
      return node_text_copy(an, callee, buf, cap);
    case NK_MEMBER: {
      TSNode prop = node_field(callee, an->syms->f_property);
      if (node_kind(an, prop) != NK_PROPERTY_IDENTIFIER) return false;
      return node_text_copy(an, prop, buf, cap);
    }
    default:
      return false;
  }
}

void node_text_oneline(const Analysis *an, TSNode node, char *buf, size_t cap) {
  if (cap < 8) {
    if (cap) buf[0] = '\0';
    return;
  }
  size_t len = 0, used = 0;
  const char *t = ts_node_is_null(node) ? "" : node_text(an, node, &len);
  bool blank = false, cut = false;
  for (size_t i = 0; i < len; i++) {
    char ch = t[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      blank = true;
      continue;
    }
    size_t need = blank ? 2 : 1;
    if (used + need + 4 > cap) { /* room for "…" (3 bytes) and the NUL */
      cut = true;
      break;
    }
    if (blank && used) buf[used++] = ' ';
    blank = false;
    buf[used++] = ch;
  }
  if (cut) {
    used = utf8_truncate(buf, used, used); /* no partial character before "…" */
    memcpy(buf + used, "\xE2\x80\xA6", 3);
    used += 3;
  }
  buf[used] = '\0';
}

TSNode node_call_arg(const Analysis *an, TSNode call, uint32_t index, uint32_t *count) {
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = node_kind(an, args) == NK_ARGUMENTS ? ts_node_named_child_count(args) : 0;
  TSNode found = {{0, 0, 0, 0}, NULL, NULL};
  uint32_t seen = 0;
  for (uint32_t k = 0; k < n; k++) {
    TSNode a = ts_node_named_child(args, k);
    if (node_kind(an, a) == NK_COMMENT) continue;
    if (seen == index) {
      found = a;
      if (!count) break;
    }
    seen++;
  }
  if (count) *count = seen;
  return found;
}
