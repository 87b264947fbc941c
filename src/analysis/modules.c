#include "analysis/modules.h"

#include <stdio.h>
#include <string.h>

#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/xalloc.h"

/* Alias chains longer than this (`const a = b`, `const b = c`, …) are not followed: bounded
 * work and bounded recursion whatever the input. */
#define MODULES_MAX_ALIAS_HOPS 24
#define MODULES_MAX_PARTS 24

static const char *const modules__globals[] = {
    "process",       "Buffer",         "console",      "setTimeout",     "setInterval",
    "setImmediate",  "clearTimeout",   "clearInterval", "clearImmediate", "queueMicrotask",
    "global",        "globalThis",     "module",       "exports",        "require",
    "__dirname",     "__filename",     "Promise",      "URL",            "fetch",
    "structuredClone", "AbortController", "TextEncoder", "TextDecoder",   NULL,
};

void modules_normalize(const char *specifier, char *buf, size_t cap) {
  if (strncmp(specifier, "node:", 5) == 0) specifier += 5;
  snprintf(buf, cap, "%s", specifier);
}

bool modules_is_member_of(const char *qualified, const char *module) {
  size_t n = strlen(module);
  return strncmp(qualified, module, n) == 0 && (qualified[n] == '\0' || qualified[n] == '.');
}

/* `require('x')` with one string argument: copies the normalized module id. */
static bool modules__require_target(Analysis *an, TSNode call, char *buf, size_t cap) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (node_kind(an, callee) != NK_IDENTIFIER || !node_text_eq(an, callee, "require")) return false;
  TSNode args = node_field(call, sy->f_arguments);
  if (node_kind(an, args) != NK_ARGUMENTS || ts_node_named_child_count(args) != 1) return false;
  char spec[256];
  if (!node_string_value(an, ts_node_named_child(args, 0), spec, sizeof spec)) return false;
  modules_normalize(spec, buf, cap);
  return buf[0] != '\0';
}

typedef struct QualifyPart {
  const char *text; /* "()" or a property name (not NUL-terminated) */
  size_t len;
  bool call;
} QualifyPart;

bool modules_qualify(Analysis *an, TSNode expr, uint32_t scope, StrBuf *out) {
  const Syms *sy = an->syms;
  QualifyPart parts[MODULES_MAX_PARTS];
  int nparts = 0;
  char root[256];
  const char *root_text = NULL;
  TSNode cur = expr;
  for (;;) {
    if (nparts == MODULES_MAX_PARTS) return false;
    cur = node_unparen(an, cur);
    switch (node_kind(an, cur)) {
      case NK_MEMBER: {
        TSNode prop = node_field(cur, sy->f_property);
        if (node_kind(an, prop) != NK_PROPERTY_IDENTIFIER) return false;
        size_t len;
        const char *t = node_text(an, prop, &len);
        parts[nparts++] = (QualifyPart){t, len, false};
        cur = node_field(cur, sy->f_object);
        continue;
      }
      case NK_SUBSCRIPT: {
        TSNode index = node_field(cur, sy->f_index);
        if (node_kind(an, index) != NK_STRING || ts_node_named_child_count(index) != 1) return false;
        TSNode frag = ts_node_named_child(index, 0);
        if (node_kind(an, frag) != NK_STRING_FRAGMENT) return false;
        size_t len;
        const char *t = node_text(an, frag, &len);
        parts[nparts++] = (QualifyPart){t, len, false};
        cur = node_field(cur, sy->f_object);
        continue;
      }
      case NK_CALL:
        if (modules__require_target(an, cur, root, sizeof root)) {
          root_text = root;
          break;
        }
        parts[nparts++] = (QualifyPart){"()", 2, true};
        cur = node_field(cur, sy->f_function);
        continue;
      case NK_NEW:
        parts[nparts++] = (QualifyPart){"()", 2, true};
        cur = node_field(cur, sy->f_constructor);
        continue;
      case NK_IDENTIFIER: {
        uint32_t b = scope_lookup_node(an, scope, cur);
        if (b == NONE) {
          if (!node_text_in(an, cur, modules__globals)) return false;
          if (!node_text_copy(an, cur, root, sizeof root)) return false;
          root_text = root;
        } else {
          root_text = modules_binding_origin(an, b);
          if (!root_text) return false;
        }
        break;
      }
      default:
        return false;
    }
    break;
  }
  strbuf_puts(out, root_text);
  for (int i = nparts - 1; i >= 0; i--) {
    if (!parts[i].call) strbuf_putc(out, '.');
    strbuf_append(out, parts[i].text, parts[i].len);
  }
  return true;
}

static char *modules__compute_origin(Analysis *an, Binding *b) {
  const Syms *sy = an->syms;
  if (b->flags & BINDING_REASSIGNED) return NULL;
  if (b->path && b->path[0] == '[') return NULL; /* array element, rest: not a member */
  StrBuf sb;
  strbuf_init(&sb);
  bool ok = false;
  switch (b->kind) {
    case BIND_IMPORT: {
      char spec[256], module[256];
      if (!node_string_value(an, b->value, spec, sizeof spec)) break;
      modules_normalize(spec, module, sizeof module);
      strbuf_puts(&sb, module);
      /* Node's built-in modules and CommonJS packages expose module.exports as the default
       * export, so `import fs from 'fs'` and `import * as fs` both name the module. */
      if (b->path && strcmp(b->path, "default") != 0) {
        strbuf_putc(&sb, '.');
        strbuf_puts(&sb, b->path);
      }
      ok = true;
      break;
    }
    case BIND_VAR:
    case BIND_LET:
    case BIND_CONST: {
      if (ts_node_is_null(b->value)) break;
      /* `const x = y = require('fs')`: the innermost right-hand side. */
      TSNode value = node_unparen(an, b->value);
      for (int i = 0; i < 8 && node_kind(an, value) == NK_ASSIGNMENT; i++)
        value = node_unparen(an, node_field(value, sy->f_right));
      if (!modules_qualify(an, value, b->scope, &sb)) break;
      if (b->path) {
        strbuf_putc(&sb, '.');
        strbuf_puts(&sb, b->path);
      }
      ok = true;
      break;
    }
    default:
      break;
  }
  if (!ok) {
    strbuf_fini(&sb);
    return NULL;
  }
  return strbuf_take(&sb);
}

const char *modules_binding_origin(Analysis *an, uint32_t index) {
  if (index >= an->bindings.size) return NULL;
  Binding *b = &an->bindings.items[index];
  if (b->flags & BINDING_ORIGIN_DONE) return b->origin;
  if ((b->flags & BINDING_ORIGIN_BUSY) || an->origin_depth >= MODULES_MAX_ALIAS_HOPS) return NULL;
  b->flags |= BINDING_ORIGIN_BUSY;
  an->origin_depth++;
  char *origin = modules__compute_origin(an, b);
  an->origin_depth--;
  /* The bindings array does not move during lookups (nothing is declared after the walk). */
  b = &an->bindings.items[index];
  b->flags &= (uint8_t)~BINDING_ORIGIN_BUSY;
  b->flags |= BINDING_ORIGIN_DONE;
  b->origin = origin;
  return origin;
}
