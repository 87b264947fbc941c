/* nodehint: argv → the command line (cli_main). The only place that exits. */
#include <stdlib.h>

#include "cli/cli.h"

int main(int argc, char **argv) { return cli_main(argc, argv); }
