/* The language server's entry points: `nodehint --stdio` / `nodehint lsp`, and the same loop
 * over an in-memory byte stream (tests, fuzzing). */
#ifndef NODEHINT_LSP_LSP_H
#define NODEHINT_LSP_LSP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strbuf.h"

typedef struct LspOptions {
  size_t max_message_size; /* 0: TRANSPORT_DEFAULT_MAX_BODY (64 MiB) */
  bool quiet;              /* no log lines on stderr (fuzzing) */
  bool verbose;            /* debug lines on stderr */
} LspOptions;

/* argv[0] is the command ("--stdio" or "lsp"); the rest are options. Serves stdin/stdout until
 * `exit` or end of input. Returns the process exit code: 0 after shutdown, 1 without, 2 on a
 * usage error. */
int lsp_main(int argc, char **argv);

/* Runs the server over input[0..len) and appends every frame it writes to `out` (NULL: drop).
 * Returns the exit code lsp_main would. */
int lsp_run_memory(const char *input, size_t len, StrBuf *out, const LspOptions *options);

#endif
