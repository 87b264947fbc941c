#include "cli/files.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"

bool files_is_lintable(const char *path) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash)) return false;
  return strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0 || strcmp(dot, ".cjs") == 0 ||
         strcmp(dot, ".jsx") == 0;
}

static char *files__join(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0) return xstrdup(name); /* "app.js", not "./app.js" */
  size_t n = strlen(dir);
  if (n && dir[n - 1] == '/') return xasprintf("%s%s", dir, name);
  return xasprintf("%s/%s", dir, name);
}

bool files_walk(const char *root, PathList *out, FilesSkipDir skip_dir, void *ctx,
                void (*on_error)(void *ctx, const char *path, const char *problem)) {
  PathList stack = ARRAY_EMPTY;
  array_push(&stack, xstrdup(root));
  bool root_ok = true;
  bool first = true;
  while (stack.size) {
    char *dir = array_pop(&stack);
    DIR *d = opendir(dir);
    if (!d) {
      if (first) root_ok = false;
      else if (on_error) on_error(ctx, dir, strerror(errno));
      free(dir);
      first = false;
      continue;
    }
    first = false;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      const char *name = e->d_name;
      if (name[0] == '.') continue; /* ".", "..", .git and every hidden entry */
      char *path = files__join(dir, name);
      struct stat st;
      bool is_link = false;
      if (lstat(path, &st) != 0) {
        free(path);
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        is_link = true;
        if (stat(path, &st) != 0) { /* dangling link */
          free(path);
          continue;
        }
      }
      if (S_ISDIR(st.st_mode)) {
        if (is_link || strcmp(name, "node_modules") == 0 || (skip_dir && skip_dir(ctx, path))) {
          free(path);
          continue;
        }
        array_push(&stack, path);
      } else if (S_ISREG(st.st_mode) && files_is_lintable(name)) {
        array_push(out, path);
      } else {
        free(path);
      }
    }
    closedir(d);
    free(dir);
  }
  array_delete(&stack);
  return root_ok;
}

static int files__compare(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void files_sort_unique(PathList *list) {
  if (list->size < 2) return;
  qsort(list->items, list->size, sizeof(char *), files__compare);
  uint32_t kept = 1;
  for (uint32_t i = 1; i < list->size; i++) {
    if (strcmp(list->items[i], list->items[kept - 1]) == 0) free(list->items[i]);
    else list->items[kept++] = list->items[i];
  }
  list->size = kept;
}

void path_list_fini(PathList *list) {
  for (uint32_t i = 0; i < list->size; i++) free(list->items[i]);
  array_delete(list);
}
