/* Command dispatch and the small commands: `rules`, `--version`, `--help`. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "analysis/analyze.h"
#include "knowledge/kb.h"
#include "rules/rule.h"

static void cli__usage(FILE *out) {
  fputs(
      "usage: nodehint <command> [options]\n"
      "\n"
      "Finds the Node.js mistakes a well-known interview Q&A discusses, and explains each\n"
      "finding in the words of that document.\n"
      "\n"
      "commands:\n"
      "  lint [PATH...]   lint files and folders (see `nodehint lint --help`)\n"
      "  rules            list the rules: id, default severity, the Q&A entry each quotes\n"
      "  explain QUERY    print a Q&A entry: by id, rule id, API name or question words\n"
      "                   (see `nodehint explain --help`; --list lists them all)\n"
      "  --stdio, lsp     run the language server on stdin/stdout (`nodehint lsp --help`)\n"
      "  --version        print the version\n"
      "  --help           show this help\n",
      out);
}

static int cli__rules(int argc, char **argv) {
  if (argc > 1) {
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
      puts("usage: nodehint rules\n\nLists every rule: id, default severity, options and the "
           "Q&A entries it quotes.");
      return EXIT_CLEAN;
    }
    fprintf(stderr, "nodehint rules: unexpected argument '%s'\n", argv[1]);
    return EXIT_TROUBLE;
  }
  for (int r = 0; r < RULE_COUNT; r++) {
    const RuleInfo *rule = &rule_infos[r];
    printf("%s (%s)\n  %s\n  e.g. %s\n", rule->id, severity_name(rule->default_severity),
           rule->summary, rule->example);
    for (uint8_t o = 0; o < rule->hooks->option_count; o++) {
      const RuleOptionSpec *spec = &rule->hooks->options[o];
      printf("  option %s (default %lld): %s\n", spec->name, (long long)spec->default_value,
             spec->description);
    }
    const char *entries[] = {rule->entry, rule->entry2};
    for (int i = 0; i < 2; i++) {
      const KbEntry *e = entries[i] ? kb_find(entries[i]) : NULL;
      if (e) printf("  Q&A: %s [%s]\n", e->question, e->id);
    }
  }
  return EXIT_CLEAN;
}

int cli_main(int argc, char **argv) {
  if (argc < 2) {
    cli__usage(stderr);
    return EXIT_TROUBLE;
  }
  const char *command = argv[1];
  if (strcmp(command, "--version") == 0 || strcmp(command, "-V") == 0 ||
      strcmp(command, "version") == 0) {
    printf("nodehint %s\n", NODEHINT_VERSION);
    return EXIT_CLEAN;
  }
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
    cli__usage(stdout);
    return EXIT_CLEAN;
  }
  /* Fail at start-up, not per file, if the grammar and this build disagree. */
  Analyzer *probe = analyzer_create();
  if (!probe) return EXIT_TROUBLE;
  analyzer_destroy(probe);
  if (strcmp(command, "lint") == 0) return cli_lint(argc - 1, argv + 1);
  if (strcmp(command, "rules") == 0) return cli__rules(argc - 1, argv + 1);
  if (strcmp(command, "explain") == 0) return cli_explain(argc - 1, argv + 1);
  fprintf(stderr, "nodehint: unknown command '%s'\n\n", command);
  cli__usage(stderr);
  return EXIT_TROUBLE;
}
