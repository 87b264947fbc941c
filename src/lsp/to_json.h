/* Analysis results → LSP JSON: Diagnostic objects, ranges, hover contents. */
#ifndef NODEHINT_LSP_TO_JSON_H
#define NODEHINT_LSP_TO_JSON_H

#include <jansson.h>

#include "analysis/diag.h"
#include "lsp/documents.h"
#include "lsp/position.h"

/* {"start": {line, character}, "end": {...}} for bytes [start, end) of the document's current
 * text. Returns a new reference. */
json_t *to_json_range(Document *doc, PosEncoding enc, size_t start, size_t end);

/* An LSP Diagnostic for `diag` (found in `doc`'s current text). Returns a new reference. */
json_t *to_json_diagnostic(Document *doc, PosEncoding enc, const Diag *diag);

/* The document's diagnostics as a JSON array (new reference), and the resultId that names this
 * exact content (a hash written into result_id[24]). */
json_t *to_json_diagnostics(Document *doc, PosEncoding enc, char result_id[24]);

/* 1 error, 2 warning, 3 information, 4 hint. */
int to_json_severity(Severity severity);

#endif
