/* The JSON-RPC 2.0 envelope: classify an incoming frame, build responses, errors, requests and
 * notifications. Ids are echoed exactly as received (integer, real or string). */
#ifndef NODEHINT_LSP_RPC_H
#define NODEHINT_LSP_RPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum {
  RPC_PARSE_ERROR = -32700,
  RPC_INVALID_REQUEST = -32600,
  RPC_METHOD_NOT_FOUND = -32601,
  RPC_INVALID_PARAMS = -32602,
  RPC_INTERNAL_ERROR = -32603,
  RPC_SERVER_NOT_INITIALIZED = -32002,
  RPC_REQUEST_CANCELLED = -32800,
};

typedef enum RpcKind {
  RPC_REQUEST,      /* method + id */
  RPC_NOTIFICATION, /* method, no id */
  RPC_RESPONSE,     /* id + result or error: the answer to one of our requests */
  RPC_INVALID,      /* error_code/error say why; id is the request's if it had a usable one */
} RpcKind;

typedef struct RpcMessage {
  RpcKind kind;
  json_t *root;       /* owned: the parsed frame (NULL on a parse error) */
  json_t *id;         /* borrowed from root, or NULL */
  const char *method; /* borrowed from root, or NULL */
  json_t *params;     /* borrowed from root, or NULL */
  int error_code;     /* RPC_INVALID: the JSON-RPC error to answer with */
  char error[256];
} RpcMessage;

/* Parses and classifies body[0..len). Always fills *out; release with rpc_message_fini. */
void rpc_message_parse(RpcMessage *out, const char *body, size_t len);
void rpc_message_fini(RpcMessage *msg);

/* Builders: each returns a new reference. `id` is borrowed (copied); `result`/`params` are
 * stolen (NULL means JSON null for result, omitted for params). */
json_t *rpc_response(json_t *id, json_t *result);
json_t *rpc_error(json_t *id, int code, const char *message);
json_t *rpc_notification(const char *method, json_t *params);
json_t *rpc_request(long long id, const char *method, json_t *params);

/* True if two ids are equal (same type and value). */
bool rpc_id_equal(const json_t *a, const json_t *b);

#endif
