#include "lsp/rpc.h"

#include <stdio.h>
#include <string.h>

static bool rpc__id_usable(const json_t *id) {
  return json_is_string(id) || json_is_integer(id) || json_is_real(id);
}

void rpc_message_parse(RpcMessage *out, const char *body, size_t len) {
  memset(out, 0, sizeof *out);
  out->kind = RPC_INVALID;
  json_error_t jerr;
  /* JSON_ALLOW_NUL: a document holding "\u0000" is a valid message (a binary file), handled
   * later by the input check rather than refused as a parse error. */
  out->root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
  if (!out->root) {
    out->error_code = RPC_PARSE_ERROR;
    snprintf(out->error, sizeof out->error, "parse error at line %d, column %d: %.160s", jerr.line,
             jerr.column, jerr.text);
    return;
  }
  out->error_code = RPC_INVALID_REQUEST;
  if (!json_is_object(out->root)) {
    snprintf(out->error, sizeof out->error, "a message must be a JSON object");
    return;
  }
  json_t *id = json_object_get(out->root, "id");
  if (id && rpc__id_usable(id)) out->id = id;
  json_t *version = json_object_get(out->root, "jsonrpc");
  if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0) {
    snprintf(out->error, sizeof out->error, "\"jsonrpc\" must be \"2.0\"");
    return;
  }
  if (id && !rpc__id_usable(id) && !json_is_null(id)) {
    snprintf(out->error, sizeof out->error, "\"id\" must be a number or a string");
    return;
  }
  json_t *method = json_object_get(out->root, "method");
  if (!method) {
    if (out->id && (json_object_get(out->root, "result") || json_object_get(out->root, "error"))) {
      out->kind = RPC_RESPONSE;
      return;
    }
    snprintf(out->error, sizeof out->error, "a request needs a \"method\"");
    return;
  }
  if (!json_is_string(method)) {
    snprintf(out->error, sizeof out->error, "\"method\" must be a string");
    return;
  }
  json_t *params = json_object_get(out->root, "params");
  if (params && !json_is_object(params) && !json_is_array(params) && !json_is_null(params)) {
    out->method = json_string_value(method);
    out->error_code = RPC_INVALID_PARAMS;
    snprintf(out->error, sizeof out->error, "\"params\" must be an object or an array");
    return;
  }
  out->method = json_string_value(method);
  out->params = params;
  out->kind = id ? RPC_REQUEST : RPC_NOTIFICATION;
  if (id && json_is_null(id)) {
    out->kind = RPC_INVALID;
    snprintf(out->error, sizeof out->error, "\"id\" must be a number or a string");
  }
}

void rpc_message_fini(RpcMessage *msg) {
  json_decref(msg->root);
  memset(msg, 0, sizeof *msg);
}

static json_t *rpc__envelope(void) {
  json_t *o = json_object();
  json_object_set_new(o, "jsonrpc", json_string("2.0"));
  return o;
}

json_t *rpc_response(json_t *id, json_t *result) {
  json_t *o = rpc__envelope();
  json_object_set_new(o, "id", id ? json_deep_copy(id) : json_null());
  json_object_set_new(o, "result", result ? result : json_null());
  return o;
}

json_t *rpc_error(json_t *id, int code, const char *message) {
  json_t *o = rpc__envelope();
  json_object_set_new(o, "id", id ? json_deep_copy(id) : json_null());
  json_object_set_new(o, "error", json_pack("{s:i,s:s}", "code", code, "message", message));
  return o;
}

json_t *rpc_notification(const char *method, json_t *params) {
  json_t *o = rpc__envelope();
  json_object_set_new(o, "method", json_string(method));
  if (params) json_object_set_new(o, "params", params);
  return o;
}

json_t *rpc_request(long long id, const char *method, json_t *params) {
  json_t *o = rpc__envelope();
  json_object_set_new(o, "id", json_integer(id));
  json_object_set_new(o, "method", json_string(method));
  if (params) json_object_set_new(o, "params", params);
  return o;
}

bool rpc_id_equal(const json_t *a, const json_t *b) {
  if (!a || !b) return false;
  return json_equal((json_t *)a, (json_t *)b);
}
