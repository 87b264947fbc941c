/* Finding the files to lint: folders are walked (iteratively) for .js .mjs .cjs .jsx files,
 * skipping node_modules, .git and every hidden folder; symbolic links to folders are not
 * followed (no cycles), links to files are. */
#ifndef NODEHINT_CLI_FILES_H
#define NODEHINT_CLI_FILES_H

#include <stdbool.h>

#include "base/array.h"

typedef Array(char *) PathList;

/* Called for each folder below the root before it is entered; return true to skip it. */
typedef bool (*FilesSkipDir)(void *ctx, const char *dir);

/* Appends the lintable files under folder `root` to `out` (owned strings, paths joined onto
 * `root` as given). Unreadable sub-folders are reported through `on_error` (may be NULL) and
 * skipped. Returns false if `root` itself cannot be read. */
bool files_walk(const char *root, PathList *out, FilesSkipDir skip_dir, void *ctx,
                void (*on_error)(void *ctx, const char *path, const char *problem));

/* True for the extensions the walk picks up. */
bool files_is_lintable(const char *path);

/* Sorts (bytewise) and removes duplicates. */
void files_sort_unique(PathList *list);

void path_list_fini(PathList *list);

#endif
