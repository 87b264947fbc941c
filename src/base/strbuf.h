/* StrBuf: a growable, always NUL-terminated byte string. Embedded: strbuf_init/strbuf_fini. */
#ifndef NODEHINT_BASE_STRBUF_H
#define NODEHINT_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct StrBuf {
  char *data; /* owned; "" (static) until the first append */
  size_t len;
  size_t cap;
} StrBuf;

void strbuf_init(StrBuf *sb);
void strbuf_fini(StrBuf *sb);
void strbuf_clear(StrBuf *sb);
void strbuf_append(StrBuf *sb, const char *s, size_t len);
void strbuf_puts(StrBuf *sb, const char *s);
void strbuf_putc(StrBuf *sb, char c);
void strbuf_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(StrBuf *sb, const char *fmt, va_list ap);
/* Returns the buffer (caller frees) and leaves sb empty. */
char *strbuf_take(StrBuf *sb);

#endif
