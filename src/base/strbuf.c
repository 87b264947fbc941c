#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static char strbuf__empty[1];

void strbuf_init(StrBuf *sb) {
  sb->data = strbuf__empty;
  sb->len = 0;
  sb->cap = 0;
}

void strbuf_fini(StrBuf *sb) {
  if (sb->cap) free(sb->data);
  strbuf_init(sb);
}

void strbuf_clear(StrBuf *sb) {
  sb->len = 0;
  if (sb->cap) sb->data[0] = '\0';
}

static void strbuf__reserve(StrBuf *sb, size_t extra) {
  size_t wanted = sb->len + extra + 1;
  if (wanted <= sb->cap) return;
  size_t cap = sb->cap ? sb->cap * 2 : 64;
  while (cap < wanted) cap *= 2;
  if (sb->cap) {
    sb->data = xrealloc(sb->data, cap);
  } else {
    sb->data = xmalloc(cap);
    sb->data[0] = '\0';
  }
  sb->cap = cap;
}

void strbuf_append(StrBuf *sb, const char *s, size_t len) {
  strbuf__reserve(sb, len);
  memcpy(sb->data + sb->len, s, len);
  sb->len += len;
  sb->data[sb->len] = '\0';
}

void strbuf_puts(StrBuf *sb, const char *s) { strbuf_append(sb, s, strlen(s)); }

void strbuf_putc(StrBuf *sb, char c) { strbuf_append(sb, &c, 1); }

void strbuf_vprintf(StrBuf *sb, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return;
  strbuf__reserve(sb, (size_t)n);
  vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
  sb->len += (size_t)n;
}

void strbuf_printf(StrBuf *sb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  strbuf_vprintf(sb, fmt, ap);
  va_end(ap);
}

char *strbuf_take(StrBuf *sb) {
  char *out = sb->cap ? sb->data : xstrdup("");
  strbuf_init(sb);
  return out;
}
