/* Allocation that aborts on out-of-memory. Input caps (file size, frame size, nesting handled
 * iteratively) keep memory use proportional to input we agreed to take, so OOM means the
 * machine is out of memory, not that an attacker found a way in. */
#ifndef NODEHINT_BASE_XALLOC_H
#define NODEHINT_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a new NUL-terminated copy; caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
