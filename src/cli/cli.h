/* The command line: `nodehint lint`, `nodehint rules`, `--version`, `--help`. */
#ifndef NODEHINT_CLI_CLI_H
#define NODEHINT_CLI_CLI_H

/* Exit codes of every command, one enum (documented in README.md). */
typedef enum ExitCode {
  EXIT_CLEAN = 0,    /* nothing to report (or only warnings within --max-warnings) */
  EXIT_FINDINGS = 1, /* findings at warning or error severity */
  EXIT_TROUBLE = 2,  /* usage, configuration or I/O error */
} ExitCode;

/* Runs the command line; returns the process exit code. */
int cli_main(int argc, char **argv);

/* `nodehint lint …` (argv[0] is "lint"). */
int cli_lint(int argc, char **argv);

/* `nodehint explain …` (argv[0] is "explain"; src/cli/explain.c). */
int cli_explain(int argc, char **argv);

#endif
