/* The method handlers: params → documents/config calls → result. Thin by design: the work is
 * in documents.c, config.c and to_json.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "knowledge/kb.h"
#include "lsp/server.h"
#include "lsp/to_json.h"
#include "rules/rule.h"

#define HANDLERS__BAD_PARAMS(...)                  \
  do {                                             \
    *code = RPC_INVALID_PARAMS;                    \
    snprintf(message, cap, __VA_ARGS__);           \
    return NULL;                                   \
  } while (0)

static void handlers__client_capabilities(Server *s, json_t *caps) {
  /* positionEncoding: the client's first choice that we speak. */
  s->encoding = POS_UTF16;
  json_t *encodings = json_object_get(json_object_get(caps, "general"), "positionEncodings");
  size_t i;
  json_t *v;
  json_array_foreach(encodings, i, v) {
    if (!json_is_string(v)) continue;
    if (strcmp(json_string_value(v), "utf-8") == 0) {
      s->encoding = POS_UTF8;
      break;
    }
    if (strcmp(json_string_value(v), "utf-16") == 0) break;
  }
  json_t *text_document = json_object_get(caps, "textDocument");
  json_t *formats = json_object_get(json_object_get(text_document, "hover"), "contentFormat");
  s->client_markdown = false;
  json_array_foreach(formats, i, v) {
    if (!json_is_string(v)) continue;
    if (strcmp(json_string_value(v), "markdown") == 0) {
      s->client_markdown = true;
      break;
    }
    if (strcmp(json_string_value(v), "plaintext") == 0) break;
  }
  s->client_pull = json_is_object(json_object_get(text_document, "diagnostic"));
  json_t *workspace = json_object_get(caps, "workspace");
  s->client_configuration = json_is_true(json_object_get(workspace, "configuration"));
  s->client_refresh =
      json_is_true(json_object_get(json_object_get(workspace, "diagnostics"), "refreshSupport"));
  s->client_config_dynamic = json_is_true(json_object_get(
      json_object_get(workspace, "didChangeConfiguration"), "dynamicRegistration"));
  s->client_watch_dynamic = json_is_true(json_object_get(
      json_object_get(workspace, "didChangeWatchedFiles"), "dynamicRegistration"));
}

json_t *handlers_initialize(Server *s, json_t *params, int *code, char *message, size_t cap) {
  if (!json_is_object(params)) HANDLERS__BAD_PARAMS("initialize: params must be an object");
  handlers__client_capabilities(s, json_object_get(params, "capabilities"));
  json_t *folders = json_object_get(params, "workspaceFolders");
  size_t i;
  json_t *f;
  json_array_foreach(folders, i, f) {
    json_t *uri = json_object_get(f, "uri");
    if (json_is_string(uri)) lsp_config_add_folder(&s->config, json_string_value(uri));
  }
  json_t *root_uri = json_object_get(params, "rootUri");
  if (!s->config.folders.size && json_is_string(root_uri))
    lsp_config_add_folder(&s->config, json_string_value(root_uri));
  json_t *trace = json_object_get(params, "trace");
  if (json_is_string(trace)) {
    const char *t = json_string_value(trace);
    s->trace = strcmp(t, "verbose") == 0 ? TRACE_VERBOSE : strcmp(t, "messages") == 0 ? TRACE_MESSAGES : TRACE_OFF;
  }
  char *error = NULL;
  if (!lsp_settings_set(&s->config.init_options, json_object_get(params, "initializationOptions"), &error)) {
    server_log(s, LOG_WARNING, "initializationOptions: %s", error);
    server_show_once(s, 2, error);
    free(error);
  }
  s->state = SERVER_RUNNING;
  server_log(s, LOG_INFO, "nodehint %s: position encoding %s, hover %s, diagnostics %s, %u workspace folder(s)",
             NODEHINT_VERSION, pos_encoding_name(s->encoding),
             s->client_markdown ? "markdown" : "plaintext", s->client_pull ? "pull" : "push",
             s->config.folders.size);

  json_t *caps = json_object();
  json_object_set_new(caps, "positionEncoding", json_string(pos_encoding_name(s->encoding)));
  json_object_set_new(caps, "textDocumentSync",
                      json_pack("{s:b,s:i,s:{s:b}}", "openClose", 1, "change", 2, "save",
                                "includeText", 0));
  json_object_set_new(caps, "hoverProvider", json_true());
  if (s->client_pull)
    json_object_set_new(caps, "diagnosticProvider",
                        json_pack("{s:s,s:b,s:b}", "identifier", "nodehint", "interFileDependencies",
                                  0, "workspaceDiagnostics", 0));
  json_object_set_new(caps, "workspace",
                      json_pack("{s:{s:b,s:b}}", "workspaceFolders", "supported", 1,
                                "changeNotifications", 1));
  return json_pack("{s:o,s:{s:s,s:s}}", "capabilities", caps, "serverInfo", "name", "nodehint",
                   "version", NODEHINT_VERSION);
}

void handlers_initialized(Server *s, json_t *params) {
  json_t *registrations = json_array();
  if (s->client_config_dynamic)
    json_array_append_new(registrations, json_pack("{s:s,s:s}", "id", "nodehint-config", "method",
                                                   "workspace/didChangeConfiguration"));
  if (s->client_watch_dynamic)
    json_array_append_new(
        registrations,
        json_pack("{s:s,s:s,s:{s:[{s:s}]}}", "id", "nodehint-rc", "method",
                  "workspace/didChangeWatchedFiles", "registerOptions", "watchers", "globPattern",
                  "**/" CONFIG_FILE_NAME));
  if (json_array_size(registrations))
    server_send(s, rpc_request(s->next_id++, "client/registerCapability",
                               json_pack("{s:o}", "registrations", registrations)));
  else
    json_decref(registrations);
  server_request_configuration(s);
}

/* Applies a workspace/configuration answer: item 0 is the workspace, then one per folder. */
void handlers_response(Server *s, json_t *id, json_t *result, json_t *error) {
  for (uint32_t p = 0; p < s->pending.size; p++) {
    PendingRequest *req = &s->pending.items[p];
    if (!json_is_integer(id) || json_integer_value(id) != req->id) continue;
    if (error) {
      server_log(s, LOG_WARNING, "workspace/configuration failed; keeping the current settings");
    } else if (json_is_array(result)) {
      char *problem = NULL;
      if (!lsp_settings_set(&s->config.global, json_array_get(result, 0), &problem)) {
        server_log(s, LOG_WARNING, "%s", problem);
        server_show_once(s, 2, problem);
        free(problem);
      }
      for (size_t i = 0; req->folder_uris[i]; i++) {
        for (uint32_t f = 0; f < s->config.folders.size; f++) {
          LspFolder *folder = &s->config.folders.items[f];
          if (strcmp(folder->uri, req->folder_uris[i]) != 0) continue;
          json_t *value = json_array_get(result, i + 1);
          /* A folder answer equal to the workspace one adds nothing. */
          if (json_equal(value, json_array_get(result, 0))) value = NULL;
          if (!lsp_settings_set(&folder->settings, value, &problem)) {
            server_log(s, LOG_WARNING, "%s (folder %s)", problem, folder->uri);
            server_show_once(s, 2, problem);
            free(problem);
          }
        }
      }
      server_invalidate_all(s);
    }
    for (char **u = req->folder_uris; u && *u; u++) free(*u);
    free(req->folder_uris);
    s->pending.items[p] = s->pending.items[--s->pending.size];
    return;
  }
  /* Answers to registerCapability or refresh: nothing to do. */
  if (error) server_log(s, LOG_DEBUG, "the client answered one of our requests with an error");
}

void handlers_did_change_configuration(Server *s, json_t *params) {
  json_t *settings = json_object_get(params, "settings");
  json_t *ours = json_object_get(settings, "nodehint");
  /* Some clients send the section's content without the "nodehint" wrapper. */
  if (!ours && (json_object_get(settings, "rules") || json_object_get(settings, "hoverLanguage")))
    ours = settings;
  if (ours) {
    char *problem = NULL;
    if (!lsp_settings_set(&s->config.global, ours, &problem)) {
      server_log(s, LOG_WARNING, "%s", problem);
      server_show_once(s, 2, problem);
      free(problem);
    }
  }
  lsp_config_reload_files(&s->config);
  if (s->client_configuration) server_request_configuration(s);
  server_invalidate_all(s);
}

void handlers_did_change_folders(Server *s, json_t *params) {
  json_t *event = json_object_get(params, "event");
  size_t i;
  json_t *f;
  json_array_foreach(json_object_get(event, "removed"), i, f) {
    json_t *uri = json_object_get(f, "uri");
    if (json_is_string(uri)) lsp_config_remove_folder(&s->config, json_string_value(uri));
  }
  json_array_foreach(json_object_get(event, "added"), i, f) {
    json_t *uri = json_object_get(f, "uri");
    if (json_is_string(uri)) lsp_config_add_folder(&s->config, json_string_value(uri));
  }
  server_request_configuration(s);
  server_invalidate_all(s);
}

void handlers_did_change_watched(Server *s, json_t *params) {
  lsp_config_reload_files(&s->config);
  server_invalidate_all(s);
}

/* --- text synchronisation --- */

void handlers_did_open(Server *s, json_t *params) {
  const char *uri, *language_id, *text;
  size_t len;
  json_int_t version;
  json_error_t err;
  if (json_unpack_ex(params, &err, 0, "{s:{s:s,s:s,s:I,s:s%}}", "textDocument", "uri", &uri,
                     "languageId", &language_id, "version", &version, "text", &text, &len) != 0) {
    server_log(s, LOG_WARNING, "textDocument/didOpen: bad params (%s); ignored", err.text);
    return;
  }
  if (documents_find(&s->docs, uri)) server_log(s, LOG_WARNING, "didOpen of an open document %s: replacing it", uri);
  Document *doc = documents_open(&s->docs, uri, language_id, version, text, len);
  if (!doc->lintable) server_log(s, LOG_DEBUG, "%s (%s) is not JavaScript: not linted", uri, language_id);
}

/* Checks one contentChange: {text} or {range, text}. */
static bool handlers__change_ok(json_t *change, bool *has_range, json_int_t pos[4],
                                const char **text, size_t *len) {
  if (json_unpack(change, "{s:s%}", "text", text, len) != 0) return false;
  json_t *range = json_object_get(change, "range");
  *has_range = range != NULL;
  if (!range) return true;
  return json_unpack(range, "{s:{s:I,s:I},s:{s:I,s:I}}", "start", "line", &pos[0], "character",
                     &pos[1], "end", "line", &pos[2], "character", &pos[3]) == 0;
}

void handlers_did_change(Server *s, json_t *params) {
  const char *uri;
  json_int_t version;
  json_t *changes = NULL;
  json_error_t err;
  if (json_unpack_ex(params, &err, 0, "{s:{s:s,s:I},s:o}", "textDocument", "uri", &uri, "version",
                     &version, "contentChanges", &changes) != 0 || !json_is_array(changes)) {
    server_log(s, LOG_WARNING, "textDocument/didChange: bad params (%s); ignored",
               json_is_array(changes) ? err.text : "contentChanges must be an array");
    return;
  }
  Document *doc = documents_find(&s->docs, uri);
  if (!doc) {
    server_log(s, LOG_WARNING, "didChange for %s, which is not open; ignored", uri);
    return;
  }
  if (version <= doc->version) {
    server_log(s, LOG_WARNING, "didChange for %s with version %lld after %lld; ignored", uri,
               (long long)version, (long long)doc->version);
    return;
  }
  /* Check every change before applying any: a document is never half-updated. */
  size_t i;
  json_t *change;
  json_array_foreach(changes, i, change) {
    bool has_range;
    json_int_t pos[4];
    const char *text;
    size_t len;
    if (!handlers__change_ok(change, &has_range, pos, &text, &len)) {
      server_log(s, LOG_WARNING, "didChange for %s: change %zu is malformed; ignored", uri, i);
      return;
    }
  }
  json_array_foreach(changes, i, change) {
    bool has_range;
    json_int_t pos[4];
    const char *text;
    size_t len;
    handlers__change_ok(change, &has_range, pos, &text, &len);
    if (has_range) document_edit(doc, s->encoding, pos[0], pos[1], pos[2], pos[3], text, len);
    else document_replace(doc, text, len);
  }
  doc->version = version;
}

void handlers_did_close(Server *s, json_t *params) {
  const char *uri;
  if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri) != 0) {
    server_log(s, LOG_WARNING, "textDocument/didClose: bad params; ignored");
    return;
  }
  Document *doc = documents_find(&s->docs, uri);
  if (!doc) {
    server_log(s, LOG_WARNING, "didClose for %s, which is not open; ignored", uri);
    return;
  }
  bool lintable = doc->lintable;
  documents_close(&s->docs, uri);
  documents_release_memory();
  if (!s->client_pull && lintable)
    server_send(s, rpc_notification("textDocument/publishDiagnostics",
                                    json_pack("{s:s,s:[]}", "uri", uri, "diagnostics")));
}

void handlers_did_save(Server *s, json_t *params) {
  const char *uri;
  if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri) != 0) return;
  size_t n = strlen(uri), m = strlen(CONFIG_FILE_NAME);
  if (n > m && strcmp(uri + n - m, CONFIG_FILE_NAME) == 0 && uri[n - m - 1] == '/') {
    server_log(s, LOG_INFO, "%s saved: reloading", uri);
    lsp_config_reload_files(&s->config);
    server_invalidate_all(s);
  }
}

/* --- hover and pull diagnostics --- */

static bool handlers__position(json_t *params, const char **uri, json_int_t *line, json_int_t *character) {
  return json_unpack(params, "{s:{s:s},s:{s:I,s:I}}", "textDocument", "uri", uri, "position",
                     "line", line, "character", character) == 0;
}

static bool handlers__is_identifier(const char *type) {
  static const char *const types[] = {"identifier", "property_identifier",
                                      "shorthand_property_identifier",
                                      "shorthand_property_identifier_pattern",
                                      "private_property_identifier", "statement_identifier", NULL};
  for (const char *const *t = types; *t; t++)
    if (strcmp(type, *t) == 0) return true;
  return false;
}

json_t *handlers_hover(Server *s, json_t *params, int *code, char *message, size_t cap) {
  const char *uri;
  json_int_t line, character;
  if (!handlers__position(params, &uri, &line, &character))
    HANDLERS__BAD_PARAMS("textDocument/hover: expected {textDocument: {uri}, position: {line, character}}");
  Document *doc = documents_find(&s->docs, uri);
  if (!doc || !doc->lintable) return NULL;
  server_analyze(s, doc, false);
  size_t offset = position_to_offset(document_lines(doc), doc->text, doc->len, s->encoding, line, character);
  DocSettings settings;
  char *error = NULL;
  lsp_config_for_document(&s->config, doc->uri, doc->path, &settings, &error);
  free(error);
  KbFormat format = s->client_markdown ? KB_FORMAT_MARKDOWN : KB_FORMAT_PLAINTEXT;

  StrBuf out;
  strbuf_init(&out);
  const char *shown[8];
  size_t shown_count = 0;
  size_t range_start = 0, range_end = 0;
  bool have_range = false;
  for (uint32_t i = 0; i < doc->diags.size; i++) {
    const Diag *d = &doc->diags.items[i];
    size_t start = d->range.start_byte, end = d->range.end_byte;
    if (!(start <= offset && (offset < end || (offset == end && start == end)))) continue;
    if (!have_range) {
      range_start = start;
      range_end = end;
      have_range = true;
    }
    const char *entry_id = rule_diag_entry(d);
    const KbEntry *entry = entry_id ? kb_find(entry_id) : NULL;
    if (out.len) strbuf_puts(&out, format == KB_FORMAT_MARKDOWN ? "\n---\n\n" : "\n\n");
    if (format == KB_FORMAT_MARKDOWN)
      strbuf_printf(&out, "**nodehint** `%s`: %s\n\n", rule_infos[d->rule].id, d->message);
    else
      strbuf_printf(&out, "nodehint [%s]: %s\n\n", rule_infos[d->rule].id, d->message);
    bool seen = false;
    for (size_t k = 0; k < shown_count; k++) seen |= entry_id && strcmp(shown[k], entry_id) == 0;
    if (entry && !seen) {
      kb_render_hover(&out, entry, format, settings.hover_language);
      if (shown_count < 8) shown[shown_count++] = entry_id;
    }
  }
  document_ensure_anchors(doc, s->analyzer, &s->docs.clock);
  const AnchorHit *anchor = anchor_list_find(&doc->anchors, (uint32_t)offset);
  if (anchor) {
    bool seen = false;
    for (size_t k = 0; k < shown_count; k++) seen |= strcmp(shown[k], anchor->entry) == 0;
    const KbEntry *entry = kb_find(anchor->entry);
    if (entry && !seen) {
      if (out.len) strbuf_puts(&out, format == KB_FORMAT_MARKDOWN ? "\n---\n\n" : "\n\n");
      kb_render_hover(&out, entry, format, settings.hover_language);
    }
    range_start = anchor->start_byte;
    range_end = anchor->end_byte;
    have_range = true;
  }
  if (!out.len) {
    strbuf_fini(&out);
    return NULL;
  }
  /* The range covers the identifier under the cursor when there is one. */
  if (doc->tree) {
    TSNode root = ts_tree_root_node(doc->tree);
    TSNode node = ts_node_named_descendant_for_byte_range(root, (uint32_t)offset, (uint32_t)offset);
    if (!ts_node_is_null(node) && handlers__is_identifier(ts_node_type(node)) &&
        ts_node_start_byte(node) >= range_start && ts_node_end_byte(node) <= range_end) {
      range_start = ts_node_start_byte(node);
      range_end = ts_node_end_byte(node);
    }
  }
  json_t *result = json_pack("{s:{s:s,s:s%},s:o}", "contents", "kind",
                             format == KB_FORMAT_MARKDOWN ? "markdown" : "plaintext", "value",
                             out.data, out.len, "range",
                             to_json_range(doc, s->encoding, range_start, range_end));
  strbuf_fini(&out);
  return result;
}

json_t *handlers_diagnostic(Server *s, json_t *params, int *code, char *message, size_t cap) {
  const char *uri;
  if (json_unpack(params, "{s:{s:s}}", "textDocument", "uri", &uri) != 0)
    HANDLERS__BAD_PARAMS("textDocument/diagnostic: expected {textDocument: {uri}}");
  json_t *previous = json_object_get(params, "previousResultId");
  Document *doc = documents_find(&s->docs, uri);
  if (!doc) return json_pack("{s:s,s:[]}", "kind", "full", "items");
  server_analyze(s, doc, false);
  char result_id[24];
  json_t *items = to_json_diagnostics(doc, s->encoding, result_id);
  memcpy(doc->result_id, result_id, sizeof result_id);
  if (json_is_string(previous) && strcmp(json_string_value(previous), result_id) == 0) {
    json_decref(items);
    return json_pack("{s:s,s:s}", "kind", "unchanged", "resultId", result_id);
  }
  return json_pack("{s:s,s:s,s:o}", "kind", "full", "resultId", result_id, "items", items);
}
