#include "lsp/transport.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/xalloc.h"

#define TRANSPORT__CHUNK 65536

struct Transport {
  int in_fd, out_fd;         /* -1 for memory */
  const char *mem;           /* borrowed memory input */
  size_t mem_len, mem_pos;
  StrBuf *mem_out;           /* borrowed, may be NULL */
  char *buf;                 /* owned: unread input is buf[start..end) */
  size_t start, end, cap;
  bool eof;
  bool resync;               /* dropping input until the next "Content-Length:" */
  size_t skip;               /* body bytes of an oversized frame still to drop */
  size_t max_body;
  char error[256];
};

static Transport *transport__new(size_t max_body) {
  Transport *t = xcalloc(1, sizeof *t);
  t->in_fd = t->out_fd = -1;
  t->max_body = max_body ? max_body : TRANSPORT_DEFAULT_MAX_BODY;
  return t;
}

Transport *transport_create_fd(int in_fd, int out_fd, size_t max_body) {
  Transport *t = transport__new(max_body);
  t->in_fd = in_fd;
  t->out_fd = out_fd;
  return t;
}

Transport *transport_create_memory(const char *input, size_t len, StrBuf *out, size_t max_body) {
  Transport *t = transport__new(max_body);
  t->mem = input;
  t->mem_len = len;
  t->mem_out = out;
  return t;
}

void transport_destroy(Transport *t) {
  if (!t) return;
  free(t->buf);
  free(t);
}

const char *transport_error(const Transport *t) { return t->error; }

/* Reads more input into the buffer. Returns false if nothing was added: end of input, or
 * (block=false) nothing available right now. */
static bool transport__fill(Transport *t, bool block) {
  if (t->eof) return false;
  if (t->start > 0 && (t->start == t->end || t->start > t->cap / 2)) {
    memmove(t->buf, t->buf + t->start, t->end - t->start);
    t->end -= t->start;
    t->start = 0;
  }
  if (t->cap - t->end < TRANSPORT__CHUNK) {
    t->cap = t->cap ? t->cap * 2 : TRANSPORT__CHUNK * 2;
    t->buf = xrealloc(t->buf, t->cap);
  }
  size_t room = t->cap - t->end;
  if (t->in_fd < 0) {
    size_t n = t->mem_len - t->mem_pos;
    if (n == 0) {
      t->eof = true;
      return false;
    }
    if (n > room) n = room;
    memcpy(t->buf + t->end, t->mem + t->mem_pos, n);
    t->mem_pos += n;
    t->end += n;
    return true;
  }
  if (!block) {
    struct pollfd pfd = {t->in_fd, POLLIN, 0};
    int r;
    do r = poll(&pfd, 1, 0);
    while (r < 0 && errno == EINTR);
    if (r <= 0) return false;
  }
  ssize_t n;
  do n = read(t->in_fd, t->buf + t->end, room);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    t->eof = true;
    return false;
  }
  t->end += (size_t)n;
  return true;
}

bool transport_wait(Transport *t, int timeout_ms) {
  if (t->end > t->start || t->eof) return true;
  if (t->in_fd < 0) return t->mem_pos < t->mem_len;
  struct pollfd pfd = {t->in_fd, POLLIN, 0};
  int r;
  do r = poll(&pfd, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r != 0;
}

static const char *transport__find_ci(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (strncasecmp(hay + i, needle, n) == 0) return hay + i;
  return NULL;
}

/* Drops input up to the next "Content-Length:". True once found (reader back in sync). */
static bool transport__resync(Transport *t) {
  static const char key[] = "Content-Length:";
  const char *hit = transport__find_ci(t->buf + t->start, t->end - t->start, key);
  if (hit) {
    t->start = (size_t)(hit - t->buf);
    t->resync = false;
    return true;
  }
  /* Keep a tail that may hold the start of the key. */
  size_t keep = sizeof key - 2;
  if (t->end - t->start > keep) t->start = t->end - keep;
  return false;
}

/* Finds the end of the header block: returns the offset (from start) just past the blank
 * line, or 0 if there is none yet. */
static size_t transport__header_end(const Transport *t) {
  const char *p = t->buf + t->start;
  size_t n = t->end - t->start;
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '\n') continue;
    if (i + 1 < n && p[i + 1] == '\n') return i + 2;
    if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n') return i + 3;
  }
  return 0;
}

typedef enum { LEN_OK, LEN_MISSING, LEN_BAD } LenStatus;

/* Parses the header block p[0..n): the Content-Length value. */
static LenStatus transport__content_length(const char *p, size_t n, uint64_t *out, char *what,
                                           size_t what_cap) {
  LenStatus status = LEN_MISSING;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && p[j] != '\n') j++;
    size_t line_len = j - i;
    if (line_len && p[i + line_len - 1] == '\r') line_len--;
    static const char key[] = "content-length:";
    if (line_len >= sizeof key - 1 && strncasecmp(p + i, key, sizeof key - 1) == 0) {
      const char *v = p + i + sizeof key - 1, *e = p + i + line_len;
      while (v < e && (*v == ' ' || *v == '\t')) v++;
      while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--;
      uint64_t value = 0;
      bool ok = v < e;
      for (const char *c = v; c < e && ok; c++) {
        if (*c < '0' || *c > '9' || value > (UINT64_MAX - 9) / 10) ok = false;
        else value = value * 10 + (uint64_t)(*c - '0');
      }
      if (!ok) {
        snprintf(what, what_cap, "bad Content-Length value '%.*s'", (int)((e - v) > 40 ? 40 : (e - v)), v);
        return LEN_BAD;
      }
      *out = value;
      status = LEN_OK;
    }
    i = j + 1;
  }
  if (status == LEN_MISSING) snprintf(what, what_cap, "header without Content-Length");
  return status;
}

TransportStatus transport_read(Transport *t, char **body, size_t *len, bool block) {
  t->error[0] = '\0';
  for (;;) {
    /* Dropping an oversized body. */
    while (t->skip) {
      size_t have = t->end - t->start;
      size_t n = have < t->skip ? have : t->skip;
      t->start += n;
      t->skip -= n;
      if (t->skip && !transport__fill(t, block)) return t->eof ? TRANSPORT_EOF : TRANSPORT_NONE;
    }
    if (t->resync && !transport__resync(t)) {
      if (!transport__fill(t, block)) return t->eof ? TRANSPORT_EOF : TRANSPORT_NONE;
      continue;
    }
    /* Skip blank lines between frames (some clients send a trailing "\r\n"). */
    while (t->start < t->end && (t->buf[t->start] == '\r' || t->buf[t->start] == '\n')) t->start++;
    size_t header_len = transport__header_end(t);
    if (!header_len) {
      if (t->end - t->start > TRANSPORT_MAX_HEADER) {
        snprintf(t->error, sizeof t->error,
                 "no end of header within %d bytes; skipping to the next Content-Length",
                 TRANSPORT_MAX_HEADER);
        t->start++;
        t->resync = true;
        return TRANSPORT_BAD;
      }
      if (!transport__fill(t, block)) {
        if (t->eof && t->end > t->start)
          snprintf(t->error, sizeof t->error, "input ended inside a header (%zu bytes dropped)",
                   t->end - t->start);
        if (t->eof) t->start = t->end;
        return t->eof ? TRANSPORT_EOF : TRANSPORT_NONE;
      }
      continue;
    }
    if (header_len > TRANSPORT_MAX_HEADER) {
      snprintf(t->error, sizeof t->error, "header longer than %d bytes; skipping to the next Content-Length",
               TRANSPORT_MAX_HEADER);
      t->start++;
      t->resync = true;
      return TRANSPORT_BAD;
    }
    uint64_t length = 0;
    char what[96];
    LenStatus ls = transport__content_length(t->buf + t->start, header_len, &length, what, sizeof what);
    if (ls != LEN_OK) {
      snprintf(t->error, sizeof t->error, "%s; skipping to the next Content-Length", what);
      t->start += header_len;
      t->resync = true;
      return TRANSPORT_BAD;
    }
    if (length > t->max_body) {
      snprintf(t->error, sizeof t->error,
               "message of %llu bytes is over the %zu-byte limit; its body is skipped",
               (unsigned long long)length, t->max_body);
      t->start += header_len;
      t->skip = (size_t)length;
      return TRANSPORT_BAD;
    }
    while (t->end - t->start < header_len + length) {
      if (!transport__fill(t, block)) {
        if (t->eof) {
          snprintf(t->error, sizeof t->error,
                   "input ended inside a message (%zu of %llu body bytes)",
                   t->end - t->start - header_len, (unsigned long long)length);
          t->start = t->end;
          return TRANSPORT_EOF;
        }
        return TRANSPORT_NONE;
      }
    }
    *len = (size_t)length;
    *body = xmalloc(*len + 1);
    memcpy(*body, t->buf + t->start + header_len, *len);
    (*body)[*len] = '\0';
    t->start += header_len + *len;
    return TRANSPORT_FRAME;
  }
}

static bool transport__write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

bool transport_write(Transport *t, const char *body, size_t len) {
  char header[64];
  int hn = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", len);
  if (t->out_fd < 0) {
    if (t->mem_out) {
      strbuf_append(t->mem_out, header, (size_t)hn);
      strbuf_append(t->mem_out, body, len);
    }
    return true;
  }
  return transport__write_all(t->out_fd, header, (size_t)hn) &&
         transport__write_all(t->out_fd, body, len);
}
