/* jansson helpers for the CLI's JSON and SARIF writers. */
#ifndef NODEHINT_CLI_JSON_UTIL_H
#define NODEHINT_CLI_JSON_UTIL_H

#include <jansson.h>

/* A new JSON string reference; bytes that are not valid UTF-8 (file names can be anything)
 * become U+FFFD instead of failing. */
json_t *json_string_lossy(const char *s);

/* Writes `value` (stolen) followed by a newline. False on a write error. */
int json_write_and_free(json_t *value, FILE *out);

#endif
