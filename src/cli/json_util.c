#include "cli/json_util.h"

#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/utf.h"

json_t *json_string_lossy(const char *s) {
  size_t len = strlen(s);
  size_t bad;
  if (utf8_validate(s, len, &bad)) return json_stringn(s, len);
  StrBuf sb;
  strbuf_init(&sb);
  size_t i = 0;
  while (i < len) {
    if (utf8_validate(s + i, len - i, &bad)) {
      strbuf_append(&sb, s + i, len - i);
      break;
    }
    strbuf_append(&sb, s + i, bad);
    strbuf_puts(&sb, "\xEF\xBF\xBD");
    i += bad + 1;
  }
  json_t *out = json_stringn(sb.data, sb.len);
  strbuf_fini(&sb);
  return out;
}

int json_write_and_free(json_t *value, FILE *out) {
  if (!value) return 0;
  int rc = json_dumpf(value, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(value);
  if (rc != 0) return 0;
  fputc('\n', out);
  return !ferror(out);
}
