/* UTF-8 validation and column conversion. Tree-sitter reports byte columns; editors and SARIF
 * count UTF-16 code units; people count characters. All conversion lives here. */
#ifndef NODEHINT_BASE_UTF_H
#define NODEHINT_BASE_UTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if text[0..len) is well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF). On false, *bad_offset is the byte offset of the first bad sequence. */
bool utf8_validate(const char *text, size_t len, size_t *bad_offset);

/* Number of UTF-16 code units in the valid UTF-8 text[0..len). A truncated trailing sequence
 * counts as one unit per byte, so the result is always defined. */
size_t utf16_length(const char *text, size_t len);

/* Byte length of the prefix of text[0..len) that covers `units` UTF-16 code units, clamped to
 * len; a count that lands inside a surrogate pair rounds up to the end of that character. */
size_t utf8_offset_of_utf16(const char *text, size_t len, size_t units);

/* The length of the longest prefix of valid UTF-8 text[0..len) that fits in `room` bytes and
 * ends on a character boundary (for cutting a quote short in a message). */
size_t utf8_truncate(const char *text, size_t len, size_t room);

/* Is the byte part of a JavaScript word: an ASCII letter, digit, `_` or `$`, or any byte of a
 * multi-byte character (identifiers may hold those)? */
static inline bool utf8_word_byte(unsigned char c) {
  return c >= 0x80 || c == '_' || c == '$' || (unsigned)((c | 32) - 'a') < 26u ||
         (unsigned)(c - '0') < 10u;
}

/* Is text[at..at+len) a whole word of text[0..text_len): no word byte right before or after? */
static inline bool utf8_whole_word(const char *text, size_t text_len, size_t at, size_t len) {
  return (at == 0 || !utf8_word_byte((unsigned char)text[at - 1])) &&
         (at + len >= text_len || !utf8_word_byte((unsigned char)text[at + len]));
}

#endif
