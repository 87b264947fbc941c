#include "lsp/position.h"

#include <string.h>

#include "base/utf.h"

const char *pos_encoding_name(PosEncoding enc) { return enc == POS_UTF8 ? "utf-8" : "utf-16"; }

void line_index_init(LineIndex *index) { array_init(&index->starts); }

void line_index_fini(LineIndex *index) { array_delete(&index->starts); }

void line_index_build(LineIndex *index, const char *text, size_t len) {
  array_clear(&index->starts);
  array_push(&index->starts, (size_t)0);
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c == '\n') {
      array_push(&index->starts, i + 1);
    } else if (c == '\r') {
      if (i + 1 < len && text[i + 1] == '\n') i++;
      array_push(&index->starts, i + 1);
    }
  }
}

/* The end of line `line`'s content: its next start minus its terminator, or len. */
static size_t position__line_end(const LineIndex *index, const char *text, size_t len,
                                 size_t line) {
  if (line + 1 >= index->starts.size) return len;
  size_t end = index->starts.items[line + 1];
  if (end > 0 && text[end - 1] == '\n') end--;
  if (end > 0 && text[end - 1] == '\r') end--;
  return end;
}

size_t position_to_offset(const LineIndex *index, const char *text, size_t len, PosEncoding enc,
                          int64_t line, int64_t character) {
  if (!index->starts.size || line < 0) return 0;
  if ((uint64_t)line >= index->starts.size) return len;
  size_t start = index->starts.items[line];
  size_t end = position__line_end(index, text, len, (size_t)line);
  if (start > end) return end;
  if (character <= 0) return start;
  size_t want = (size_t)character;
  if (enc == POS_UTF8) return want >= end - start ? end : start + want;
  return start + utf8_offset_of_utf16(text + start, end - start, want);
}

void position_from_offset(const LineIndex *index, const char *text, size_t len, PosEncoding enc,
                          size_t offset, uint32_t *line, uint32_t *character) {
  if (offset > len) offset = len;
  *line = 0;
  *character = 0;
  if (!index->starts.size) return;
  /* The last line start <= offset. */
  size_t lo = 0, hi = index->starts.size;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (index->starts.items[mid] <= offset) lo = mid;
    else hi = mid;
  }
  size_t start = index->starts.items[lo];
  size_t end = position__line_end(index, text, len, lo);
  if (offset > end) offset = end;
  *line = (uint32_t)lo;
  *character = (uint32_t)(enc == POS_UTF8 ? offset - start : utf16_length(text + start, offset - start));
}

TSPoint position_ts_point(const char *text, size_t offset) {
  TSPoint p = {0, 0};
  size_t line_start = 0;
  const char *cur = text, *end = text + offset;
  while (cur < end) {
    const char *nl = memchr(cur, '\n', (size_t)(end - cur));
    if (!nl) break;
    p.row++;
    line_start = (size_t)(nl - text) + 1;
    cur = nl + 1;
  }
  p.column = (uint32_t)(offset - line_start);
  return p;
}

TSPoint position_ts_point_advance(TSPoint start, const char *text, size_t len) {
  TSPoint p = start;
  const char *last_nl = NULL;
  for (const char *cur = text, *end = text + len; cur < end;) {
    const char *nl = memchr(cur, '\n', (size_t)(end - cur));
    if (!nl) break;
    p.row++;
    last_nl = nl;
    cur = nl + 1;
  }
  if (last_nl) p.column = (uint32_t)(text + len - (last_nl + 1));
  else p.column = start.column + (uint32_t)len;
  return p;
}
