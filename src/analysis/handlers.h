/* "Is this function an HTTP request handler?" — the question behind every rule about blocking
 * or failing inside request processing.
 *
 * A function is a handler when it is (directly, or by the name of a function declared in the
 * same file) passed as:
 *   - the listener of http/https/http2 createServer / createSecureServer;
 *   - a 'request' event listener of a server (or any `.on('request', (req, res) => …)`);
 *   - a route or middleware of express/router/koa/fastify/polka/restify apps:
 *     `app.get|post|put|delete|patch|all|use|options|head(path, …fns)`, `app.route(p).get(fn)`,
 *     `fastify.route({ handler })` — when the receiver is known to be such an app, or, when it
 *     is not (an app passed in from another file), when the function's parameters read like a
 *     handler's: (req, res[, next]), (err, req, res, next), (ctx[, next]), (request, reply);
 *   - either of those through one level of indirection: an element of an array of handlers
 *     (`app.get(p, [auth, fn])`), or the argument of a wrapper call (`asyncHandler(fn)`) when
 *     `fn` itself reads like a handler.
 * A 'request' listener on a receiver not known to be a server must take (req, res): other
 * emitters (Electron's ipcMain, socket.io sockets, puppeteer pages) have 'request' events too.
 *
 * A function registered in another file is a handler when it is handed out — returned from a
 * factory (`return function (req, res, next) {…}`) or exported (`exports.list = (req, res) =>
 * …`, `export default function handler(req, res)`) — and its whole parameter list is
 * (req, res[, next]) or (err, req, res, next). Declared-and-kept functions with those
 * parameters are helpers until something registers them.
 * `listen()` callbacks and everything at module level are not handlers. */
#ifndef NODEHINT_ANALYSIS_HANDLERS_H
#define NODEHINT_ANALYSIS_HANDLERS_H

#include "analysis/analysis.h"

/* Walk-time hook for every call_expression: remembers calls that may register a handler by
 * name (`app.get('/', listUsers)`), in an array or through a wrapper call, resolved when
 * handlers are first queried. */
void handlers_note_call(Analysis *an, TSNode call);

/* The handler description if function `func` (a FuncInfo index) is a request handler itself,
 * else NULL. Borrowed from the Analysis. Only valid after the walk. */
const HandlerInfo *handlers_of_function(Analysis *an, uint32_t func);

/* The innermost function enclosing `func` (itself included) that is a request handler, or
 * NONE; *info receives its description. */
uint32_t handlers_enclosing(Analysis *an, uint32_t func, const HandlerInfo **info);

/* "the request handler for GET /users", "the http.createServer request handler", "the
 * request handler serveStatic() returns", "the exported request handler list", … */
void handlers_describe(const HandlerInfo *info, char *buf, size_t cap);

#endif
