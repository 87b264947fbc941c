/* Glob patterns for `ignore` in .nodehintrc.json, matched against paths relative to the
 * config file's folder, gitignore-style:
 *   *  any run of characters except '/'      ?  one character except '/'
 *   ** any run of characters, '/' included   [a-z] [!a-z]  character classes   \x  literal x
 * A pattern without a '/' (other than a trailing one) matches a name at any depth
 * ("*.min.js", "dist"); a leading '/' anchors it to the config's folder. A pattern that
 * matches a folder matches everything inside it. */
#ifndef NODEHINT_CLI_GLOB_H
#define NODEHINT_CLI_GLOB_H

#include <stdbool.h>

/* Does `pattern` match the relative path `path` (components separated by '/') or one of the
 * folders that contain it? */
bool glob_ignores(const char *pattern, const char *path);

/* Does `pattern` match `path` exactly (no folder rule, no anchoring rules)? */
bool glob_match(const char *pattern, const char *path);

/* Validates a pattern (balanced classes, no trailing backslash); false if malformed. */
bool glob_valid(const char *pattern);

#endif
