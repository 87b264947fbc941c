/* nodehint: argv → the command line (cli_main) or the language server (lsp_main). The only
 * place that exits. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lsp/lsp.h"

int main(int argc, char **argv) {
  if (argc >= 2 && (strcmp(argv[1], "--stdio") == 0 || strcmp(argv[1], "lsp") == 0))
    return lsp_main(argc - 1, argv + 1);
  return cli_main(argc, argv);
}
