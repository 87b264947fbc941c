#include "base/utf.h"

bool utf8_validate(const char *text, size_t len, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      cp = c & 0x07;
    } else {
      goto bad;
    }
    if (len - i <= need) goto bad;
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) goto bad;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      goto bad;
    i += need + 1;
  }
  return true;
bad:
  if (bad_offset) *bad_offset = i;
  return false;
}

/* Length in bytes of the UTF-8 sequence that starts with lead byte c (1 for stray bytes). */
static size_t utf__seq_len(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

size_t utf16_length(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t units = 0;
  for (size_t i = 0; i < len;) {
    size_t n = utf__seq_len(s[i]);
    if (i + n > len) {
      units += len - i;
      break;
    }
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units;
}

size_t utf8_offset_of_utf16(const char *text, size_t len, size_t units) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, seen = 0;
  while (i < len && seen < units) {
    size_t n = utf__seq_len(s[i]);
    if (i + n > len) n = len - i;
    seen += n == 4 ? 2 : 1;
    i += n;
  }
  return i;
}

size_t utf8_truncate(const char *text, size_t len, size_t room) {
  size_t used = len < room ? len : room;
  if (used > 0 && ((unsigned char)text[used - 1] & 0x80)) {
    size_t start = used - 1;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80) start--;
    unsigned char lead = (unsigned char)text[start];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (used - start < need) used = start;
  }
  return used;
}
