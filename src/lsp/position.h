/* LSP positions ↔ byte offsets. LSP lines end at "\n", "\r\n" or a lone "\r"; characters count
 * UTF-16 code units (default) or UTF-8 bytes (when negotiated). Every conversion clamps: a line
 * past the end lands at the end of the text, a character past the end of its line lands at the
 * end of that line (before the terminator), and a UTF-16 position inside a surrogate pair rounds
 * up to the end of that character. Tree-sitter points (rows split at "\n" only, byte columns)
 * are computed separately for ts_tree_edit. */
#ifndef NODEHINT_LSP_POSITION_H
#define NODEHINT_LSP_POSITION_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "base/array.h"

typedef enum PosEncoding {
  POS_UTF16 = 0,
  POS_UTF8,
} PosEncoding;

/* The LSP name: "utf-16" or "utf-8". */
const char *pos_encoding_name(PosEncoding enc);

/* Byte offsets where each LSP line starts; starts[0] == 0. Embedded: line_index_init/_fini. */
typedef struct LineIndex {
  Array(size_t) starts;
} LineIndex;

void line_index_init(LineIndex *index);
void line_index_fini(LineIndex *index);
/* Rebuilds the index for text[0..len). */
void line_index_build(LineIndex *index, const char *text, size_t len);

/* The byte offset of an LSP position (any int64, negative included), clamped into the text. */
size_t position_to_offset(const LineIndex *index, const char *text, size_t len, PosEncoding enc,
                          int64_t line, int64_t character);

/* The LSP position of a byte offset (clamped to len; an offset inside a line terminator maps
 * to the end of that line's content). */
void position_from_offset(const LineIndex *index, const char *text, size_t len, PosEncoding enc,
                          size_t offset, uint32_t *line, uint32_t *character);

/* The tree-sitter point of a byte offset (offset <= len): row = "\n" count before it, column =
 * bytes since the last "\n". */
TSPoint position_ts_point(const char *text, size_t offset);

/* The point reached from `start` after inserting text[0..len). */
TSPoint position_ts_point_advance(TSPoint start, const char *text, size_t len);

#endif
