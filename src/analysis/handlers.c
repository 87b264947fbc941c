#include "analysis/handlers.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"

static const char *const handlers__route_methods[] = {
    "get", "post", "put", "delete", "del", "patch", "all", "use", "options", "head", NULL,
};
static const char *const handlers__listen_methods[] = {
    "on", "addListener", "once", "prependListener", "prependOnceListener", NULL,
};
static const char *const handlers__server_factories[] = {
    "http.createServer", "https.createServer", "http2.createServer", "http2.createSecureServer",
    NULL,
};
/* Modules whose apps and routers take request handlers. */
static const char *const handlers__frameworks[] = {
    "express", "router", "koa", "koa-router", "@koa/router", "fastify", "polka", "restify",
    "connect", NULL,
};

static bool handlers__word_in(const char *word, const char *const *words) {
  for (; *words; words++)
    if (strcmp(word, *words) == 0) return true;
  return false;
}

static bool handlers__is_req(const char *s) {
  static const char *const names[] = {"req", "request", "_req", "_request", NULL};
  return handlers__word_in(s, names);
}
static bool handlers__is_res(const char *s) {
  static const char *const names[] = {"res", "response", "resp", "reply",
                                      "_res", "_response", "_reply", NULL};
  return handlers__word_in(s, names);
}
static bool handlers__is_err(const char *s) {
  static const char *const names[] = {"err", "error", "er", "e", "_err", NULL};
  return handlers__word_in(s, names);
}
static bool handlers__is_ctx(const char *s) {
  static const char *const names[] = {"ctx", "context", NULL};
  return handlers__word_in(s, names);
}

/* (req, res) — or ({ url }, res) — in that order: the shape of a Node request listener. */
static bool handlers__req_res(Analysis *an, TSNode fn) {
  char p0[32] = "", p1[32] = "";
  node_function_param_name(an, fn, 0, p0, sizeof p0);
  node_function_param_name(an, fn, 1, p1, sizeof p1);
  bool p0_pattern = node_kind(an, node_function_param(an, fn, 0)) == NK_OBJECT_PATTERN;
  return (handlers__is_req(p0) || p0_pattern) && handlers__is_res(p1);
}

/* Does the parameter list read like a request handler's? Sets *framework to a guess. */
static bool handlers__signature(Analysis *an, TSNode fn, const char **framework) {
  char p0[32] = "", p1[32] = "", p2[32] = "";
  node_function_param_name(an, fn, 0, p0, sizeof p0);
  node_function_param_name(an, fn, 1, p1, sizeof p1);
  node_function_param_name(an, fn, 2, p2, sizeof p2);
  if (handlers__req_res(an, fn)) {
    *framework = strstr(p1, "reply") ? "fastify" : "express";
    return true;
  }
  if (handlers__is_err(p0) && handlers__is_req(p1) && handlers__is_res(p2)) {
    *framework = "express";
    return true;
  }
  if (handlers__is_ctx(p0)) {
    *framework = "koa";
    return true;
  }
  return false;
}

/* The framework module of a qualified receiver like "express()" or "express.Router()". */
static bool handlers__known_app(const char *qualified, char *framework, size_t cap) {
  if (!strstr(qualified, "()")) return false;
  size_t root_len = strcspn(qualified, ".(");
  char root[64];
  if (root_len == 0 || root_len >= sizeof root) return false;
  memcpy(root, qualified, root_len);
  root[root_len] = '\0';
  if (!handlers__word_in(root, handlers__frameworks)) return false;
  snprintf(framework, cap, "%.*s", (int)(cap - 1), root);
  return true;
}

static void handlers__first_arg_path(Analysis *an, TSNode call, char *buf, size_t cap) {
  TSNode args = node_field(call, an->syms->f_arguments);
  TSNode first = ts_node_named_child(args, 0);
  if (!node_string_value(an, first, buf, cap)) buf[0] = '\0';
}

static void handlers__upper(char *dst, size_t cap, const char *src) {
  size_t i = 0;
  for (; src[i] && i + 1 < cap; i++) dst[i] = (char)toupper((unsigned char)src[i]);
  dst[i] = '\0';
}

/* The value of property `key` of an object literal, or a null node. */
static TSNode handlers__object_value(Analysis *an, TSNode object, const char *key) {
  uint32_t n = ts_node_named_child_count(object);
  for (uint32_t i = 0; i < n; i++) {
    TSNode pair = ts_node_named_child(object, i);
    if (node_kind(an, pair) == NK_PAIR && node_text_eq(an, node_field(pair, an->syms->f_key), key))
      return node_field(pair, an->syms->f_value);
  }
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  return null_node;
}

/* Property `key` of an object literal, if its value is a plain string. */
static bool handlers__object_string(Analysis *an, TSNode object, const char *key, char *buf,
                                    size_t cap) {
  return node_string_value(an, handlers__object_value(an, object, key), buf, cap);
}

/* Property `key` of an object literal, if its value is an array of plain strings:
 * `method: ['GET', 'HEAD']` gives "GET/HEAD". False if it does not fit. */
static bool handlers__object_strings(Analysis *an, TSNode object, const char *key, char *buf,
                                     size_t cap) {
  TSNode array = handlers__object_value(an, object, key);
  if (node_kind(an, array) != NK_ARRAY) return false;
  size_t len = 0;
  uint32_t m = ts_node_named_child_count(array);
  for (uint32_t k = 0; k < m; k++) {
    TSNode item = ts_node_named_child(array, k);
    if (node_kind(an, item) == NK_COMMENT) continue;
    char one[24];
    if (!node_string_value(an, item, one, sizeof one)) return false;
    int w = snprintf(buf + len, cap - len, "%s%s", len ? "/" : "", one);
    if (w < 0 || (size_t)w >= cap - len) return false;
    len += (size_t)w;
  }
  return len > 0;
}

/* Is `fn`, passed to `call` at position `arg_index` (or as its `handler:` property), a
 * request handler? `scope` is where the call is. */
static bool handlers__classify(Analysis *an, TSNode call, uint32_t scope, uint8_t arg_index,
                               bool via_handler_prop, TSNode fn, HandlerInfo *info) {
  const Syms *sy = an->syms;
  memset(info, 0, sizeof *info);
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  StrBuf q;
  strbuf_init(&q);
  bool result = false;
  if (!via_handler_prop && modules_qualify(an, callee, scope, &q) &&
      handlers__word_in(q.data, handlers__server_factories)) {
    size_t module_len = strcspn(q.data, ".");
    snprintf(info->framework, sizeof info->framework, "%.*s", (int)module_len, q.data);
    snprintf(info->method, sizeof info->method, "%s", q.data + module_len + 1);
    result = true;
    goto done;
  }
  if (node_kind(an, callee) != NK_MEMBER) goto done;
  TSNode prop = node_field(callee, sy->f_property);
  TSNode object = node_field(callee, sy->f_object);
  char method[32];
  if (node_kind(an, prop) != NK_PROPERTY_IDENTIFIER ||
      !node_text_copy(an, prop, method, sizeof method))
    goto done;
  strbuf_clear(&q);
  bool object_known = modules_qualify(an, object, scope, &q);
  char framework[24] = "";
  const char *guess = NULL;

  if (via_handler_prop) {
    /* fastify.route({ method, url, handler }) and hapi's server.route({ method, path, handler }) */
    if (strcmp(method, "route") != 0) goto done;
    if (!(object_known && handlers__known_app(q.data, framework, sizeof framework)) &&
        !handlers__signature(an, fn, &guess) &&
        node_function_param_count(an, fn) < 1)
      goto done;
    snprintf(info->framework, sizeof info->framework, "%s", framework[0] ? framework : "route");
    TSNode args = node_field(call, sy->f_arguments);
    TSNode options = ts_node_named_child(args, 0);
    char text[96];
    if (handlers__object_string(an, options, "method", text, sizeof text) ||
        handlers__object_strings(an, options, "method", text, sizeof text))
      handlers__upper(info->method, sizeof info->method, text);
    if (handlers__object_string(an, options, "url", text, sizeof text) ||
        handlers__object_string(an, options, "path", text, sizeof text))
      snprintf(info->path, sizeof info->path, "%s", text);
    result = true;
    goto done;
  }

  if (handlers__word_in(method, handlers__listen_methods)) {
    TSNode args = node_field(call, sy->f_arguments);
    char event[32];
    if (arg_index != 1 || !node_string_value(an, ts_node_named_child(args, 0), event, sizeof event) ||
        strcmp(event, "request") != 0)
      goto done;
    bool server = object_known && (strstr(q.data, "createServer()") || strstr(q.data, "createSecureServer()"));
    /* Electron's ipcMain, socket.io sockets and other emitters have 'request' events too;
     * on a receiver not known to be a server, only a (req, res) listener is one. */
    if (!server && !handlers__req_res(an, fn)) goto done;
    snprintf(info->framework, sizeof info->framework, "request event");
    result = true;
    goto done;
  }

  if (!handlers__word_in(method, handlers__route_methods)) goto done;
  /* app.route('/x').get(f).post(g): the path and the app are on the route() call, possibly
   * several route-method calls down the chain. Bounded: long chains are not followed. */
  TSNode route_call = node_unparen(an, object);
  bool chained_route = false;
  for (int hop = 0; hop < 16 && node_kind(an, route_call) == NK_CALL; hop++) {
    TSNode inner = node_unparen(an, node_field(route_call, sy->f_function));
    if (node_kind(an, inner) != NK_MEMBER) break;
    TSNode inner_prop = node_field(inner, sy->f_property);
    if (node_text_eq(an, inner_prop, "route")) {
      chained_route = true;
      strbuf_clear(&q);
      object_known = modules_qualify(an, node_field(inner, sy->f_object), scope, &q);
      break;
    }
    char link[16];
    if (node_kind(an, inner_prop) != NK_PROPERTY_IDENTIFIER ||
        !node_text_copy(an, inner_prop, link, sizeof link) ||
        !handlers__word_in(link, handlers__route_methods))
      break;
    route_call = node_unparen(an, node_field(inner, sy->f_object));
  }
  bool is_use = strcmp(method, "use") == 0;
  if (!is_use && !chained_route && arg_index < 1) goto done; /* the path comes first */
  bool known = object_known && handlers__known_app(q.data, framework, sizeof framework);
  if (!known && !handlers__signature(an, fn, &guess)) goto done;
  snprintf(info->framework, sizeof info->framework, "%s", known ? framework : guess);
  if (is_use)
    snprintf(info->method, sizeof info->method, "use");
  else
    handlers__upper(info->method, sizeof info->method, method);
  if (chained_route)
    handlers__first_arg_path(an, route_call, info->path, sizeof info->path);
  else if (!is_use || arg_index >= 1)
    handlers__first_arg_path(an, call, info->path, sizeof info->path);
  result = true;
done:
  strbuf_fini(&q);
  return result;
}

/* Does argument `arg` need resolving after the walk? A name (`app.get('/', list)`), an array
 * of handlers (`app.get('/', [auth, list])`) or a wrapper call (`asyncHandler(async (req, res)
 * => …)`): the walk records only a function's immediate call, not these. */
static bool handlers__indirect_arg(Analysis *an, TSNode arg) {
  switch (node_kind(an, arg)) {
    case NK_IDENTIFIER:
    case NK_ARRAY:
      return true;
    case NK_CALL:
      return node_kind(an, node_unparen(an, node_field(arg, an->syms->f_function))) ==
             NK_IDENTIFIER;
    default:
      return false;
  }
}

void handlers_note_call(Analysis *an, TSNode call) {
  const Syms *sy = an->syms;
  TSNode args = node_field(call, sy->f_arguments);
  if (node_kind(an, args) != NK_ARGUMENTS) return;
  uint32_t n = ts_node_named_child_count(args);
  if (n == 0 || n > 16) return;
  bool indirect = false;
  for (uint32_t i = 0; i < n && !indirect; i++)
    indirect = handlers__indirect_arg(an, ts_node_named_child(args, i));
  if (!indirect) return;
  char name[32];
  if (!node_callee_name(an, node_field(call, sy->f_function), name, sizeof name)) return;
  if (!handlers__word_in(name, handlers__route_methods) &&
      !handlers__word_in(name, handlers__listen_methods) && strcmp(name, "createServer") != 0 &&
      strcmp(name, "createSecureServer") != 0)
    return;
  array_push(&an->named_handler_refs, ((NamedHandlerRef){call, analysis_scope(an)}));
}

/* The FuncInfo of a function node, by binary search on start byte (funcs are recorded in
 * document order). */
static uint32_t handlers__func_of_node(const Analysis *an, TSNode fn) {
  uint32_t start = ts_node_start_byte(fn);
  uint32_t lo = 0, hi = an->funcs.size;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t s = ts_node_start_byte(an->funcs.items[mid].node);
    if (s < start) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo; i < an->funcs.size && ts_node_start_byte(an->funcs.items[i].node) == start; i++)
    if (ts_node_eq(an->funcs.items[i].node, fn)) return i;
  return NONE;
}

static void handlers__mark(Analysis *an, uint32_t func, const HandlerInfo *info) {
  FuncInfo *f = &an->funcs.items[func];
  if (f->handler == 1) return;
  f->handler = 1;
  f->handler_info = an->handler_infos.size;
  array_push(&an->handler_infos, *info);
}

/* The FuncInfo of `node` when it is a function, or a name bound (once) to a function of this
 * file; NONE otherwise. */
static uint32_t handlers__func_of_expr(Analysis *an, TSNode node, uint32_t scope) {
  node = node_unparen(an, node);
  if (node_is_function(an, node)) return handlers__func_of_node(an, node);
  if (node_kind(an, node) != NK_IDENTIFIER) return NONE;
  uint32_t b = scope_lookup_node(an, scope, node);
  if (b == NONE) return NONE;
  const Binding *binding = &an->bindings.items[b];
  if (binding->flags & BINDING_REASSIGNED) return NONE;
  if (binding->func != NONE) return binding->func;
  if (!binding->path && node_is_function(an, node_unparen(an, binding->value)))
    return handlers__func_of_node(an, node_unparen(an, binding->value));
  return NONE;
}

/* Marks `func` if, standing at position `index` of `ref.call`, it is a handler. A function
 * handed to a wrapper (`asyncHandler(fn)`) only stands there indirectly: what the wrapper
 * does with it is unknown, so it must also read like a handler itself. */
static void handlers__try_mark(Analysis *an, NamedHandlerRef ref, uint32_t index, uint32_t func,
                               bool wrapped) {
  if (func == NONE) return;
  TSNode fn = an->funcs.items[func].node;
  const char *guess = NULL;
  if (wrapped && !handlers__signature(an, fn, &guess)) return;
  HandlerInfo info;
  if (handlers__classify(an, ref.call, ref.scope, (uint8_t)index, false, fn, &info))
    handlers__mark(an, func, &info);
}

static void handlers__resolve_named(Analysis *an) {
  an->named_handlers_resolved = true;
  for (uint32_t r = 0; r < an->named_handler_refs.size; r++) {
    NamedHandlerRef ref = an->named_handler_refs.items[r];
    TSNode args = node_field(ref.call, an->syms->f_arguments);
    uint32_t n = ts_node_named_child_count(args);
    for (uint32_t i = 0, index = 0; i < n && index < 255; i++) {
      TSNode arg = ts_node_named_child(args, i);
      NodeKind kind = node_kind(an, arg);
      if (kind == NK_COMMENT) continue;
      if (kind == NK_IDENTIFIER) {
        handlers__try_mark(an, ref, index, handlers__func_of_expr(an, arg, ref.scope), false);
      } else if (kind == NK_ARRAY || (kind == NK_CALL && handlers__indirect_arg(an, arg))) {
        /* One level only: the elements of an array of handlers, the arguments of a wrapper
         * call. Wrappers of wrappers are not followed. */
        TSNode list = kind == NK_ARRAY ? arg : node_field(arg, an->syms->f_arguments);
        uint32_t m = ts_node_named_child_count(list);
        for (uint32_t k = 0; k < m && k < 64; k++)
          handlers__try_mark(an, ref, index,
                             handlers__func_of_expr(an, ts_node_named_child(list, k), ref.scope),
                             kind == NK_CALL);
      }
      index++;
    }
  }
}

/* Handlers handed out rather than registered: returned from a middleware factory (`return
 * function (req, res, next) {…}` — serve-static, body-parser, http-server, live-server all
 * look like this), or exported from a controller module (`exports.list = (req, res) => …`,
 * `module.exports = …`, `export default function handler(req, res)`). The registration is
 * in another file, so only the parameter list can tell: (req, res[, next]) or
 * (err, req, res, next), names that are little used for anything else. Koa's (ctx) is not
 * enough on its own here: `ctx` is also a canvas, a test context, … */
static bool handlers__handed_out(Analysis *an, uint32_t func, HandlerInfo *info) {
  const Syms *sy = an->syms;
  const FuncInfo *f = &an->funcs.items[func];
  NodeKind kind = node_kind(an, f->node);
  if (kind != NK_FUNCTION_EXPRESSION && kind != NK_ARROW_FUNCTION &&
      kind != NK_FUNCTION_DECLARATION)
    return false;
  uint32_t count = node_function_param_count(an, f->node);
  if (count < 2 || count > 4) return false;
  char p[4][32] = {"", "", "", ""};
  for (uint32_t i = 0; i < count; i++) node_function_param_name(an, f->node, i, p[i], sizeof p[i]);
  bool shaped = count == 4 ? handlers__is_err(p[0]) && handlers__is_req(p[1]) &&
                                 handlers__is_res(p[2]) && strcmp(p[3], "next") == 0
                           : handlers__req_res(an, f->node) &&
                                 (count == 2 || strcmp(p[2], "next") == 0);
  if (!shaped) return false;
  memset(info, 0, sizeof *info);
  TSNode parent = f->up[0];
  NodeKind parent_kind = node_kind(an, parent);
  TSNode name = node_field(f->node, sy->f_name);
  if (kind != NK_FUNCTION_DECLARATION) {
    bool returned = parent_kind == NK_RETURN ||
                    (node_kind(an, parent) == NK_ARROW_FUNCTION &&
                     ts_node_eq(node_field(parent, sy->f_body), f->node));
    if (returned && f->parent != NONE) {
      /* Name the factory when it has one: `function serveStatic(root) { return … }`,
       * `const auth = (file) => (req, res, next) => …`. */
      snprintf(info->framework, sizeof info->framework, "factory");
      TSNode factory = an->funcs.items[f->parent].node;
      TSNode factory_name = node_field(factory, sy->f_name);
      TSNode holder = an->funcs.items[f->parent].up[0];
      if (ts_node_is_null(factory_name) && node_kind(an, holder) == NK_VARIABLE_DECLARATOR &&
          ts_node_eq(node_field(holder, sy->f_value), factory))
        factory_name = node_field(holder, sy->f_name);
      if (node_kind(an, factory_name) == NK_IDENTIFIER)
        node_text_copy(an, factory_name, info->path, sizeof info->path);
      return true;
    }
    if (node_kind(an, parent) == NK_ASSIGNMENT &&
        ts_node_eq(node_field(parent, sy->f_right), f->node)) {
      /* module.exports = …, module.exports.list = …, exports.list = … */
      TSNode left = node_field(parent, sy->f_left);
      size_t len;
      const char *t = node_text(an, left, &len);
      bool whole = len == 14 && memcmp(t, "module.exports", 14) == 0;
      if (!whole && !(len > 15 && memcmp(t, "module.exports.", 15) == 0) &&
          !(len > 8 && memcmp(t, "exports.", 8) == 0))
        return false;
      if (!whole) name = node_field(left, sy->f_property);
      goto exported;
    }
    if (node_kind(an, parent) == NK_VARIABLE_DECLARATOR &&
        ts_node_eq(node_field(parent, sy->f_value), f->node)) {
      /* export const list = (req, res) => … */
      if (node_kind(an, f->up[2]) != NK_EXPORT_STATEMENT) return false; /* export const … */
      name = node_field(parent, sy->f_name);
      goto exported;
    }
  }
  /* export function list(req, res) {…}, export default (req, res) => … */
  if (parent_kind != NK_EXPORT_STATEMENT) return false;
exported:
  snprintf(info->framework, sizeof info->framework, "exported");
  if (node_kind(an, name) == NK_IDENTIFIER || node_kind(an, name) == NK_PROPERTY_IDENTIFIER)
    node_text_copy(an, name, info->path, sizeof info->path);
  return true;
}

const HandlerInfo *handlers_of_function(Analysis *an, uint32_t func) {
  if (func >= an->funcs.size) return NULL;
  if (!an->named_handlers_resolved) handlers__resolve_named(an);
  FuncInfo *f = &an->funcs.items[func];
  if (f->handler < 0) {
    f->handler = 0;
    HandlerInfo info;
    if (!ts_node_is_null(f->call) &&
        handlers__classify(an, f->call, f->outer_scope, f->arg_index,
                           (f->flags & FUNC_HANDLER_PROP) != 0, f->node, &info))
      handlers__mark(an, func, &info);
    else if (ts_node_is_null(f->call) && handlers__handed_out(an, func, &info))
      handlers__mark(an, func, &info);
    f = &an->funcs.items[func];
  }
  return f->handler == 1 ? &an->handler_infos.items[f->handler_info] : NULL;
}

uint32_t handlers_enclosing(Analysis *an, uint32_t func, const HandlerInfo **info) {
  for (uint32_t f = func; f != NONE && f < an->funcs.size; f = an->funcs.items[f].parent) {
    const HandlerInfo *h = handlers_of_function(an, f);
    if (h) {
      if (info) *info = h;
      return f;
    }
  }
  return NONE;
}

void handlers_describe(const HandlerInfo *info, char *buf, size_t cap) {
  if (strcmp(info->framework, "http") == 0 || strcmp(info->framework, "https") == 0 ||
      strcmp(info->framework, "http2") == 0) {
    snprintf(buf, cap, "the %s.%s request handler", info->framework, info->method);
  } else if (strcmp(info->framework, "factory") == 0) {
    /* `path` holds the factory's name here, when it has one. */
    if (info->path[0])
      snprintf(buf, cap, "the request handler %s() returns", info->path);
    else
      snprintf(buf, cap, "the request handler its factory returns");
  } else if (strcmp(info->framework, "exported") == 0) {
    /* `path` holds the exported name here, when it has one. */
    if (info->path[0])
      snprintf(buf, cap, "the exported request handler %s", info->path);
    else
      snprintf(buf, cap, "the request handler this module exports");
  } else if (strcmp(info->framework, "request event") == 0) {
    snprintf(buf, cap, "the server's 'request' listener");
  } else if (strcmp(info->method, "use") == 0) {
    if (info->path[0])
      snprintf(buf, cap, "the %s middleware for %s", info->framework, info->path);
    else
      snprintf(buf, cap, "the %s middleware", info->framework);
  } else if (info->path[0]) {
    snprintf(buf, cap, "the request handler for %s%s%s", info->method, info->method[0] ? " " : "",
             info->path);
  } else if (info->method[0]) {
    snprintf(buf, cap, "a %s %s request handler", info->framework, info->method);
  } else {
    snprintf(buf, cap, "a %s request handler", info->framework);
  }
}
