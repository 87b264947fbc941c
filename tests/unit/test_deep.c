/* The analysis never recurses on input depth: 100,000-deep nesting is parsed and analysed on a
 * thread with a 256 KiB stack (an eighth of a typical thread stack), with every rule on. The
 * input check is bypassed on purpose: it refuses such input only to protect tree-sitter 0.20's
 * error recovery, and these inputs are well-formed. Run under ASan in CI. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyze.h"
#include "base/strbuf.h"
#include "check.h"
#include "rules/rule.h"

#define DEPTH 100000

typedef struct Job {
  const char *name;
  char *text;
  int expect_callback_hell; /* -1: any */
  int got_callback_hell;
  bool done;
} Job;

static void *run(void *arg) {
  Job *job = arg;
  Analyzer *analyzer = analyzer_create();
  if (!analyzer) return NULL;
  LintConfig config;
  lint_config_defaults(&config);
  size_t len = strlen(job->text);
  TSTree *tree = analyzer_parse(analyzer, job->text, len, NULL);
  DiagList diags = ARRAY_EMPTY;
  analyze_tree(tree, job->text, len, &config, &diags);
  for (uint32_t i = 0; i < diags.size; i++)
    if (diags.items[i].rule == RULE_callback_hell) job->got_callback_hell++;
  diag_list_fini(&diags);
  ts_tree_delete(tree);
  analyzer_destroy(analyzer);
  job->done = true;
  return NULL;
}

static char *repeat3(const char *head, const char *middle, const char *tail, size_t n) {
  StrBuf sb;
  strbuf_init(&sb);
  for (size_t i = 0; i < n; i++) strbuf_puts(&sb, head);
  strbuf_puts(&sb, middle);
  for (size_t i = 0; i < n; i++) strbuf_puts(&sb, tail);
  return strbuf_take(&sb);
}

int main(void) {
  Job jobs[] = {
      {"parentheses", repeat3("(", "x", ")", DEPTH), 0, 0, false},
      {"arrays", repeat3("[", "", "]", DEPTH), 0, 0, false},
      {"blocks", repeat3("{", "", "}", DEPTH), 0, 0, false},
      {"callbacks", repeat3("f(function (err) {", "", "});", DEPTH / 4), 1, 0, false},
      {"arrows", repeat3("g(() => ", "0", ")", DEPTH / 2), 1, 0, false},
      {"ternaries", repeat3("a ? ", "b", " : c", DEPTH), 0, 0, false},
      {"assignments", repeat3("a = ", "require('fs')", "", DEPTH), 0, 0, false},
      {"members", repeat3("", "a", ".b", DEPTH), 0, 0, false},
  };
  for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t thread;
    CHECK(pthread_create(&thread, &attr, run, &jobs[i]) == 0);
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);
    CHECK_MSG(jobs[i].done, "%s: analysis did not finish", jobs[i].name);
    if (jobs[i].expect_callback_hell >= 0)
      CHECK_MSG(jobs[i].got_callback_hell == jobs[i].expect_callback_hell,
                "%s: %d callback-hell findings, wanted %d", jobs[i].name,
                jobs[i].got_callback_hell, jobs[i].expect_callback_hell);
    free(jobs[i].text);
  }
  return CHECK_DONE();
}
