/* libFuzzer target: the bytes are the server's whole stdin (framing + JSON-RPC dispatch +
 * everything the messages reach). Built with -Dfuzz=true (clang); replayed by replay.c. */
#include <stddef.h>
#include <stdint.h>

#include "lsp/lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  LspOptions options = {1 << 20, true, false};
  lsp_run_memory((const char *)data, size, NULL, &options);
  return 0;
}
