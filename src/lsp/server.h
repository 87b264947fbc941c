/* The server: lifecycle state, the method table, the read → apply → analyse → publish loop.
 * Internal to src/lsp (handlers.c shares the Server struct through this header). */
#ifndef NODEHINT_LSP_SERVER_H
#define NODEHINT_LSP_SERVER_H

#include <jansson.h>
#include <stdbool.h>

#include "analysis/analyze.h"
#include "knowledge/render.h"
#include "lsp/config.h"
#include "lsp/documents.h"
#include "lsp/lsp.h"
#include "lsp/position.h"
#include "lsp/rpc.h"
#include "lsp/transport.h"

typedef enum ServerState {
  SERVER_UNINITIALIZED,
  SERVER_RUNNING,
  SERVER_SHUTDOWN,
} ServerState;

typedef enum TraceLevel { TRACE_OFF, TRACE_MESSAGES, TRACE_VERBOSE } TraceLevel;

typedef enum LogLevel { LOG_ERROR = 1, LOG_WARNING = 2, LOG_INFO = 3, LOG_DEBUG = 4 } LogLevel;

typedef struct PendingRequest {
  long long id;
  char **folder_uris; /* owned: workspace/configuration items after the first (NULL-ended) */
} PendingRequest;

typedef struct Server {
  Transport *transport; /* borrowed */
  LspOptions options;
  ServerState state;
  bool exit_requested;
  bool output_broken;
  PosEncoding encoding;
  /* What the client said it supports. */
  bool client_markdown, client_pull, client_configuration, client_refresh;
  bool client_config_dynamic, client_watch_dynamic;
  TraceLevel trace;
  Analyzer *analyzer; /* owned */
  DocumentStore docs;
  LspConfig config;
  char *config_error_shown; /* owned: the last settings/.nodehintrc.json problem shown */
  long long next_id;
  Array(PendingRequest) pending;
} Server;

/* Sends a message (steals `msg`). */
void server_send(Server *s, json_t *msg);
/* Logs to stderr and, at LOG_INFO or above, to the client (window/logMessage). */
void server_log(Server *s, LogLevel level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* window/showMessage, once per distinct text in a row. */
void server_show_once(Server *s, int type, const char *text);

/* Analyses a document if stale, and publishes (push mode) its diagnostics. */
void server_analyze(Server *s, Document *doc, bool force);
/* Marks every open document stale (settings changed); they are analysed at the end of the
 * batch (push) or the client is asked to pull again (pull). */
void server_invalidate_all(Server *s);
/* Asks the client for the "nodehint" section (workspace/configuration), if it can answer. */
void server_request_configuration(Server *s);

/* Handlers (handlers.c). A request handler returns its result (new reference; NULL for JSON
 * null) or sets *code and message to answer with an error. */
typedef json_t *(*RequestFn)(Server *s, json_t *params, int *code, char *message, size_t cap);
typedef void (*NotifyFn)(Server *s, json_t *params);

json_t *handlers_initialize(Server *s, json_t *params, int *code, char *message, size_t cap);
json_t *handlers_hover(Server *s, json_t *params, int *code, char *message, size_t cap);
json_t *handlers_diagnostic(Server *s, json_t *params, int *code, char *message, size_t cap);
void handlers_did_open(Server *s, json_t *params);
void handlers_did_change(Server *s, json_t *params);
void handlers_did_close(Server *s, json_t *params);
void handlers_did_save(Server *s, json_t *params);
void handlers_did_change_configuration(Server *s, json_t *params);
void handlers_did_change_folders(Server *s, json_t *params);
void handlers_did_change_watched(Server *s, json_t *params);
void handlers_initialized(Server *s, json_t *params);
/* A response to one of our requests. */
void handlers_response(Server *s, json_t *id, json_t *result, json_t *error);

#endif
