/* Glob patterns of `ignore`. */
#include "check.h"
#include "cli/glob.h"

int main(void) {
  CHECK(glob_match("*.js", "a.js"));
  CHECK(!glob_match("*.js", "dir/a.js"));
  CHECK(glob_match("**/*.js", "dir/sub/a.js"));
  CHECK(glob_match("**/*.js", "a.js"));
  CHECK(glob_match("dist/**", "dist/a/b.js"));
  CHECK(glob_match("dist/**", "dist/"));
  CHECK(!glob_match("dist/**", "distx/a.js"));
  CHECK(glob_match("a?c.js", "abc.js"));
  CHECK(!glob_match("a?c.js", "a/c.js"));
  CHECK(glob_match("[abc].js", "b.js"));
  CHECK(!glob_match("[!abc].js", "b.js"));
  CHECK(glob_match("[!abc].js", "d.js"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK(glob_match("\\*.js", "*.js"));
  CHECK(!glob_match("\\*.js", "a.js"));
  CHECK(glob_match("**a**b**c**", "xxaxxbxxcxx"));
  CHECK(!glob_match("**a**b**c**d", "aaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbcccccccccccccc"));

  /* gitignore-style: names anywhere, folders cover their contents, '/' anchors */
  CHECK(glob_ignores("*.min.js", "public/js/app.min.js"));
  CHECK(glob_ignores("dist", "dist/app.js"));
  CHECK(glob_ignores("dist", "packages/web/dist/app.js"));
  CHECK(glob_ignores("dist/", "dist/app.js"));
  CHECK(!glob_ignores("/dist", "packages/web/dist/app.js"));
  CHECK(glob_ignores("/dist", "dist/app.js"));
  CHECK(glob_ignores("src/generated/**", "src/generated/a/b.js"));
  CHECK(!glob_ignores("src/generated/**", "lib/src/generated/a.js"));
  CHECK(!glob_ignores("*.min.js", "app.js"));
  CHECK(glob_ignores("vendor", "vendor"));

  CHECK(glob_valid("*.js"));
  CHECK(!glob_valid(""));
  CHECK(!glob_valid("[abc"));
  CHECK(!glob_valid("abc\\"));
  return CHECK_DONE();
}
