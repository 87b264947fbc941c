/* A tiny test harness: CHECK() records a failure and keeps going, so one run shows every
 * broken expectation; CHECK_DONE() prints the closing "N passed, N failed" line and returns the
 * process exit code. */
#ifndef NODEHINT_TESTS_CHECK_H
#define NODEHINT_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check__passed, check__failed;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (cond) {                                                                      \
      check__passed++;                                                               \
    } else {                                                                         \
      check__failed++;                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
    }                                                                                \
  } while (0)

#define CHECK_MSG(cond, ...)                                                         \
  do {                                                                               \
    if (cond) {                                                                      \
      check__passed++;                                                               \
    } else {                                                                         \
      check__failed++;                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);        \
      fprintf(stderr, __VA_ARGS__);                                                  \
      fputc('\n', stderr);                                                           \
    }                                                                                \
  } while (0)

#define CHECK_STR_EQ(a, b) CHECK_MSG(strcmp((a), (b)) == 0, "\"%s\" != \"%s\"", (a), (b))

#define CHECK_DONE()                                                                 \
  (printf("%d passed, %d failed\n", check__passed, check__failed), check__failed ? 1 : 0)

#endif
