/* UTF-8 validation and UTF-16 column conversion. */
#include <string.h>

#include "base/utf.h"
#include "check.h"

static bool valid(const char *s, size_t len, size_t *bad) { return utf8_validate(s, len, bad); }

int main(void) {
  size_t bad = 99;
  CHECK(valid("", 0, &bad));
  CHECK(valid("abc", 3, &bad));
  CHECK(valid("回调地狱", strlen("回调地狱"), &bad));
  CHECK(valid("\xF0\x9F\x98\x80", 4, &bad)); /* U+1F600 */
  CHECK(!valid("ab\xC3", 3, &bad) && bad == 2);          /* truncated */
  CHECK(!valid("\xC0\xAF", 2, &bad) && bad == 0);        /* overlong '/' */
  CHECK(!valid("x\xE0\x80\xAF", 4, &bad) && bad == 1);   /* overlong 3-byte */
  CHECK(!valid("\xED\xA0\x80", 3, &bad) && bad == 0);    /* surrogate U+D800 */
  CHECK(!valid("\xF4\x90\x80\x80", 4, &bad) && bad == 0); /* past U+10FFFF */
  CHECK(!valid("ok\xFF", 3, &bad) && bad == 2);
  CHECK(!valid("\x80", 1, &bad) && bad == 0);            /* lone continuation */

  CHECK(utf16_length("abc", 3) == 3);
  CHECK(utf16_length("回调", 6) == 2);
  CHECK(utf16_length("\xF0\x9F\x98\x80x", 5) == 3); /* surrogate pair + x */
  CHECK(utf16_length("\xE5\x9B", 2) == 2);          /* truncated: one unit per byte */

  const char *s = "a\xF0\x9F\x98\x80" "b回c";
  size_t len = strlen(s);
  CHECK(utf8_offset_of_utf16(s, len, 0) == 0);
  CHECK(utf8_offset_of_utf16(s, len, 1) == 1);
  CHECK(utf8_offset_of_utf16(s, len, 2) == 5); /* inside the pair: rounds to its end */
  CHECK(utf8_offset_of_utf16(s, len, 3) == 5);
  CHECK(utf8_offset_of_utf16(s, len, 4) == 6);
  CHECK(utf8_offset_of_utf16(s, len, 5) == 9);
  CHECK(utf8_offset_of_utf16(s, len, 100) == len); /* clamped */

  /* utf8_truncate never splits a character: "a回b" is 1 + 3 + 1 bytes. */
  const char *t = "a\xE5\x9B\x9E" "b";
  CHECK(utf8_truncate(t, 5, 10) == 5);
  CHECK(utf8_truncate(t, 5, 4) == 4);
  CHECK(utf8_truncate(t, 5, 3) == 1); /* would cut 回 */
  CHECK(utf8_truncate(t, 5, 2) == 1);
  CHECK(utf8_truncate(t, 5, 0) == 0);
  CHECK(utf8_truncate("\xF0\x9F\x98\x80", 4, 3) == 0);
  return CHECK_DONE();
}
