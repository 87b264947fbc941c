/* Renders a knowledge-base entry for people: the hover text the LSP sends, what
 * `nodehint explain` prints and the help of SARIF rules. One renderer, so every surface quotes
 * the entry the same way. */
#ifndef NODEHINT_KNOWLEDGE_RENDER_H
#define NODEHINT_KNOWLEDGE_RENDER_H

#include <stdbool.h>

#include "base/strbuf.h"
#include "knowledge/kb.h"

typedef enum KbLanguage {
  KB_LANG_BOTH = 0, /* the verbatim Chinese quote, then the English translation (default) */
  KB_LANG_ZH,       /* the Chinese quote only (notes and links are in English) */
  KB_LANG_EN,       /* the English translation only (the Chinese quote where there is none) */
} KbLanguage;

typedef enum KbFormat {
  KB_FORMAT_MARKDOWN = 0,
  KB_FORMAT_PLAINTEXT,
} KbFormat;

/* Parses "both" | "zh" | "en"; false (and *out untouched) if unknown or NULL. */
bool kb_language_parse(const char *name, KbLanguage *out);

/* Appends `entry` rendered for a hover.
 *
 * Markdown: the verbatim question as a `###` heading (Markdown punctuation backslash-escaped,
 * which renders as the same text), the verbatim answer as a blockquote (`> ` before every line;
 * code fences keep working inside, and one left open is closed), the English question (bold)
 * and answer, "Notes for current Node.js" as a list with links, the rules that quote
 * the entry, and a link to the docs. With KB_LANG_EN the heading is the English question and
 * the Chinese question closes the text.
 *
 * Plain text: the same parts without markup; quoted answers are indented by two spaces.
 * Ends with exactly one newline. */
void kb_render_hover(StrBuf *out, const KbEntry *entry, KbFormat format, KbLanguage lang);

/* Appends `text` with Markdown's ASCII punctuation that could start markup backslash-escaped
 * (it renders as `text`). */
void kb_render_md_escape(StrBuf *out, const char *text);

/* Appends `text` as a Markdown blockquote (see kb_render_hover). */
void kb_render_md_quote(StrBuf *out, const char *text);

#endif
