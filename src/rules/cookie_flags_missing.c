/* cookie-flags-missing: a cookie set on an HTTP response without HttpOnly or Secure.
 *
 *   - `res.cookie(name, value[, options])` (express) whose options lack `httpOnly` or `secure`
 *     (no options at all lacks both);
 *   - `res.setHeader('Set-Cookie', …)`, `res.set/header/append('Set-Cookie', …)`,
 *     `res.set({ 'Set-Cookie': … })`, `res.writeHead(status, { 'Set-Cookie': … })` with a
 *     cookie string (a literal, a template or `+` concatenation whose substitutions are only
 *     the cookie's name, its value or an attribute's value, an array of those, a const holding
 *     one, or `cookie.serialize(name, value, options)`) lacking the HttpOnly or Secure
 *     attribute (names compared case-insensitively).
 * `res` is the second parameter of a request handler (analysis/handlers.h), or a name like
 * res/response/resp; `res.status(200).cookie(…)` chains count.
 *
 * Precision: options of unknown content stay silent — a variable whose object literal is not
 * in this file, is reassigned or may be mutated (`opts.secure = …`, handed to a function), an
 * object with a spread (`{ ...defaults }`) for the flags it does not spell out, a computed
 * key. A flag given any value counts as set: `secure: process.env.NODE_ENV === 'production'`
 * is a decision, and so is an explicit `httpOnly: false` (a CSRF token cookie that scripts
 * must read). Deleting a cookie (res.clearCookie, maxAge: 0, an expiry in 1970 or within a
 * minute of now — a logout's placeholder —, Max-Age=0) and an empty value are not reported: there is nothing to protect. A CSRF token cookie (csrf
 * or xsrf in its name, or a value from a csrfToken() call) must be readable by page scripts:
 * only its Secure flag is checked. Entry: Cookies如何防范
 * XSS攻击. */
/* memmem */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "analysis/handlers.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/utf.h"
#include "rules/rule.h"

#define COOKIE_MAX_PIECES 32
#define COOKIE_MAX_ELEMENTS 16

enum { COOKIE_HTTPONLY = 1, COOKIE_SECURE = 2, COOKIE_BOTH = 3 };

typedef struct CookieCandidate {
  TSNode call;
  TSNode base; /* the response identifier */
  uint32_t scope;
  uint32_t func; /* function enclosing the call, or NONE */
} CookieCandidate;

typedef struct CookieMutation {
  uint32_t binding;
  bool mutated;
} CookieMutation;

typedef struct CookieState {
  Array(CookieCandidate) candidates;
  Array(CookieMutation) mutations; /* memo of cookie__maybe_mutated */
} CookieState;

/* What is known about one cookie. */
typedef struct CookieFacts {
  bool known;      /* false: stay silent */
  bool deleting;   /* an expiry in the past, or an empty value */
  uint8_t missing; /* COOKIE_* flags certainly absent */
  uint8_t miscased; /* COOKIE_* flags spelled with the wrong case (ignored by express) */
  char name[64];   /* the cookie's name when literal, else "" */
} CookieFacts;

static const char *const cookie__methods[] = {
    "cookie", "setHeader", "writeHead", "set", "header", "append", NULL,
};
/* Express response methods that return the response, so a chain still names it. */
static const char *const cookie__chainable[] = {
    "status", "cookie", "set", "header", "append", "type", "location", "vary", "clearCookie",
    "links", "attachment", NULL,
};
static const char *const cookie__response_names[] = {"res", "response", "resp", NULL};

static void *cookie__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(CookieState));
}

static void cookie__destroy(void *state) {
  CookieState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  array_delete(&s->mutations);
  free(s);
}

static bool cookie__is_set_cookie(Analysis *an, TSNode key);

/* Does an object literal have a Set-Cookie key? */
static bool cookie__has_set_cookie(Analysis *an, TSNode obj) {
  obj = node_unparen(an, obj);
  if (node_kind(an, obj) != NK_OBJECT) return false;
  uint32_t n = ts_node_named_child_count(obj);
  for (uint32_t i = 0; i < n; i++) {
    TSNode pair = ts_node_named_child(obj, i);
    if (node_kind(an, pair) == NK_PAIR &&
        cookie__is_set_cookie(an, node_field(pair, an->syms->f_key)))
      return true;
  }
  return false;
}

/* Can this call set a cookie, judging by its arguments alone? (`map.set(k, v)` cannot.) */
static bool cookie__sets_cookie(Analysis *an, TSNode call, TSNode method) {
  uint32_t argc;
  TSNode first = node_call_arg(an, call, 0, &argc);
  if (node_text_eq(an, method, "cookie")) return argc >= 2;
  if (node_text_eq(an, method, "writeHead"))
    return argc >= 2 && cookie__has_set_cookie(an, node_call_arg(an, call, argc - 1, NULL));
  if (argc == 1 && (node_text_eq(an, method, "set") || node_text_eq(an, method, "header")))
    return cookie__has_set_cookie(an, first);
  return argc == 2 && cookie__is_set_cookie(an, first);
}

static void cookie__enter(Analysis *an, void *state, TSNode call) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (node_kind(an, callee) != NK_MEMBER) return;
  TSNode method = node_field(callee, sy->f_property);
  if (!node_text_in(an, method, cookie__methods) || !cookie__sets_cookie(an, call, method))
    return;
  /* res.status(200).cookie(…): down the chain to the response itself. */
  TSNode base = node_unparen(an, node_field(callee, sy->f_object));
  for (int hops = 0; hops < 16 && node_kind(an, base) == NK_CALL; hops++) {
    TSNode inner = node_unparen(an, node_field(base, sy->f_function));
    if (node_kind(an, inner) != NK_MEMBER ||
        !node_text_in(an, node_field(inner, sy->f_property), cookie__chainable))
      return;
    base = node_unparen(an, node_field(inner, sy->f_object));
  }
  if (node_kind(an, base) != NK_IDENTIFIER) return;
  CookieState *s = state;
  array_push(&s->candidates,
             ((CookieCandidate){call, base, analysis_scope(an), analysis_func(an)}));
}

/* Is `base` an HTTP response: a response-like name, or the second parameter of a request
 * handler? */
static bool cookie__is_response(Analysis *an, CookieCandidate c) {
  uint32_t b = scope_lookup_node(an, c.scope, c.base);
  bool named = node_text_in(an, c.base, cookie__response_names);
  if (b == NONE) return named; /* undeclared: a snippet's `res` */
  const Binding *binding = &an->bindings.items[b];
  if (binding->kind != BIND_PARAM) {
    /* `const res = require('…')` or anything known to come from a module is not one. */
    return named && !modules_binding_origin(an, b);
  }
  if (named) return true;
  /* The function that declares the parameter, among those enclosing the call. */
  for (uint32_t f = c.func; f != NONE && f < an->funcs.size; f = an->funcs.items[f].parent) {
    if (an->funcs.items[f].scope != binding->scope) continue;
    TSNode p1 = node_function_param(an, an->funcs.items[f].node, 1);
    if (node_kind(an, p1) == NK_ASSIGNMENT_PATTERN) p1 = node_field(p1, an->syms->f_left);
    if (ts_node_is_null(p1) || ts_node_start_byte(p1) != binding->name_start) return false;
    const HandlerInfo *info = handlers_of_function(an, f);
    return info && strcmp(info->framework, "koa") != 0;
  }
  return false;
}

static bool cookie__has_spread_arg(Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t k = 0; k < n; k++)
    if (node_kind(an, ts_node_named_child(args, k)) == NK_SPREAD_ELEMENT) return true;
  return false;
}

/* A property key's name (identifier or string), or false (computed, number, …). */
static bool cookie__key(Analysis *an, TSNode key, char *buf, size_t cap) {
  NodeKind k = node_kind(an, key);
  if (k == NK_PROPERTY_IDENTIFIER) return node_text_copy(an, key, buf, cap);
  if (k == NK_STRING) return node_string_value(an, key, buf, cap);
  return false;
}

/* Does this identifier occurrence only read the binding? False when the object it names may
 * be changed: `x.secure = …`, `x[k] = …`, `delete x.k`, `x.k++`, or `x` handed to a call other
 * than res.cookie(…, x) or cookie.serialize(…, x) (Object.assign(x, …), a helper). */
static bool cookie__read_only_use(Analysis *an, TSNode id) {
  const Syms *sy = an->syms;
  TSNode parent = ts_node_parent(id);
  NodeKind pk = node_kind(an, parent);
  if (pk == NK_VARIABLE_DECLARATOR && ts_node_eq(node_field(parent, sy->f_name), id)) return true;
  if (pk == NK_SPREAD_ELEMENT) return true; /* { ...opts } copies it */
  if (pk == NK_MEMBER || pk == NK_SUBSCRIPT) {
    if (!ts_node_eq(node_field(parent, sy->f_object), id)) return true;
    TSNode up = ts_node_parent(parent);
    const char *type = ts_node_type(up);
    if ((node_kind(an, up) == NK_ASSIGNMENT &&
         ts_node_eq(node_field(up, sy->f_left), parent)) ||
        strcmp(type, "augmented_assignment_expression") == 0 ||
        strcmp(type, "update_expression") == 0 || strcmp(type, "unary_expression") == 0)
      return false;
    return true;
  }
  if (pk == NK_ARGUMENTS) {
    TSNode callee = node_field(ts_node_parent(parent), sy->f_function);
    TSNode property = node_field(callee, sy->f_property);
    return node_text_eq(an, property, "cookie") || node_text_eq(an, property, "serialize");
  }
  if (pk == NK_PAIR) return ts_node_eq(node_field(parent, sy->f_value), id);
  return pk != NK_ASSIGNMENT;
}

/* Is binding `b` (an object literal held in a variable) possibly changed anywhere in the
 * scope it is declared in? Each whole-word occurrence of its name there is looked up in the
 * tree — a search of the scope's text, once per binding, whose cost and answer depend only on
 * the code that mentions the name. */
static bool cookie__maybe_mutated(Analysis *an, CookieState *s, uint32_t b) {
  for (uint32_t i = 0; i < s->mutations.size; i++)
    if (s->mutations.items[i].binding == b) return s->mutations.items[i].mutated;
  const Binding *binding = &an->bindings.items[b];
  const Scope *scope = &an->scopes.items[binding->scope];
  TSNode root = ts_tree_root_node(binding->name_node.tree);
  const char *name = an->text + binding->name_start;
  uint32_t name_len = binding->name_len;
  uint32_t end = scope->end_byte < an->len ? scope->end_byte : an->len;
  bool mutated = false;
  uint32_t seen = 0;
  for (uint32_t at = scope->start_byte; !mutated && name_len && at + name_len <= end; at++) {
    const char *p = memmem(an->text + at, end - at, name, name_len);
    if (!p) break;
    at = (uint32_t)(p - an->text);
    if (!utf8_whole_word(an->text, an->len, at, name_len)) continue;
    if (++seen > 100000) {
      mutated = true; /* too many to check: assume the worst */
      break;
    }
    TSNode node = ts_node_descendant_for_byte_range(root, at, at + name_len);
    mutated = node_kind(an, node) == NK_IDENTIFIER && ts_node_start_byte(node) == at &&
              ts_node_end_byte(node) == at + name_len &&
              scope_lookup_node(an, scope_at_byte(an, at), node) == b &&
              !cookie__read_only_use(an, node);
  }
  array_push(&s->mutations, ((CookieMutation){b, mutated}));
  return mutated;
}

/* The object literal an expression stands for: itself, or the value of a const/let/var of
 * this file that is never reassigned nor mutated. Null node otherwise. */
static TSNode cookie__object(Analysis *an, CookieState *s, TSNode expr, uint32_t scope) {
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  expr = node_unparen(an, expr);
  if (node_kind(an, expr) == NK_OBJECT) return expr;
  if (node_kind(an, expr) != NK_IDENTIFIER) return null_node;
  uint32_t b = scope_lookup_node(an, scope, expr);
  if (b == NONE) return null_node;
  const Binding *binding = &an->bindings.items[b];
  if ((binding->flags & BINDING_REASSIGNED) || binding->path ||
      (binding->kind != BIND_CONST && binding->kind != BIND_LET && binding->kind != BIND_VAR))
    return null_node;
  TSNode value = node_unparen(an, binding->value);
  if (node_kind(an, value) != NK_OBJECT) return null_node;
  if (cookie__maybe_mutated(an, s, b)) return null_node;
  return value;
}

/* Does an expiry value lie in the past: `new Date(0)`, `new Date(1)`, a date in 1970? */
static bool cookie__past_date(Analysis *an, TSNode value) {
  size_t len;
  const char *t = node_text(an, value, &len);
  char buf[96];
  if (len >= sizeof buf) return false;
  memcpy(buf, t, len);
  buf[len] = '\0';
  if (strstr(buf, "1970") || strcmp(buf, "new Date(0)") == 0 || strcmp(buf, "new Date(1)") == 0)
    return true;
  /* `new Date(Date.now() + 10 * 1000)`: a logout overwriting the cookie with a placeholder
   * that expires within a minute, the common stand-in for clearCookie. */
  char flat[96];
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r') flat[n++] = buf[i];
  flat[n] = '\0';
  static const char prefix[] = "newDate(Date.now()+";
  size_t plen = sizeof prefix - 1;
  if (n <= plen + 1 || strncmp(flat, prefix, plen) != 0 || flat[n - 1] != ')') return false;
  flat[n - 1] = '\0';
  double ms = 1;
  for (char *p = flat + plen; *p;) {
    char *end;
    double factor = strtod(p, &end);
    if (end == p) return false;
    ms *= factor;
    if (*end == '*') end++;
    else if (*end) return false;
    p = end;
  }
  return ms <= 60000;
}

/* Reads express/cookie options: which of httpOnly and secure it certainly lacks. */
static void cookie__options(Analysis *an, CookieState *s, TSNode options, uint32_t scope,
                            CookieFacts *facts) {
  const Syms *sy = an->syms;
  if (ts_node_is_null(options)) {
    facts->known = true;
    facts->missing = COOKIE_BOTH;
    return;
  }
  TSNode obj = cookie__object(an, s, options, scope);
  if (ts_node_is_null(obj)) return; /* unknown options */
  uint8_t set = 0, miscased = 0;
  bool spread = false;
  uint32_t n = ts_node_named_child_count(obj);
  for (uint32_t i = 0; i < n; i++) {
    TSNode member = ts_node_named_child(obj, i);
    NodeKind k = node_kind(an, member);
    char key[32];
    TSNode value = {{0, 0, 0, 0}, NULL, NULL};
    if (k == NK_SPREAD_ELEMENT) {
      spread = true;
      continue;
    } else if (k == NK_SHORTHAND_PROPERTY_IDENTIFIER) {
      if (!node_text_copy(an, member, key, sizeof key)) continue;
    } else if (k == NK_PAIR) {
      if (!cookie__key(an, node_field(member, sy->f_key), key, sizeof key)) {
        if (node_kind(an, node_field(member, sy->f_key)) != NK_COMMENT) spread = true; /* [k]: */
        continue;
      }
      value = node_unparen(an, node_field(member, sy->f_value));
    } else if (k == NK_METHOD_DEFINITION) { /* get httpOnly() {…} */
      if (!cookie__key(an, node_field(member, sy->f_name), key, sizeof key)) {
        spread = true;
        continue;
      }
    } else {
      continue;
    }
    if (strcmp(key, "httpOnly") == 0) set |= COOKIE_HTTPONLY;
    else if (strcmp(key, "secure") == 0) set |= COOKIE_SECURE;
    else if (strcasecmp(key, "httpOnly") == 0) miscased |= COOKIE_HTTPONLY;
    else if (strcasecmp(key, "secure") == 0) miscased |= COOKIE_SECURE;
    else if (!ts_node_is_null(value) && strcmp(key, "maxAge") == 0 &&
             (node_text_eq(an, value, "0") || node_text_eq(an, value, "-1")))
      facts->deleting = true;
    else if (!ts_node_is_null(value) && strcmp(key, "expires") == 0 &&
             cookie__past_date(an, value))
      facts->deleting = true;
  }
  facts->known = true;
  facts->missing = spread ? 0 : (uint8_t)(COOKIE_BOTH & ~set);
  facts->miscased = (uint8_t)(miscased & facts->missing);
}

/* One piece of a concatenated cookie string: literal text, or a dynamic part. */
typedef struct CookiePiece {
  const char *text; /* NULL for a dynamic part */
  size_t len;
} CookiePiece;

/* Flattens a string, template, or `+` chain of them into pieces. False if unreadable. */
static bool cookie__pieces(Analysis *an, TSNode expr, CookiePiece *pieces, int *count) {
  const Syms *sy = an->syms;
  TSNode operands[COOKIE_MAX_PIECES];
  int nops = 0;
  /* `a + b + c` is ((a + b) + c): go down the left spine, collecting right operands. */
  TSNode cur = node_unparen(an, expr);
  for (;;) {
    if (nops == COOKIE_MAX_PIECES) return false;
    TSNode op = ts_node_child(cur, 1);
    if (node_kind(an, cur) == NK_BINARY_EXPRESSION && node_text_eq(an, op, "+")) {
      operands[nops++] = node_unparen(an, node_field(cur, sy->f_right));
      cur = node_unparen(an, node_field(cur, sy->f_left));
      continue;
    }
    operands[nops++] = cur;
    break;
  }
  *count = 0;
  for (int i = nops - 1; i >= 0; i--) {
    TSNode o = operands[i];
    NodeKind k = node_kind(an, o);
    if (k == NK_STRING || k == NK_TEMPLATE_STRING) {
      uint32_t n = ts_node_named_child_count(o);
      for (uint32_t j = 0; j < n; j++) {
        if (*count == COOKIE_MAX_PIECES) return false;
        TSNode part = ts_node_named_child(o, j);
        NodeKind pk = node_kind(an, part);
        if (pk == NK_STRING_FRAGMENT) {
          size_t len;
          const char *t = node_text(an, part, &len);
          pieces[(*count)++] = (CookiePiece){t, len};
        } else if (pk == NK_TEMPLATE_SUBSTITUTION) {
          pieces[(*count)++] = (CookiePiece){NULL, 0};
        } else {
          return false; /* an escape sequence: not worth decoding */
        }
      }
    } else {
      if (*count == COOKIE_MAX_PIECES) return false;
      pieces[(*count)++] = (CookiePiece){NULL, 0};
    }
  }
  /* Merge adjacent literal pieces virtually: a dynamic part must stand where a value goes
   * (right after "=") or be the cookie's name (first, right before "="). */
  for (int i = 0; i < *count; i++) {
    if (pieces[i].text) continue;
    int prev = i - 1, next = i + 1;
    while (prev >= 0 && pieces[prev].text && pieces[prev].len == 0) prev--;
    while (next < *count && pieces[next].text && pieces[next].len == 0) next++;
    bool after_equals =
        prev >= 0 && pieces[prev].text && pieces[prev].text[pieces[prev].len - 1] == '=';
    bool name = prev < 0 && next < *count && pieces[next].text && pieces[next].text[0] == '=';
    if (!after_equals && !name) return false;
  }
  return true;
}

static bool cookie__contains(const char *s, size_t len, const char *word) {
  size_t n = strlen(word);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(s + i, word, n) == 0) return true;
  return false;
}

/* Reads a Set-Cookie string: its name and which of HttpOnly and Secure it lacks. */
static void cookie__header_string(Analysis *an, TSNode expr, CookieFacts *facts) {
  CookiePiece pieces[COOKIE_MAX_PIECES];
  int count = 0;
  if (!cookie__pieces(an, expr, pieces, &count) || count == 0) return;
  /* Concatenate, a dynamic part standing as "\x01". */
  char text[1024];
  size_t used = 0;
  for (int i = 0; i < count; i++) {
    const char *t = pieces[i].text ? pieces[i].text : "\x01";
    size_t len = pieces[i].text ? pieces[i].len : 1;
    if (used + len >= sizeof text) return;
    memcpy(text + used, t, len);
    used += len;
  }
  text[used] = '\0';
  char *semi = strchr(text, ';');
  char *eq = strchr(text, '=');
  if (!eq || (semi && eq > semi)) return; /* not "name=value…" */
  size_t name_len = (size_t)(eq - text);
  while (name_len > 0 && text[name_len - 1] == ' ') name_len--;
  if (name_len > 0 && name_len < sizeof facts->name && !memchr(text, '\x01', name_len)) {
    memcpy(facts->name, text, name_len);
    facts->name[name_len] = '\0';
  }
  const char *value = eq + 1;
  size_t value_len = semi ? (size_t)(semi - value) : strlen(value);
  while (value_len > 0 && (*value == ' ' || *value == '"')) value++, value_len--;
  if (value_len == 0 || (value_len == 1 && *value == '"')) facts->deleting = true;
  uint8_t present = 0;
  for (char *attr = semi; attr;) {
    attr++;
    char *end = strchr(attr, ';');
    size_t len = end ? (size_t)(end - attr) : strlen(attr);
    while (len > 0 && isspace((unsigned char)*attr)) attr++, len--;
    size_t key_len = 0;
    while (key_len < len && attr[key_len] != '=' && !isspace((unsigned char)attr[key_len]))
      key_len++;
    if (key_len == 8 && strncasecmp(attr, "httponly", 8) == 0) present |= COOKIE_HTTPONLY;
    else if (key_len == 6 && strncasecmp(attr, "secure", 6) == 0) present |= COOKIE_SECURE;
    else if (key_len == 7 && strncasecmp(attr, "max-age", 7) == 0 && key_len < len &&
             (strncmp(attr + key_len, "=0", 2) == 0 || strncmp(attr + key_len, "=-", 2) == 0))
      facts->deleting = true;
    else if (key_len == 7 && strncasecmp(attr, "expires", 7) == 0 &&
             cookie__contains(attr, len, "1970"))
      facts->deleting = true;
    attr = end;
  }
  facts->known = true;
  facts->missing = (uint8_t)(COOKIE_BOTH & ~present);
}

/* Does this text name a CSRF token (csrf/xsrf in any case)? */
static bool cookie__csrf_text(const char *text, size_t len) {
  for (size_t i = 0; i + 4 <= len; i++)
    if (strncasecmp(text + i, "csrf", 4) == 0 || strncasecmp(text + i, "xsrf", 4) == 0)
      return true;
  return false;
}

/* A CSRF token cookie (`res.cookie('XSRF-TOKEN', req.csrfToken())`): the double-submit
 * pattern needs page scripts to read it, so a missing HttpOnly is by design; only Secure is
 * checked. Judged from the name expression, or the value when it is a call. */
static void cookie__csrf_token(Analysis *an, TSNode name, TSNode value, CookieFacts *facts) {
  size_t len = 0;
  const char *text = ts_node_is_null(name) ? NULL : node_text(an, name, &len);
  bool csrf = text && cookie__csrf_text(text, len);
  value = ts_node_is_null(value) ? value : node_unparen(an, value);
  if (!csrf && !ts_node_is_null(value) && node_kind(an, value) == NK_CALL) {
    text = node_text(an, node_field(value, an->syms->f_function), &len);
    csrf = text && cookie__csrf_text(text, len);
  }
  if (csrf) {
    facts->missing &= (uint8_t)~COOKIE_HTTPONLY;
    facts->miscased &= facts->missing;
  }
}

static void cookie__report(Analysis *an, TSNode at, const CookieFacts *f, bool header) {
  if (!f->known || f->deleting || !f->missing) return;
  char who[96];
  if (f->name[0])
    snprintf(who, sizeof who, "cookie '%s'", f->name);
  else
    snprintf(who, sizeof who, "this cookie");
  char fix[160];
  const char *what, *why;
  if (f->missing == COOKIE_BOTH) {
    what = header ? "the HttpOnly and Secure attributes" : "the httpOnly and secure options";
    why = "a script injected through XSS can read it, and the browser also sends it over plain "
          "HTTP";
    snprintf(fix, sizeof fix, "%s", header ? "add '; HttpOnly; Secure'"
                                           : "pass { httpOnly: true, secure: true }");
  } else if (f->missing == COOKIE_HTTPONLY) {
    what = header ? "the HttpOnly attribute" : "httpOnly: true";
    why = "a script injected through XSS can read it from document.cookie";
    snprintf(fix, sizeof fix, "%s", header ? "add '; HttpOnly'" : "add httpOnly: true");
  } else {
    what = header ? "the Secure attribute" : "secure: true";
    why = "the browser also sends it over plain HTTP, where it can be intercepted";
    snprintf(fix, sizeof fix, "%s", header ? "add '; Secure'" : "add secure: true");
  }
  const char *note = "";
  if (f->miscased == COOKIE_BOTH)
    note = " (the options are spelled httpOnly and secure: other spellings are ignored)";
  else if (f->miscased == COOKIE_HTTPONLY)
    note = " (the option is spelled httpOnly: other spellings are ignored)";
  else if (f->miscased == COOKIE_SECURE)
    note = " (the option is spelled secure: other spellings are ignored)";
  rule_report(an, RULE_cookie_flags_missing, at, "%s is set without %s: %s; %s%s", who, what,
              why, fix, note);
}

/* A Set-Cookie header value: a cookie string, cookie.serialize(…), an array of them, or a
 * const holding one. */
static void cookie__header_value(Analysis *an, CookieState *s, TSNode value, uint32_t scope) {
  const Syms *sy = an->syms;
  value = node_unparen(an, value);
  if (node_kind(an, value) == NK_IDENTIFIER) {
    uint32_t b = scope_lookup_node(an, scope, value);
    if (b == NONE) return;
    const Binding *binding = &an->bindings.items[b];
    if ((binding->flags & BINDING_REASSIGNED) || binding->path || binding->kind != BIND_CONST)
      return;
    TSNode held = node_unparen(an, binding->value);
    NodeKind hk = node_kind(an, held);
    if (hk != NK_STRING && hk != NK_TEMPLATE_STRING && hk != NK_BINARY_EXPRESSION) return;
    value = held; /* arrays held in a variable may be pushed to: not followed */
  }
  TSNode elements[COOKIE_MAX_ELEMENTS];
  uint32_t count = 0;
  if (node_kind(an, value) == NK_ARRAY) {
    uint32_t n = ts_node_named_child_count(value);
    for (uint32_t i = 0; i < n && count < COOKIE_MAX_ELEMENTS; i++) {
      TSNode e = ts_node_named_child(value, i);
      if (node_kind(an, e) == NK_COMMENT) continue;
      if (node_kind(an, e) == NK_SPREAD_ELEMENT) return;
      elements[count++] = node_unparen(an, e);
    }
  } else {
    elements[count++] = value;
  }
  StrBuf q;
  strbuf_init(&q);
  for (uint32_t i = 0; i < count; i++) {
    TSNode e = elements[i];
    CookieFacts facts;
    memset(&facts, 0, sizeof facts);
    NodeKind k = node_kind(an, e);
    if (k == NK_CALL) {
      /* cookie.serialize(name, value, options) from the `cookie` package */
      strbuf_clear(&q);
      if (!modules_qualify(an, node_field(e, sy->f_function), scope, &q) ||
          strcmp(q.data, "cookie.serialize") != 0 || cookie__has_spread_arg(an, e))
        continue;
      uint32_t argc;
      TSNode name = node_call_arg(an, e, 0, &argc);
      if (argc < 2) continue;
      if (!node_string_value(an, name, facts.name, sizeof facts.name)) facts.name[0] = '\0';
      char v[8];
      if (node_string_value(an, node_call_arg(an, e, 1, NULL), v, sizeof v) && !v[0])
        facts.deleting = true;
      cookie__options(an, s, node_call_arg(an, e, 2, NULL), scope, &facts);
      cookie__csrf_token(an, name, node_call_arg(an, e, 1, NULL), &facts);
      cookie__report(an, e, &facts, false);
    } else if (k == NK_STRING || k == NK_TEMPLATE_STRING || k == NK_BINARY_EXPRESSION) {
      cookie__header_string(an, e, &facts);
      if (cookie__csrf_text(facts.name, strlen(facts.name)))
        facts.missing &= (uint8_t)~COOKIE_HTTPONLY;
      cookie__report(an, e, &facts, true);
    }
  }
  strbuf_fini(&q);
}

static bool cookie__is_set_cookie(Analysis *an, TSNode key) {
  char name[16];
  return cookie__key(an, key, name, sizeof name) && strcasecmp(name, "set-cookie") == 0;
}

/* A headers object literal: checks its Set-Cookie entry. */
static void cookie__header_object(Analysis *an, CookieState *s, TSNode obj, uint32_t scope) {
  obj = node_unparen(an, obj);
  if (node_kind(an, obj) != NK_OBJECT) return;
  uint32_t n = ts_node_named_child_count(obj);
  for (uint32_t i = 0; i < n; i++) {
    TSNode pair = ts_node_named_child(obj, i);
    if (node_kind(an, pair) != NK_PAIR) continue;
    if (cookie__is_set_cookie(an, node_field(pair, an->syms->f_key)))
      cookie__header_value(an, s, node_field(pair, an->syms->f_value), scope);
  }
}

static void cookie__check(Analysis *an, CookieState *s, CookieCandidate c) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(c.call, sy->f_function));
  TSNode method = node_field(callee, sy->f_property);
  if (cookie__has_spread_arg(an, c.call)) return;
  uint32_t argc;
  TSNode first = node_call_arg(an, c.call, 0, &argc);
  if (node_text_eq(an, method, "cookie")) {
    if (argc < 2) return;
    CookieFacts facts;
    memset(&facts, 0, sizeof facts);
    if (!node_string_value(an, first, facts.name, sizeof facts.name)) facts.name[0] = '\0';
    char v[8];
    if (node_string_value(an, node_call_arg(an, c.call, 1, NULL), v, sizeof v) && !v[0])
      facts.deleting = true;
    cookie__options(an, s, node_call_arg(an, c.call, 2, NULL), c.scope, &facts);
    cookie__csrf_token(an, first, node_call_arg(an, c.call, 1, NULL), &facts);
    cookie__report(an, callee, &facts, false);
  } else if (node_text_eq(an, method, "writeHead")) {
    /* writeHead(status[, statusMessage][, headers]) */
    if (argc >= 2) cookie__header_object(an, s, node_call_arg(an, c.call, argc - 1, NULL), c.scope);
  } else if (argc == 1 && (node_text_eq(an, method, "set") || node_text_eq(an, method, "header"))) {
    cookie__header_object(an, s, first, c.scope);
  } else if (argc == 2 && cookie__is_set_cookie(an, first)) {
    cookie__header_value(an, s, node_call_arg(an, c.call, 1, NULL), c.scope);
  }
}

static void cookie__finish(Analysis *an, void *state) {
  CookieState *s = state;
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    CookieCandidate c = s->candidates.items[i];
    if (cookie__is_response(an, c)) cookie__check(an, s, c);
  }
}

static const NodeKind cookie__kinds[] = {NK_CALL, NK_OTHER};

static const char *const cookie_flags_missing__required_words[] = {"ookie", "OOKIE", NULL};

const RuleHooks rule_hooks_cookie_flags_missing = {
    .required_words = cookie_flags_missing__required_words,
    .node_kinds = cookie__kinds,
    .create = cookie__create,
    .destroy = cookie__destroy,
    .enter = cookie__enter,
    .finish = cookie__finish,
};
