/* The loop: read every frame already available, apply them in order (edits touch text and
 * tree only), then analyse and publish each changed document once. */
#include "lsp/server.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "lsp/to_json.h"

/* The most frames taken in one batch before analysing (keeps a flood from starving output). */
#define SERVER__MAX_BATCH 1024
/* …and the most bytes (parsed messages stay in memory until the batch is done). */
#define SERVER__MAX_BATCH_BYTES ((size_t)64 << 20)

void server_send(Server *s, json_t *msg) {
  if (!msg) return;
  char *body = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (!body) return;
  if (!s->output_broken && !transport_write(s->transport, body, strlen(body))) {
    s->output_broken = true;
    if (!s->options.quiet) fputs("nodehint lsp: error: output closed; stopping\n", stderr);
  }
  free(body);
}

void server_log(Server *s, LogLevel level, const char *fmt, ...) {
  if (level == LOG_DEBUG && !s->options.verbose) return;
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  static const char *const names[] = {"", "error", "warning", "info", "debug"};
  /* stderr is the server's own log, for problems: clients show it as errors (Neovim) or next
   * to window/logMessage (VS Code), so routine info goes there only with --verbose. */
  if (!s->options.quiet && (level <= LOG_WARNING || s->options.verbose))
    fprintf(stderr, "nodehint lsp: %s: %s\n", names[level], text);
  if (level <= LOG_INFO)
    server_send(s, rpc_notification("window/logMessage",
                                    json_pack("{s:i,s:s}", "type", (int)level, "message", text)));
}

void server_show_once(Server *s, int type, const char *text) {
  if (s->config_error_shown && strcmp(s->config_error_shown, text) == 0) return;
  free(s->config_error_shown);
  s->config_error_shown = xstrdup(text);
  server_send(s, rpc_notification("window/showMessage",
                                  json_pack("{s:i,s:s}", "type", type, "message", text)));
}

static void server__publish(Server *s, Document *doc) {
  char result_id[24];
  json_t *items = to_json_diagnostics(doc, s->encoding, result_id);
  memcpy(doc->result_id, result_id, sizeof result_id);
  server_send(s, rpc_notification("textDocument/publishDiagnostics",
                                  json_pack("{s:s,s:I,s:o}", "uri", doc->uri, "version",
                                            (json_int_t)doc->version, "diagnostics", items)));
}

void server_analyze(Server *s, Document *doc, bool force) {
  if (!doc->dirty && !force) return;
  DocSettings settings;
  char *error = NULL;
  if (!lsp_config_for_document(&s->config, doc->uri, doc->path, &settings, &error)) {
    server_log(s, LOG_WARNING, "%s", error);
    char *text = xasprintf("nodehint: %s (using the editor settings and defaults)", error);
    server_show_once(s, 2, text);
    free(text);
  }
  free(error);
  document_analyze(doc, s->analyzer, &settings.lint, settings.max_file_size, settings.ignored,
                   &s->docs.clock);
  documents_trim_trees(&s->docs);
  if (doc->lintable && doc->problem != INPUT_OK) {
    if (doc->problem != doc->problem_shown) {
      server_log(s, LOG_WARNING, "not linting %s: %s", doc->uri, doc->problem_reason);
      char *text = xasprintf("nodehint does not lint this file: %s", doc->problem_reason);
      server_send(s, rpc_notification("window/showMessage",
                                      json_pack("{s:i,s:s}", "type", 2, "message", text)));
      free(text);
      doc->problem_shown = doc->problem;
    }
  } else {
    doc->problem_shown = INPUT_OK;
  }
  const UnitStats *st = &doc->unit_stats;
  if (st->full)
    server_log(s, LOG_DEBUG, "analysed %s (version %lld): %u diagnostics; whole file (%s)",
               doc->uri, (long long)doc->version, doc->diags.size,
               st->full_reason ? st->full_reason : "?");
  else
    server_log(s, LOG_DEBUG,
               "analysed %s (version %lld): %u diagnostics; %u of %u top-level statements "
               "re-analysed (%u changed, %u walked, %u bytes)",
               doc->uri, (long long)doc->version, doc->diags.size, st->affected, st->units,
               st->changed, st->walked, st->walked_bytes);
  if (!s->client_pull && doc->lintable) server__publish(s, doc);
}

void server_invalidate_all(Server *s) {
  for (uint32_t i = 0; i < s->docs.docs.size; i++) s->docs.docs.items[i]->dirty = true;
  if (s->client_pull && s->client_refresh && s->state == SERVER_RUNNING)
    server_send(s, rpc_request(s->next_id++, "workspace/diagnostic/refresh", NULL));
}

void server_request_configuration(Server *s) {
  if (!s->client_configuration) return;
  /* A client that never answers must not make the list grow: forget the oldest. */
  if (s->pending.size >= 16) {
    for (char **u = s->pending.items[0].folder_uris; u && *u; u++) free(*u);
    free(s->pending.items[0].folder_uris);
    memmove(s->pending.items, s->pending.items + 1, (s->pending.size - 1) * sizeof *s->pending.items);
    s->pending.size--;
  }
  json_t *items = json_array();
  json_array_append_new(items, json_pack("{s:s}", "section", "nodehint"));
  PendingRequest p = {s->next_id++, NULL};
  p.folder_uris = xcalloc(s->config.folders.size + 1, sizeof(char *));
  for (uint32_t i = 0; i < s->config.folders.size; i++) {
    const char *uri = s->config.folders.items[i].uri;
    p.folder_uris[i] = xstrdup(uri);
    json_array_append_new(items, json_pack("{s:s,s:s}", "scopeUri", uri, "section", "nodehint"));
  }
  array_push(&s->pending, p);
  server_send(s, rpc_request(p.id, "workspace/configuration", json_pack("{s:o}", "items", items)));
}

/* --- lifecycle methods handled here --- */

static json_t *server__shutdown(Server *s, json_t *params, int *code, char *message, size_t cap) {
  s->state = SERVER_SHUTDOWN;
  server_log(s, LOG_DEBUG, "shutdown");
  return NULL;
}

static void server__exit(Server *s, json_t *params) { s->exit_requested = true; }

static void server__set_trace(Server *s, json_t *params) {
  const char *value = NULL;
  if (json_unpack(params, "{s:s}", "value", &value) != 0) {
    server_log(s, LOG_WARNING, "$/setTrace: expected {\"value\": \"off\"|\"messages\"|\"verbose\"}");
    return;
  }
  s->trace = strcmp(value, "verbose") == 0 ? TRACE_VERBOSE
             : strcmp(value, "messages") == 0 ? TRACE_MESSAGES : TRACE_OFF;
}

typedef struct Method {
  const char *name;
  RequestFn request;
  NotifyFn notify;
} Method;

static const Method server__methods[] = {
    {"initialize", handlers_initialize, NULL},
    {"shutdown", server__shutdown, NULL},
    {"textDocument/hover", handlers_hover, NULL},
    {"textDocument/diagnostic", handlers_diagnostic, NULL},
    {"initialized", NULL, handlers_initialized},
    {"exit", NULL, server__exit},
    {"$/setTrace", NULL, server__set_trace},
    {"textDocument/didOpen", NULL, handlers_did_open},
    {"textDocument/didChange", NULL, handlers_did_change},
    {"textDocument/didClose", NULL, handlers_did_close},
    {"textDocument/didSave", NULL, handlers_did_save},
    {"workspace/didChangeConfiguration", NULL, handlers_did_change_configuration},
    {"workspace/didChangeWorkspaceFolders", NULL, handlers_did_change_folders},
    {"workspace/didChangeWatchedFiles", NULL, handlers_did_change_watched},
};

static const Method *server__find(const char *name) {
  for (size_t i = 0; i < sizeof server__methods / sizeof server__methods[0]; i++)
    if (strcmp(server__methods[i].name, name) == 0) return &server__methods[i];
  return NULL;
}

static void server__trace(Server *s, const RpcMessage *msg) {
  if (s->trace == TRACE_OFF || s->state == SERVER_UNINITIALIZED) return;
  char text[300];
  if (msg->kind == RPC_REQUEST) {
    char *id = json_dumps(msg->id, JSON_ENCODE_ANY);
    snprintf(text, sizeof text, "Received request '%.200s - (%.40s)'.", msg->method, id ? id : "?");
    free(id);
  } else {
    snprintf(text, sizeof text, "Received notification '%.200s'.", msg->method);
  }
  json_t *params = json_pack("{s:s}", "message", text);
  if (s->trace == TRACE_VERBOSE && msg->params) {
    char *dump = json_dumps(msg->params, JSON_INDENT(2));
    if (dump) {
      json_object_set_new(params, "verbose", json_string(dump));
      free(dump);
    }
  }
  server_send(s, rpc_notification("$/logTrace", params));
}

static void server__request(Server *s, RpcMessage *msg, bool cancelled) {
  const Method *m = server__find(msg->method);
  if (cancelled) {
    server_send(s, rpc_error(msg->id, RPC_REQUEST_CANCELLED, "request cancelled"));
    return;
  }
  if (!m || !m->request) {
    char text[300];
    snprintf(text, sizeof text, "unknown method '%.200s'", msg->method);
    server_send(s, rpc_error(msg->id, RPC_METHOD_NOT_FOUND, text));
    return;
  }
  bool is_initialize = strcmp(msg->method, "initialize") == 0;
  if (s->state == SERVER_UNINITIALIZED && !is_initialize) {
    server_send(s, rpc_error(msg->id, RPC_SERVER_NOT_INITIALIZED, "server not initialized"));
    return;
  }
  if (s->state != SERVER_UNINITIALIZED && is_initialize) {
    server_send(s, rpc_error(msg->id, RPC_INVALID_REQUEST, "initialize was already received"));
    return;
  }
  if (s->state == SERVER_SHUTDOWN) {
    server_send(s, rpc_error(msg->id, RPC_INVALID_REQUEST, "server is shutting down"));
    return;
  }
  int code = 0;
  char message[300] = "";
  json_t *result = m->request(s, msg->params, &code, message, sizeof message);
  if (code) {
    json_decref(result);
    server_log(s, LOG_WARNING, "%s: %s", msg->method, message);
    server_send(s, rpc_error(msg->id, code, message));
  } else {
    server_send(s, rpc_response(msg->id, result));
  }
}

static void server__notification(Server *s, RpcMessage *msg) {
  const Method *m = server__find(msg->method);
  if (!m || !m->notify) {
    server_log(s, LOG_DEBUG, "ignored notification '%s'", msg->method);
    return;
  }
  bool is_exit = strcmp(msg->method, "exit") == 0;
  if (s->state == SERVER_UNINITIALIZED && !is_exit) {
    server_log(s, LOG_DEBUG, "dropped notification '%s' before initialize", msg->method);
    return;
  }
  m->notify(s, msg->params);
}

static void server__dispatch(Server *s, RpcMessage *msg, bool cancelled) {
  switch (msg->kind) {
    case RPC_INVALID:
      server_log(s, LOG_WARNING, "bad message: %s", msg->error);
      /* A notification-shaped message with bad params gets no answer. */
      if (msg->error_code == RPC_INVALID_PARAMS && !msg->id) return;
      server_send(s, rpc_error(msg->error_code == RPC_PARSE_ERROR ? NULL : msg->id,
                               msg->error_code, msg->error));
      return;
    case RPC_RESPONSE:
      handlers_response(s, msg->id, json_object_get(msg->root, "result"),
                        json_object_get(msg->root, "error"));
      return;
    case RPC_REQUEST:
      server__trace(s, msg);
      server__request(s, msg, cancelled);
      return;
    case RPC_NOTIFICATION:
      server__trace(s, msg);
      server__notification(s, msg);
      return;
  }
}

typedef Array(RpcMessage) MessageQueue;

/* How long the input must stay quiet before idle work (hover anchors) runs. */
#define SERVER__IDLE_MS 40

/* Reads one frame (blocking when block), appending it to the queue and adding its size to
 * *bytes. False at end of input. */
static bool server__read(Server *s, MessageQueue *queue, bool block, bool *got, size_t *bytes) {
  char *body = NULL;
  size_t len = 0;
  *got = false;
  switch (transport_read(s->transport, &body, &len, block)) {
    case TRANSPORT_FRAME: {
      RpcMessage msg;
      rpc_message_parse(&msg, body, len);
      free(body);
      array_push(queue, msg);
      *bytes += len;
      *got = true;
      return true;
    }
    case TRANSPORT_BAD:
      server_log(s, LOG_ERROR, "bad frame: %s", transport_error(s->transport));
      *got = true;
      return true;
    case TRANSPORT_NONE:
      return true;
    case TRANSPORT_EOF:
      if (transport_error(s->transport)[0])
        server_log(s, LOG_ERROR, "%s", transport_error(s->transport));
      return false;
  }
  return false;
}

static bool server__cancelled(const MessageQueue *queue, const RpcMessage *msg) {
  if (msg->kind != RPC_REQUEST) return false;
  for (uint32_t i = 0; i < queue->size; i++) {
    const RpcMessage *c = &queue->items[i];
    if (c->kind != RPC_NOTIFICATION || strcmp(c->method, "$/cancelRequest") != 0) continue;
    if (rpc_id_equal(json_object_get(c->params, "id"), msg->id)) return true;
  }
  return false;
}

static int server__run(Server *s) {
  MessageQueue queue = ARRAY_EMPTY;
  bool open = true;
  while (open && !s->exit_requested && !s->output_broken) {
    bool got = false;
    size_t bytes = 0;
    open = server__read(s, &queue, true, &got, &bytes);
    /* Take everything already waiting: a burst of edits is applied before one analysis. */
    while (open && got && queue.size < SERVER__MAX_BATCH && bytes < SERVER__MAX_BATCH_BYTES)
      open = server__read(s, &queue, false, &got, &bytes);
    for (uint32_t i = 0; i < queue.size && !s->exit_requested; i++)
      server__dispatch(s, &queue.items[i], server__cancelled(&queue, &queue.items[i]));
    for (uint32_t i = 0; i < queue.size; i++) rpc_message_fini(&queue.items[i]);
    array_clear(&queue);
    if (s->exit_requested || s->state == SERVER_UNINITIALIZED) continue;
    for (uint32_t i = 0; i < s->docs.docs.size; i++) {
      Document *doc = s->docs.docs.items[i];
      if (doc->dirty && !s->client_pull) server_analyze(s, doc, false);
    }
    /* Idle: hover anchors of the most recently changed document, one per round, once no
     * message has come for SERVER__IDLE_MS — between keystrokes, not in the way of the next
     * edit's diagnostics (a hover computes its document's anchors itself). */
    Document *stale = open ? documents_stale_anchors(&s->docs) : NULL;
    if (stale && !transport_wait(s->transport, SERVER__IDLE_MS))
      document_ensure_anchors(stale, s->analyzer, &s->docs.clock);
  }
  array_delete(&queue);
  if (!s->exit_requested) server_log(s, LOG_DEBUG, "end of input");
  return s->state == SERVER_SHUTDOWN ? 0 : 1;
}

static int server__serve(Transport *t, const LspOptions *options) {
  Server *s = xcalloc(1, sizeof *s);
  s->transport = t;
  s->options = *options;
  s->next_id = 1;
  documents_init(&s->docs);
  lsp_config_init(&s->config);
  int rc = 1;
  s->analyzer = analyzer_create();
  if (!s->analyzer) {
    server_log(s, LOG_ERROR, "the JavaScript grammar does not load; cannot serve");
    rc = 2;
    goto done;
  }
  rc = server__run(s);
done:
  analyzer_destroy(s->analyzer);
  documents_fini(&s->docs);
  lsp_config_fini(&s->config);
  for (uint32_t i = 0; i < s->pending.size; i++) {
    for (char **u = s->pending.items[i].folder_uris; u && *u; u++) free(*u);
    free(s->pending.items[i].folder_uris);
  }
  array_delete(&s->pending);
  free(s->config_error_shown);
  free(s);
  return rc;
}

int lsp_run_memory(const char *input, size_t len, StrBuf *out, const LspOptions *options) {
  LspOptions defaults = {0, true, false};
  Transport *t = transport_create_memory(input, len, out, options ? options->max_message_size : 0);
  int rc = server__serve(t, options ? options : &defaults);
  transport_destroy(t);
  return rc;
}

static void lsp__usage(FILE *out) {
  fputs("usage: nodehint --stdio [options]\n"
        "       nodehint lsp [--stdio] [options]\n"
        "\n"
        "Runs the language server (LSP 3.17, JSON-RPC over stdin/stdout). Logs go to stderr.\n"
        "\n"
        "options:\n"
        "  --max-message-size BYTES  the largest message accepted (default 67108864 = 64 MiB)\n"
        "  --verbose                 also log debug lines to stderr\n"
        "  --help                    show this help\n",
        out);
}

int lsp_main(int argc, char **argv) {
  LspOptions options = {0, false, false};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--stdio") == 0 || strncmp(a, "--clientProcessId", 17) == 0) continue;
    if (strcmp(a, "--verbose") == 0) {
      options.verbose = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      lsp__usage(stdout);
      return 0;
    } else if (strcmp(a, "--max-message-size") == 0 && i + 1 < argc) {
      char *end;
      unsigned long long v = strtoull(argv[++i], &end, 10);
      if (*end || v == 0 || argv[i][0] == '-') {
        fprintf(stderr, "nodehint lsp: --max-message-size: expected a positive number of bytes\n");
        return 2;
      }
      options.max_message_size = (size_t)v;
    } else {
      fprintf(stderr, "nodehint lsp: unknown option '%s'\n\n", a);
      lsp__usage(stderr);
      return 2;
    }
  }
  /* stdout carries frames only: keep a private copy of it for the transport and point fd 1 at
   * stderr, so a stray printf anywhere ends up in the log instead of corrupting the stream. */
  fflush(stdout);
  int out_fd = dup(STDOUT_FILENO);
  if (out_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    perror("nodehint lsp: dup");
    return 2;
  }
  fcntl(out_fd, F_SETFD, FD_CLOEXEC);
  signal(SIGPIPE, SIG_IGN);
  Transport *t = transport_create_fd(STDIN_FILENO, out_fd, options.max_message_size);
  int rc = server__serve(t, &options);
  transport_destroy(t);
  close(out_fd);
  return rc;
}
