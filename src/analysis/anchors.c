/* Hover anchors (see anchors.h). Lookup order for one occurrence, most specific first:
 *   1. "new Q" for a constructor, then the exact qualified name Q;
 *   2. for a member of a request handler's req/res parameter, "req.NAME" / "res.NAME";
 *   3. the member name ".NAME";
 *   4. the longest anchored prefix of Q ("domain.create()" -> "domain").
 * Event names try "Q.on('NAME')" / "Q.emit('NAME')", then "event:NAME". */
#include "analysis/anchors.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/handlers.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "knowledge/kb.h"

#define ANCHORS_MAX_PARTS 24
/* Occurrences nested deeper than this many scopes are not resolved: a name lookup walks the
 * scope chain, so resolving every identifier of adversarially deep input would be quadratic.
 * Real code stays far below (hover on such code is simply absent). */
#define ANCHORS_MAX_SCOPE_DEPTH 200

typedef enum CandKind {
  CAND_IDENT,         /* an identifier (reference or declaration) */
  CAND_IMPORT_NAME,   /* `x` in `import { x as y } from 'm'`; aux: the import statement */
  CAND_MEMBER,        /* a member expression; the hover range is its property */
  CAND_EVENT,         /* `e.on('name', …)`; aux: the string */
  CAND_MODULE_STRING, /* the string of require('m') or import … from 'm' */
  CAND_PAIR_KEY,      /* `{ key: local } = …`; aux: the local identifier */
  CAND_METHOD,        /* a method definition; the range is its name */
} CandKind;

typedef struct AnchorCand {
  TSNode node;
  TSNode aux;
  uint32_t scope;
  uint8_t kind;
  bool ctor; /* the constructor of a `new` expression */
} AnchorCand;

struct AnchorPass {
  Array(AnchorCand) cands;
  uint32_t *scope_func; /* scope index -> FuncInfo index (NONE), built on first use */
};

typedef enum Role { ROLE_NONE, ROLE_REQ, ROLE_RES } Role;

static const char *const anchors__listener_adders[] = {
    "on", "once", "addListener", "prependListener", "prependOnceListener", NULL};
static const char *const anchors__listener_others[] = {
    "emit", "off", "removeListener", "removeAllListeners", "listeners", "listenerCount", NULL};

AnchorPass *anchors_create(void) { return xcalloc(1, sizeof(AnchorPass)); }

void anchors_destroy(AnchorPass *pass) {
  if (!pass) return;
  array_delete(&pass->cands);
  free(pass->scope_func);
  free(pass);
}

static void anchors__push(Analysis *an, TSNode node, TSNode aux, CandKind kind, bool ctor) {
  array_push(&an->anchor_pass->cands,
             ((AnchorCand){node, aux, analysis_scope(an), (uint8_t)kind, ctor}));
}

static bool anchors__is_ctor(Analysis *an, TSNode node) {
  TSNode parent = analysis_ancestor(an, 0);
  return node_kind(an, parent) == NK_NEW &&
         ts_node_start_byte(node_field(parent, an->syms->f_constructor)) ==
             ts_node_start_byte(node) &&
         ts_node_end_byte(node_field(parent, an->syms->f_constructor)) == ts_node_end_byte(node);
}

void anchors_note(Analysis *an, TSNode node, NodeKind kind) {
  const Syms *sy = an->syms;
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  switch (kind) {
    case NK_IDENTIFIER: {
      TSNode parent = analysis_ancestor(an, 0);
      if (node_kind(an, parent) == NK_IMPORT_SPECIFIER) {
        TSNode alias = node_field(parent, sy->f_alias);
        if (!ts_node_is_null(alias) && ts_node_start_byte(alias) != ts_node_start_byte(node)) {
          anchors__push(an, node, analysis_ancestor(an, 3), CAND_IMPORT_NAME, false);
          break;
        }
      }
      anchors__push(an, node, null_node, CAND_IDENT, anchors__is_ctor(an, node));
      break;
    }
    case NK_SHORTHAND_PROPERTY_IDENTIFIER:
    case NK_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN:
      anchors__push(an, node, null_node, CAND_IDENT, false);
      break;
    case NK_MEMBER:
      if (node_kind(an, node_field(node, sy->f_property)) == NK_PROPERTY_IDENTIFIER)
        anchors__push(an, node, null_node, CAND_MEMBER, anchors__is_ctor(an, node));
      break;
    case NK_CALL: {
      TSNode callee = node_field(node, sy->f_function);
      TSNode args = node_field(node, sy->f_arguments);
      if (node_kind(an, args) != NK_ARGUMENTS) break;
      TSNode first = ts_node_named_child(args, 0);
      for (uint32_t i = 1; node_kind(an, first) == NK_COMMENT; i++)
        first = ts_node_named_child(args, i);
      if (node_kind(an, first) != NK_STRING) break;
      NodeKind ck = node_kind(an, callee);
      if (ck == NK_MEMBER) {
        TSNode prop = node_field(callee, sy->f_property);
        if (node_text_in(an, prop, anchors__listener_adders) ||
            node_text_in(an, prop, anchors__listener_others))
          anchors__push(an, node, first, CAND_EVENT, false);
      } else if (ck == NK_IDENTIFIER && node_text_eq(an, callee, "require")) {
        anchors__push(an, first, null_node, CAND_MODULE_STRING, false);
      }
      break;
    }
    case NK_IMPORT_STATEMENT: {
      TSNode source = node_field(node, sy->f_source);
      if (node_kind(an, source) == NK_STRING)
        anchors__push(an, source, null_node, CAND_MODULE_STRING, false);
      break;
    }
    case NK_PAIR_PATTERN: {
      TSNode key = node_field(node, sy->f_key), value = node_field(node, sy->f_value);
      if (node_kind(an, value) == NK_ASSIGNMENT_PATTERN) value = node_field(value, sy->f_left);
      if (node_kind(an, key) == NK_PROPERTY_IDENTIFIER && node_kind(an, value) == NK_IDENTIFIER)
        anchors__push(an, key, value, CAND_PAIR_KEY, false);
      break;
    }
    case NK_METHOD_DEFINITION: {
      TSNode name = node_field(node, sy->f_name);
      if (node_kind(an, name) == NK_PROPERTY_IDENTIFIER)
        anchors__push(an, name, null_node, CAND_METHOD, false);
      break;
    }
    default:
      break;
  }
}

/* --- resolution --- */

static uint32_t anchors__func_of_scope(Analysis *an, uint32_t scope) {
  AnchorPass *pass = an->anchor_pass;
  if (!pass->scope_func) {
    pass->scope_func = xmalloc((an->scopes.size ? an->scopes.size : 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < an->scopes.size; i++) pass->scope_func[i] = NONE;
    for (uint32_t f = 0; f < an->funcs.size; f++)
      if (an->funcs.items[f].scope < an->scopes.size)
        pass->scope_func[an->funcs.items[f].scope] = f;
  }
  return scope < an->scopes.size ? pass->scope_func[scope] : NONE;
}

/* Is binding b the request or response parameter of a request handler? */
static Role anchors__handler_role(Analysis *an, uint32_t b) {
  const Binding *binding = &an->bindings.items[b];
  if (binding->kind != BIND_PARAM || binding->path) return ROLE_NONE;
  uint32_t f = anchors__func_of_scope(an, binding->scope);
  if (f == NONE) return ROLE_NONE;
  uint32_t name_start = ts_node_start_byte(binding->name_node);
  const HandlerInfo *info = handlers_of_function(an, f);
  if (!info || strcmp(info->framework, "koa") == 0 || strcmp(info->framework, "fastify") == 0 ||
      strcmp(info->framework, "hapi") == 0)
    return ROLE_NONE;
  TSNode fn = an->funcs.items[f].node;
  uint32_t count = node_function_param_count(an, fn);
  uint32_t req = count == 4 ? 1 : 0;
  for (uint32_t i = req; i < req + 2 && i < count; i++) {
    TSNode p = node_function_param(an, fn, i);
    if (node_kind(an, p) == NK_ASSIGNMENT_PATTERN) p = node_field(p, an->syms->f_left);
    if (ts_node_start_byte(p) == name_start) return i == req ? ROLE_REQ : ROLE_RES;
  }
  return ROLE_NONE;
}

/* Like modules_qualify(), and also for chains rooted at an unbound name (a global the module
 * table does not list, e.g. JSON or a browser-style `async`) or at a request handler's
 * req/res parameter (root "req" / "res", *role set). The chain is walked once first, so the
 * common case — a chain rooted at a local that is no module (`this.x`, `obj.y`) — fails
 * without asking modules_qualify(). */
static bool anchors__qualify(Analysis *an, TSNode expr, uint32_t scope, StrBuf *out,
                             Role *role) {
  *role = ROLE_NONE;
  const Syms *sy = an->syms;
  struct {
    const char *text;
    size_t len;
  } parts[ANCHORS_MAX_PARTS];
  int n = 0;
  TSNode cur = expr;
  for (;;) {
    if (n == ANCHORS_MAX_PARTS) return false;
    cur = node_unparen(an, cur);
    NodeKind k = node_kind(an, cur);
    if (k == NK_MEMBER) {
      TSNode prop = node_field(cur, sy->f_property);
      if (node_kind(an, prop) != NK_PROPERTY_IDENTIFIER) return false;
      parts[n].text = node_text(an, prop, &parts[n].len);
      n++;
      cur = node_field(cur, sy->f_object);
    } else if (k == NK_NEW || (k == NK_CALL && !node_text_eq(an, node_field(cur, sy->f_function),
                                                               "require"))) {
      parts[n].text = "()";
      parts[n].len = 2;
      n++;
      cur = node_field(cur, k == NK_CALL ? sy->f_function : sy->f_constructor);
    } else if (k == NK_IDENTIFIER) {
      break;
    } else {
      /* require('m'), a string subscript, …: modules_qualify() knows. */
      return modules_qualify(an, expr, scope, out);
    }
  }
  uint32_t b = scope_lookup_node(an, scope, cur);
  if (b != NONE) {
    if (modules_binding_origin(an, b)) return modules_qualify(an, expr, scope, out);
    *role = anchors__handler_role(an, b);
    if (*role == ROLE_NONE) return false;
    strbuf_puts(out, *role == ROLE_REQ ? "req" : "res");
  } else {
    if (modules_qualify(an, expr, scope, out)) return true; /* a Node global */
    size_t len;
    const char *t = node_text(an, cur, &len);
    strbuf_append(out, t, len);
  }
  for (int i = n - 1; i >= 0; i--) {
    if (parts[i].text[0] != '(') strbuf_putc(out, '.');
    strbuf_append(out, parts[i].text, parts[i].len);
  }
  return true;
}

static const KbEntry *anchors__lookup(const char *key, size_t len) {
  return kb_anchor_lookup(key, len);
}

/* The longest anchored prefix of q at '.' and "()" boundaries (q itself included). */
static const KbEntry *anchors__prefix(const char *q, size_t len) {
  while (len > 0) {
    const KbEntry *e = anchors__lookup(q, len);
    if (e) return e;
    if (len >= 2 && q[len - 2] == '(' && q[len - 1] == ')') {
      len -= 2;
      continue;
    }
    while (len > 0 && q[len - 1] != '.') len--;
    if (len > 0) len--; /* drop the '.' */
  }
  return NULL;
}

static const KbEntry *anchors__with_new(StrBuf *tmp, const char *q) {
  strbuf_clear(tmp);
  strbuf_puts(tmp, "new ");
  strbuf_puts(tmp, q);
  return anchors__lookup(tmp->data, tmp->len);
}

static const KbEntry *anchors__member(Analysis *an, const AnchorCand *c, StrBuf *q, StrBuf *tmp) {
  TSNode prop = node_field(c->node, an->syms->f_property);
  size_t plen;
  const char *ptext = node_text(an, prop, &plen);
  Role role;
  bool qualified = anchors__qualify(an, c->node, c->scope, q, &role);
  const KbEntry *e = NULL;
  if (qualified) {
    if (c->ctor && (e = anchors__with_new(tmp, q->data))) return e;
    if ((e = anchors__lookup(q->data, q->len))) return e;
    if (role != ROLE_NONE) {
      strbuf_clear(tmp);
      strbuf_puts(tmp, role == ROLE_REQ ? "req." : "res.");
      strbuf_append(tmp, ptext, plen);
      if ((e = anchors__lookup(tmp->data, tmp->len))) return e;
    }
  }
  strbuf_clear(tmp);
  strbuf_putc(tmp, '.');
  strbuf_append(tmp, ptext, plen);
  if ((e = anchors__lookup(tmp->data, tmp->len))) return e;
  return qualified ? anchors__prefix(q->data, q->len) : NULL;
}

static const KbEntry *anchors__event(Analysis *an, const AnchorCand *c, StrBuf *q, StrBuf *tmp) {
  char name[128];
  if (!node_string_value(an, c->aux, name, sizeof name) || !name[0]) return NULL;
  TSNode callee = node_field(c->node, an->syms->f_function);
  TSNode method = node_field(callee, an->syms->f_property);
  const KbEntry *e;
  Role role;
  if (anchors__qualify(an, node_field(callee, an->syms->f_object), c->scope, q, &role)) {
    const char *kind = node_text_eq(an, method, "emit") ? ".emit('"
                       : node_text_in(an, method, anchors__listener_adders) ? ".on('"
                                                                            : NULL;
    if (kind) {
      strbuf_puts(q, kind);
      strbuf_puts(q, name);
      strbuf_puts(q, "')");
      if ((e = anchors__lookup(q->data, q->len))) return e;
    }
  }
  strbuf_clear(tmp);
  strbuf_printf(tmp, "event:%s", name);
  return anchors__lookup(tmp->data, tmp->len);
}

static const KbEntry *anchors__module_string(Analysis *an, const AnchorCand *c, StrBuf *q) {
  char spec[256], module[256];
  if (!node_string_value(an, c->node, spec, sizeof spec) || !spec[0]) return NULL;
  /* require must be Node's, not a local function of that name. */
  TSNode parent = ts_node_parent(ts_node_parent(c->node));
  if (node_kind(an, parent) == NK_CALL && scope_lookup(an, c->scope, "require", 7) != NONE)
    return NULL;
  size_t n = strlen(spec);
  if (n > 5 && strcmp(spec + n - 5, ".json") == 0)
    return anchors__lookup("require('*.json')", strlen("require('*.json')"));
  modules_normalize(spec, module, sizeof module);
  strbuf_puts(q, module);
  return anchors__prefix(q->data, q->len);
}

static const KbEntry *anchors__resolve(Analysis *an, const AnchorCand *c, StrBuf *q,
                                       StrBuf *tmp) {
  Role role;
  const KbEntry *e;
  switch ((CandKind)c->kind) {
    case CAND_IDENT:
      if (node_kind(an, c->node) != NK_IDENTIFIER) { /* shorthand property (pattern) */
        uint32_t b = scope_lookup_node(an, c->scope, c->node);
        const char *origin = b == NONE ? NULL : modules_binding_origin(an, b);
        if (!origin) return NULL;
        strbuf_puts(q, origin);
      } else if (!anchors__qualify(an, c->node, c->scope, q, &role) || role != ROLE_NONE) {
        return NULL;
      }
      if (c->ctor && (e = anchors__with_new(tmp, q->data))) return e;
      return anchors__prefix(q->data, q->len);
    case CAND_IMPORT_NAME: {
      char spec[256], module[256];
      TSNode source = node_field(c->aux, an->syms->f_source);
      if (!node_string_value(an, source, spec, sizeof spec)) return NULL;
      modules_normalize(spec, module, sizeof module);
      size_t len;
      const char *t = node_text(an, c->node, &len);
      strbuf_puts(q, module);
      strbuf_putc(q, '.');
      strbuf_append(q, t, len);
      return anchors__prefix(q->data, q->len);
    }
    case CAND_MEMBER:
      return anchors__member(an, c, q, tmp);
    case CAND_EVENT:
      return anchors__event(an, c, q, tmp);
    case CAND_MODULE_STRING:
      return anchors__module_string(an, c, q);
    case CAND_PAIR_KEY: {
      uint32_t b = scope_lookup_node(an, c->scope, c->aux);
      const char *origin = b == NONE ? NULL : modules_binding_origin(an, b);
      return origin ? anchors__prefix(origin, strlen(origin)) : NULL;
    }
    case CAND_METHOD: {
      size_t len;
      const char *t = node_text(an, c->node, &len);
      strbuf_clear(tmp);
      strbuf_putc(tmp, '.');
      strbuf_append(tmp, t, len);
      return anchors__lookup(tmp->data, tmp->len);
    }
  }
  return NULL;
}

static TSNode anchors__range_node(Analysis *an, const AnchorCand *c) {
  switch ((CandKind)c->kind) {
    case CAND_MEMBER:
      return node_field(c->node, an->syms->f_property);
    case CAND_EVENT:
      return c->aux;
    default:
      return c->node;
  }
}

static int anchors__cmp(const void *a, const void *b) {
  const AnchorHit *x = a, *y = b;
  if (x->start_byte != y->start_byte) return x->start_byte < y->start_byte ? -1 : 1;
  if (x->end_byte != y->end_byte) return x->end_byte < y->end_byte ? -1 : 1;
  return 0;
}

void anchors_finish(Analysis *an, TSNode root, AnchorList *out) {
  AnchorPass *pass = an->anchor_pass;
  uint32_t first = out->size;
  /* The hashbang line (grammar name "hash_bang_line"): the program's first child. */
  TSNode line = ts_node_child(root, 0);
  if (!ts_node_is_null(line) && strcmp(ts_node_type(line), "hash_bang_line") == 0) {
    const KbEntry *e = anchors__lookup("#!", 2);
    if (e) array_push(out, ((AnchorHit){ts_node_start_byte(line), ts_node_end_byte(line), e->id}));
  }
  /* Scope depths: a parent is always recorded before its children. */
  uint16_t *depth = xmalloc((an->scopes.size ? an->scopes.size : 1) * sizeof *depth);
  for (uint32_t i = 0; i < an->scopes.size; i++) {
    uint32_t parent = an->scopes.items[i].parent;
    depth[i] = parent < i ? (uint16_t)(depth[parent] < UINT16_MAX ? depth[parent] + 1 : UINT16_MAX)
                          : 0;
  }
  StrBuf q, tmp;
  strbuf_init(&q);
  strbuf_init(&tmp);
  for (uint32_t i = 0; i < pass->cands.size; i++) {
    const AnchorCand *c = &pass->cands.items[i];
    if (c->kind != CAND_METHOD && c->scope < an->scopes.size &&
        depth[c->scope] > ANCHORS_MAX_SCOPE_DEPTH)
      continue;
    strbuf_clear(&q);
    const KbEntry *e = anchors__resolve(an, c, &q, &tmp);
    if (!e) continue;
    TSNode r = anchors__range_node(an, c);
    array_push(out, ((AnchorHit){ts_node_start_byte(r), ts_node_end_byte(r), e->id}));
  }
  strbuf_fini(&q);
  strbuf_fini(&tmp);
  free(depth);
  /* Sort what this call added; keep the first of equal ranges. */
  uint32_t n = out->size - first;
  if (n > 1) {
    AnchorHit *h = out->items + first;
    qsort(h, n, sizeof *h, anchors__cmp);
    uint32_t w = 1;
    for (uint32_t r = 1; r < n; r++)
      if (h[r].start_byte != h[w - 1].start_byte || h[r].end_byte != h[w - 1].end_byte)
        h[w++] = h[r];
    out->size = first + w;
  }
}
