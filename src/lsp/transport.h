/* Content-Length framing (LSP base protocol) over a file descriptor or an in-memory buffer.
 *
 * Reading: a header block ("Name: value\r\n" lines, then an empty line; bare "\n" accepted)
 * followed by Content-Length bytes of body. A frame whose header has no usable Content-Length
 * (missing, negative, non-numeric) or no end within TRANSPORT_MAX_HEADER bytes is reported as
 * TRANSPORT_BAD and the reader resynchronises at the next "Content-Length:" in the stream. A
 * frame over the size cap is reported as TRANSPORT_BAD and its body is skipped byte for byte,
 * without being stored. Either way the reader keeps serving.
 *
 * Writing: each frame is written whole ("Content-Length: N\r\n\r\n" + body) to the output fd,
 * or appended to an in-memory StrBuf (tests, fuzzing). */
#ifndef NODEHINT_LSP_TRANSPORT_H
#define NODEHINT_LSP_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strbuf.h"

#define TRANSPORT_DEFAULT_MAX_BODY ((size_t)64 << 20)
#define TRANSPORT_MAX_HEADER 8192

typedef enum TransportStatus {
  TRANSPORT_FRAME, /* *body holds a frame (caller frees) */
  TRANSPORT_NONE,  /* non-blocking read: no complete frame available yet */
  TRANSPORT_BAD,   /* a malformed or oversized frame was dropped; see transport_error() */
  TRANSPORT_EOF,   /* end of input (a truncated last frame is dropped and noted in error) */
} TransportStatus;

typedef struct Transport Transport;

/* Reads from fd `in_fd`, writes to fd `out_fd`. Returns a new Transport (caller destroys). */
Transport *transport_create_fd(int in_fd, int out_fd, size_t max_body);
/* Reads input[0..len) (borrowed: must outlive the transport); appends output frames to `out`
 * (borrowed; NULL discards them). */
Transport *transport_create_memory(const char *input, size_t len, StrBuf *out, size_t max_body);
void transport_destroy(Transport *t);

/* Reads the next frame. With block=false, returns TRANSPORT_NONE rather than wait for input
 * that is not already available. */
TransportStatus transport_read(Transport *t, char **body, size_t *len, bool block);

/* Waits up to timeout_ms for input; true if some may be read now (also at end of input, which
 * a read then reports). The server's idle work runs only after a quiet period. */
bool transport_wait(Transport *t, int timeout_ms);

/* Why the last TRANSPORT_BAD/TRANSPORT_EOF happened ("" if nothing went wrong). Borrowed. */
const char *transport_error(const Transport *t);

/* Writes one frame. False if the output is gone (a closed pipe). */
bool transport_write(Transport *t, const char *body, size_t len);

#endif
