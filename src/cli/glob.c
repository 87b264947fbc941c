#include "cli/glob.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* Matches the class starting at p[0] == '[' against c. Returns the length of the class
 * (through ']') or 0 if malformed; *matched says whether c is in it. */
static size_t glob__class(const char *p, char c, bool *matched) {
  size_t i = 1;
  bool negate = false;
  if (p[i] == '!' || p[i] == '^') {
    negate = true;
    i++;
  }
  bool in = false;
  bool first = true;
  while (p[i] && (first || p[i] != ']')) {
    first = false;
    char lo = p[i];
    if (lo == '\\' && p[i + 1]) lo = p[++i];
    char hi = lo;
    if (p[i + 1] == '-' && p[i + 2] && p[i + 2] != ']') {
      hi = p[i + 2];
      if (hi == '\\' && p[i + 3]) {
        hi = p[i + 3];
        i++;
      }
      i += 2;
    }
    if (c >= lo && c <= hi) in = true;
    i++;
  }
  if (p[i] != ']') return 0;
  *matched = (in != negate) && c != '/';
  return i + 1;
}

bool glob_valid(const char *pattern) {
  for (size_t i = 0; pattern[i]; i++) {
    if (pattern[i] == '\\') {
      if (!pattern[i + 1]) return false;
      i++;
    } else if (pattern[i] == '[') {
      bool dummy;
      size_t n = glob__class(pattern + i, 'a', &dummy);
      if (!n) return false;
      i += n - 1;
    }
  }
  return pattern[0] != '\0';
}

/* Dynamic programming over (pattern position, path position): no recursion, no exponential
 * backtracking on patterns like "**a**b**c". */
bool glob_match(const char *pattern, const char *path) {
  size_t P = strlen(pattern), S = strlen(path);
  size_t width = S + 1;
  bool *dp = xcalloc((P + 1) * width, sizeof(bool));
#define DP(i, j) dp[(i) * width + (j)]
  DP(P, S) = true;
  for (size_t i = P; i-- > 0;) {
    char pc = pattern[i];
    for (size_t j = S + 1; j-- > 0;) {
      bool m = false;
      bool more = j < S;
      if (pc == '*' && i + 1 < P && pattern[i + 1] == '*') {
        /* "**": any run, '/' included; "**" + "/" may also match no folder at all. */
        m = DP(i + 2, j) || (more && DP(i, j + 1));
        if (!m && i + 2 < P && pattern[i + 2] == '/') m = DP(i + 3, j);
      } else if (pc == '*') {
        if (i > 0 && pattern[i - 1] == '*') {
          m = false; /* second star of "**", handled above */
        } else {
          m = DP(i + 1, j) || (more && path[j] != '/' && DP(i, j + 1));
        }
      } else if (pc == '?') {
        m = more && path[j] != '/' && DP(i + 1, j + 1);
      } else if (pc == '[') {
        bool in = false;
        size_t n = more ? glob__class(pattern + i, path[j], &in) : 0;
        m = n && in && DP(i + n, j + 1);
      } else if (pc == '\\' && i + 1 < P) {
        m = more && path[j] == pattern[i + 1] && DP(i + 2, j + 1);
      } else {
        m = more && path[j] == pc && DP(i + 1, j + 1);
      }
      DP(i, j) = m;
    }
  }
  bool result = DP(0, 0);
#undef DP
  free(dp);
  return result;
}

bool glob_ignores(const char *pattern, const char *path) {
  size_t len = strlen(pattern);
  char *p = xstrdup(pattern);
  while (len > 1 && p[len - 1] == '/') p[--len] = '\0';
  const char *body = p;
  bool anchored = false;
  if (body[0] == '/') {
    body++;
    anchored = true;
  }
  if (strchr(body, '/')) anchored = true;
  char *full = NULL;
  if (!anchored) {
    full = xasprintf("**/%s", body);
    body = full;
  }
  /* The path itself, then each folder that contains it. */
  bool hit = glob_match(body, path);
  char *prefix = xstrdup(path);
  for (char *slash = strrchr(prefix, '/'); !hit && slash; slash = strrchr(prefix, '/')) {
    *slash = '\0';
    hit = glob_match(body, prefix);
  }
  free(prefix);
  free(full);
  free(p);
  return hit;
}
