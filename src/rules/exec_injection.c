/* exec-injection: child_process.exec/execSync (through any alias, destructuring, `node:`, ESM
 * import, or `util.promisify(exec)`) given a command built from values: a template literal
 * with substitutions, a concatenation, `util.format`, `[…].join(' ')`, a variable or a
 * property. exec hands the whole string to /bin/sh, so a value holding `;`, `|`, `$( )` or a
 * quote runs commands of its own; execFile/spawn take the program and an argument array and
 * start no shell. The Q&A entry describes exec as running commands "the operating system's
 * native way, such as pipes".
 *
 * Values that cannot carry a user's text count as constant: string and number literals, a
 * const/never-reassigned variable holding one, `__dirname`, `__filename`, process.execPath /
 * platform / arch, process.cwd(), path.* and os.* of constants, numbers (Date.now(),
 * `.length`), process ids (`child.pid`, a variable named pid/childPid/processId), a var/let
 * whose initial value and every later `x = …` are constant, the project's own JSON
 * (`pkg.version` of `const pkg = require('./package.json')`), calls whose name says they escape or quote (`shellEscape(args)`, `quote([…])`),
 * and the parameter of a helper of this file that is only ever called, by name, with
 * constants (`const run = (cmd) => execSync(cmd); run('npm test');`). Not reported: such
 * commands, a command that is entirely the result of some other call (`exec(buildCommand())`:
 * what it returns is not visible here), spread arguments, execFile/spawn/fork, and every other
 * `.exec` (RegExp#exec, mongoose `query.exec()`, `db.exec(sql)`), which do not resolve to
 * child_process. Entry: exec, execFile, spawn和fork都是做什么用的. */
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/modules.h"
#include "analysis/node.h"
#include "analysis/scope.h"
#include "base/utf.h"
#include "rules/rule.h"

/* Hops through variables and nested operators when judging a command (bounded recursion). */
#define EXEC_MAX_DEPTH 8

typedef struct ExecCandidate {
  TSNode node; /* the call (candidates) or the updated identifier (updates) */
  uint32_t scope;
} ExecCandidate;

typedef struct ExecState {
  Array(ExecCandidate) candidates;
  Array(ExecCandidate) updates;   /* `x += …` on an identifier: the walk does not record them */
  Array(uint32_t) updated;        /* bindings those reach, resolved in finish */
  Array(uint32_t) assuming;       /* reassigned bindings being judged (exec__reassigned) */
  TSNode root;                    /* the program node */
} ExecState;

typedef enum ExecVerdict {
  EXEC_CONSTANT, /* no outside value can reach the shell */
  EXEC_DYNAMIC,  /* built from values: report */
  EXEC_OPAQUE,   /* the whole command comes from a call we cannot see: stay silent */
} ExecVerdict;

static void *exec__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(ExecState));
}

static void exec__destroy(void *state) {
  ExecState *s = state;
  if (!s) return;
  array_delete(&s->candidates);
  array_delete(&s->updates);
  array_delete(&s->updated);
  array_delete(&s->assuming);
  free(s);
}

static void exec__enter(Analysis *an, void *state, TSNode call) {
  const Syms *sy = an->syms;
  ExecState *s = state;
  if (ts_node_is_null(s->root) && an->ancestors.size) s->root = an->ancestors.items[0];
  if (node_kind(an, call) == NK_AUGMENTED_ASSIGNMENT) {
    TSNode left = node_unparen(an, node_field(call, sy->f_left));
    if (node_kind(an, left) == NK_IDENTIFIER)
      array_push(&s->updates, ((ExecCandidate){left, analysis_scope(an)}));
    return;
  }
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  NodeKind kind = node_kind(an, callee);
  if (kind == NK_MEMBER) {
    TSNode prop = node_field(callee, sy->f_property);
    if (!node_text_eq(an, prop, "exec") && !node_text_eq(an, prop, "execSync")) return;
  } else if (kind != NK_IDENTIFIER && kind != NK_CALL) {
    return;
  }
  TSNode args = node_field(call, sy->f_arguments);
  if (node_kind(an, args) != NK_ARGUMENTS || ts_node_named_child_count(args) == 0) return;
  array_push(&s->candidates, ((ExecCandidate){call, analysis_scope(an)}));
}

/* Is `expr` (a call) `util.promisify(<child_process.exec>)`? */
static bool exec__is_promisified_exec(Analysis *an, TSNode expr, uint32_t scope, StrBuf *q) {
  expr = node_unparen(an, expr);
  if (node_kind(an, expr) != NK_CALL) return false;
  strbuf_clear(q);
  if (!modules_qualify(an, node_field(expr, an->syms->f_function), scope, q) ||
      strcmp(q->data, "util.promisify") != 0)
    return false;
  strbuf_clear(q);
  return modules_qualify(an, node_call_arg(an, expr, 0, NULL), scope, q) &&
         strcmp(q->data, "child_process.exec") == 0;
}

/* What the callee runs: "child_process.exec", "child_process.execSync", the promisified exec,
 * or NULL when it is something else. */
static const char *exec__callee(Analysis *an, TSNode callee, uint32_t scope, StrBuf *q) {
  callee = node_unparen(an, callee);
  strbuf_clear(q);
  if (modules_qualify(an, callee, scope, q)) {
    if (strcmp(q->data, "child_process.exec") == 0) return "child_process.exec()";
    if (strcmp(q->data, "child_process.execSync") == 0) return "child_process.execSync()";
  }
  if (exec__is_promisified_exec(an, callee, scope, q)) return "util.promisify(child_process.exec)";
  if (node_kind(an, callee) != NK_IDENTIFIER) return NULL;
  uint32_t b = scope_lookup_node(an, scope, callee);
  if (b == NONE) return NULL;
  const Binding *binding = &an->bindings.items[b];
  if (binding->path || (binding->flags & BINDING_REASSIGNED) || ts_node_is_null(binding->value) ||
      (binding->kind != BIND_CONST && binding->kind != BIND_LET && binding->kind != BIND_VAR))
    return NULL;
  return exec__is_promisified_exec(an, binding->value, binding->scope, q)
             ? "util.promisify(child_process.exec)"
             : NULL;
}

/* The value a never-reassigned variable was declared with, or a null node. */
static TSNode exec__constant_value(Analysis *an, TSNode identifier, uint32_t scope,
                                   uint32_t *value_scope) {
  TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
  uint32_t b = scope_lookup_node(an, scope, identifier);
  if (b == NONE) return null_node;
  const ExecState *s = an->rule_state[RULE_exec_injection];
  for (uint32_t i = 0; s && i < s->updated.size; i++)
    if (s->updated.items[i] == b) return null_node; /* `cmd += …` somewhere */
  const Binding *binding = &an->bindings.items[b];
  if (binding->path || (binding->flags & BINDING_REASSIGNED) ||
      (binding->kind != BIND_CONST && binding->kind != BIND_LET && binding->kind != BIND_VAR))
    return null_node;
  *value_scope = binding->scope;
  return binding->value;
}

/* Does the callee's name say it escapes or quotes for the shell? */
static bool exec__escaper(Analysis *an, TSNode callee) {
  char name[64];
  if (!node_callee_name(an, callee, name, sizeof name)) return false;
  return strstr(name, "scape") || strstr(name, "quote") || strstr(name, "Quote");
}

static ExecVerdict exec__part(Analysis *an, TSNode expr, uint32_t scope, int depth);

/* A call that returns a number, which cannot carry shell syntax: Date.now(), Math.*(…),
 * Number(…), parseInt(…), parseFloat(…), x.toFixed(…). */
static bool exec__numeric_call(Analysis *an, TSNode callee) {
  static const char *const functions[] = {"Number", "parseInt", "parseFloat", NULL};
  const Syms *sy = an->syms;
  if (node_kind(an, callee) == NK_IDENTIFIER) return node_text_in(an, callee, functions);
  if (node_kind(an, callee) != NK_MEMBER) return false;
  TSNode object = node_unparen(an, node_field(callee, sy->f_object));
  TSNode prop = node_field(callee, sy->f_property);
  if (node_text_eq(an, prop, "toFixed")) return true;
  if (node_kind(an, object) != NK_IDENTIFIER) return false;
  return node_text_eq(an, object, "Math") ||
         (node_text_eq(an, object, "Date") && node_text_eq(an, prop, "now"));
}

/* A variable named for a process id (`pid`, `childPid`, `child_pid`, `processId`): the
 * `kill -9 ${pid}` / `taskkill /pid ${pid}` of a process manager, a number in practice. */
static bool exec__pid_name(Analysis *an, TSNode identifier) {
  static const char *const names[] = {"pid", "processId", "PID", NULL};
  if (node_text_in(an, identifier, names)) return true;
  size_t len;
  const char *text = node_text(an, identifier, &len);
  return (len > 3 && (memcmp(text + len - 3, "Pid", 3) == 0 ||
                      memcmp(text + len - 3, "PID", 3) == 0)) ||
         (len > 4 && memcmp(text + len - 4, "_pid", 4) == 0);
}

static ExecVerdict exec__all_args(Analysis *an, TSNode call, uint32_t scope, int depth) {
  for (uint32_t i = 0;; i++) {
    TSNode a = node_call_arg(an, call, i, NULL);
    if (ts_node_is_null(a)) return EXEC_CONSTANT;
    if (exec__part(an, a, scope, depth + 1) != EXEC_CONSTANT) return EXEC_DYNAMIC;
  }
}

/* A call inside (or as) a command: constant when it cannot return a user's text. */
static ExecVerdict exec__call(Analysis *an, TSNode call, uint32_t scope, int depth, StrBuf *q) {
  const Syms *sy = an->syms;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  if (exec__escaper(an, callee) || exec__numeric_call(an, callee)) return EXEC_CONSTANT;
  strbuf_clear(q);
  if (modules_qualify(an, callee, scope, q) &&
      (modules_is_member_of(q->data, "path") || modules_is_member_of(q->data, "os") ||
       strcmp(q->data, "process.cwd") == 0 || strcmp(q->data, "util.format") == 0))
    return exec__all_args(an, call, scope, depth);
  /* `['git', 'log', ref].join(' ')` */
  if (node_kind(an, callee) == NK_MEMBER &&
      node_text_eq(an, node_field(callee, sy->f_property), "join")) {
    TSNode array = node_unparen(an, node_field(callee, sy->f_object));
    if (node_kind(an, array) != NK_ARRAY) return EXEC_DYNAMIC;
    uint32_t n = ts_node_named_child_count(array);
    for (uint32_t i = 0; i < n; i++) {
      TSNode el = ts_node_named_child(array, i);
      if (node_kind(an, el) == NK_COMMENT) continue;
      if (exec__part(an, el, scope, depth + 1) != EXEC_CONSTANT) return EXEC_DYNAMIC;
    }
    return EXEC_CONSTANT;
  }
  return EXEC_DYNAMIC;
}

/* How many times `name` occurs in text[from..to) as a whole word, outside strings, comments
 * and property names (`x.run`): every reference, plus the declaration. */
static uint32_t exec__word_count(const Analysis *an, TSNode root, uint32_t from, uint32_t to,
                                 const char *name, size_t len) {
  uint32_t count = 0;
  if (to > an->len) to = an->len;
  for (const char *p = an->text + from, *end = an->text + to; p + len <= end; p++) {
    p = memchr(p, name[0], (size_t)(end - p));
    if (!p || p + len > end) break;
    if (memcmp(p, name, len) != 0) continue;
    if (!utf8_whole_word(an->text, an->len, (size_t)(p - an->text), len)) continue;
    uint32_t at = (uint32_t)(p - an->text);
    TSNode d = ts_node_descendant_for_byte_range(root, at, at + (uint32_t)len);
    NodeKind kind = node_kind(an, d);
    if (kind == NK_STRING_FRAGMENT || kind == NK_STRING || kind == NK_TEMPLATE_STRING ||
        kind == NK_COMMENT || kind == NK_PROPERTY_IDENTIFIER)
      continue;
    count++;
  }
  return count;
}

/* A parameter of a function of this file is constant when the function is only ever called
 * here, by name, and every call passes a constant in its place: the
 * `const run = (cmd) => execSync(cmd)` helper of a build script. */
static ExecVerdict exec__param(Analysis *an, uint32_t param, int depth) {
  const Syms *sy = an->syms;
  const Binding *b = &an->bindings.items[param];
  if (b->kind != BIND_PARAM || b->path || (b->flags & BINDING_REASSIGNED) ||
      depth + 1 > EXEC_MAX_DEPTH)
    return EXEC_DYNAMIC;
  const FuncInfo *f = NULL;
  for (uint32_t i = 0; i < an->funcs.size && !f; i++)
    if (an->funcs.items[i].scope == b->scope) f = &an->funcs.items[i];
  if (!f) return EXEC_DYNAMIC;
  uint32_t index = UINT32_MAX, count = node_function_param_count(an, f->node);
  for (uint32_t i = 0; i < count && index == UINT32_MAX; i++) {
    TSNode p = node_function_param(an, f->node, i);
    if (node_kind(an, p) == NK_ASSIGNMENT_PATTERN) p = node_field(p, sy->f_left);
    if (ts_node_start_byte(p) == b->name_start) index = i;
  }
  /* The function's name: `function run(…)` or `const run = (…) => …`. */
  TSNode name = node_field(f->node, sy->f_name);
  if (node_kind(an, f->node) != NK_FUNCTION_DECLARATION) {
    TSNode decl = f->up[0];
    name = node_kind(an, decl) == NK_VARIABLE_DECLARATOR &&
                   ts_node_start_byte(node_field(decl, sy->f_value)) == ts_node_start_byte(f->node)
               ? node_field(decl, sy->f_name)
               : node_field(decl, sy->f_value); /* not an identifier: fails below */
  }
  if (index == UINT32_MAX || node_kind(an, name) != NK_IDENTIFIER) return EXEC_DYNAMIC;
  uint32_t fn_binding = scope_lookup_node(an, f->outer_scope, name);
  if (fn_binding == NONE) return EXEC_DYNAMIC;
  const ExecState *s = an->rule_state[RULE_exec_injection];
  uint32_t calls = 0;
  for (uint32_t i = 0; s && i < s->candidates.size; i++) {
    ExecCandidate c = s->candidates.items[i];
    TSNode callee = node_unparen(an, node_field(c.node, sy->f_function));
    if (node_kind(an, callee) != NK_IDENTIFIER ||
        scope_lookup_node(an, c.scope, callee) != fn_binding)
      continue;
    calls++;
    TSNode arg = node_call_arg(an, c.node, index, NULL);
    if (!ts_node_is_null(arg) && exec__part(an, arg, c.scope, depth + 1) != EXEC_CONSTANT)
      return EXEC_DYNAMIC;
  }
  /* Called with no arguments, passed along, exported: not every caller is known. Only the
   * scope the name is declared in can mention it. */
  size_t len;
  const char *text = node_text(an, name, &len);
  const Scope *home = &an->scopes.items[an->bindings.items[fn_binding].scope];
  if (calls == 0 || !s || ts_node_is_null(s->root) ||
      exec__word_count(an, s->root, home->start_byte, home->end_byte, text, len) != calls + 1)
    return EXEC_DYNAMIC;
  return EXEC_CONSTANT;
}

/* `require('./package.json')`: a JSON file of the project itself (a release script's
 * `git tag v${pkg.version}`), not a value from outside. */
static bool exec__own_json(Analysis *an, TSNode value) {
  const Syms *sy = an->syms;
  if (ts_node_is_null(value)) return false;
  value = node_unparen(an, value);
  if (node_kind(an, value) != NK_CALL) return false;
  TSNode callee = node_unparen(an, node_field(value, sy->f_function));
  if (node_kind(an, callee) != NK_IDENTIFIER || !node_text_eq(an, callee, "require")) return false;
  char spec[256];
  TSNode arg = node_call_arg(an, value, 0, NULL);
  if (ts_node_is_null(arg) || !node_string_value(an, arg, spec, sizeof spec)) return false;
  size_t len = strlen(spec);
  return spec[0] == '.' && len > 5 && strcmp(spec + len - 5, ".json") == 0;
}

/* An identifier bound to (a part of) the project's own JSON: `const pkg = require(
 * './package.json')`, `const { version } = require('../package.json')`. */
static bool exec__own_json_binding(Analysis *an, TSNode identifier, uint32_t scope) {
  uint32_t b = scope_lookup_node(an, scope, identifier);
  if (b == NONE) return false;
  const Binding *binding = &an->bindings.items[b];
  return !(binding->flags & BINDING_REASSIGNED) &&
         (binding->kind == BIND_CONST || binding->kind == BIND_LET ||
          binding->kind == BIND_VAR) &&
         exec__own_json(an, binding->value);
}

/* A var/let assigned more than once is constant when its initial value and every `x = …`
 * assigned to it are: `let cmd = 'npm'; if (yarn) cmd = 'yarn';`, or
 * `bin = path.resolve('..', bin)` (the variable's own value counts as constant while its
 * assignments are judged). Bindings updated with `x += …` are not. */
static ExecVerdict exec__reassigned(Analysis *an, uint32_t b, int depth) {
  ExecState *s = an->rule_state[RULE_exec_injection];
  const Binding *binding = &an->bindings.items[b];
  if (!s || binding->path || !(binding->flags & BINDING_REASSIGNED) ||
      (binding->kind != BIND_LET && binding->kind != BIND_VAR) || depth + 1 > EXEC_MAX_DEPTH)
    return EXEC_DYNAMIC;
  for (uint32_t i = 0; i < s->updated.size; i++)
    if (s->updated.items[i] == b) return EXEC_DYNAMIC;
  for (uint32_t i = 0; i < s->assuming.size; i++)
    if (s->assuming.items[i] == b) return EXEC_CONSTANT;
  uint32_t mark = s->assuming.size;
  array_push(&s->assuming, b);
  ExecVerdict v = EXEC_CONSTANT;
  /* `let cmd;` with no initialiser takes its first assignment as its value. */
  TSNode value = an->bindings.items[b].value;
  uint32_t value_scope = an->bindings.items[b].scope;
  if (!ts_node_is_null(value) && exec__part(an, value, value_scope, depth + 1) != EXEC_CONSTANT)
    v = EXEC_DYNAMIC;
  for (uint32_t i = 0; v == EXEC_CONSTANT && i < an->assignments.size; i++) {
    const PendingAssignment *a = &an->assignments.items[i];
    if (scope_lookup_node(an, a->scope, a->left) != b) continue;
    if (exec__part(an, a->right, a->scope, depth + 1) != EXEC_CONSTANT) v = EXEC_DYNAMIC;
  }
  s->assuming.size = mark;
  return v;
}

/* A piece of a command: a value spliced into it. */
static ExecVerdict exec__part(Analysis *an, TSNode expr, uint32_t scope, int depth) {
  const Syms *sy = an->syms;
  if (depth > EXEC_MAX_DEPTH) return EXEC_DYNAMIC;
  expr = node_unparen(an, expr);
  switch (node_kind(an, expr)) {
    case NK_STRING:
    case NK_NUMBER:
      return EXEC_CONSTANT;
    case NK_TEMPLATE_STRING: {
      uint32_t n = ts_node_named_child_count(expr);
      for (uint32_t i = 0; i < n; i++) {
        TSNode sub = ts_node_named_child(expr, i);
        if (node_kind(an, sub) != NK_TEMPLATE_SUBSTITUTION) continue;
        if (exec__part(an, ts_node_named_child(sub, 0), scope, depth + 1) != EXEC_CONSTANT)
          return EXEC_DYNAMIC;
      }
      return EXEC_CONSTANT;
    }
    case NK_BINARY_EXPRESSION: {
      /* `'a' + b + 'c' + …` nests to the left: walk that spine in a loop. */
      TSNode cur = expr;
      for (int i = 0; i < 256 && node_kind(an, cur) == NK_BINARY_EXPRESSION; i++) {
        if (exec__part(an, node_field(cur, sy->f_right), scope, depth + 1) != EXEC_CONSTANT)
          return EXEC_DYNAMIC;
        cur = node_unparen(an, node_field(cur, sy->f_left));
      }
      return exec__part(an, cur, scope, depth + 1);
    }
    case NK_TERNARY:
      if (exec__part(an, node_field(expr, sy->f_consequence), scope, depth + 1) != EXEC_CONSTANT)
        return EXEC_DYNAMIC;
      return exec__part(an, node_field(expr, sy->f_alternative), scope, depth + 1);
    case NK_IDENTIFIER: {
      uint32_t value_scope = scope;
      TSNode value = exec__constant_value(an, expr, scope, &value_scope);
      if (ts_node_is_null(value)) {
        if (exec__pid_name(an, expr) || exec__own_json_binding(an, expr, scope))
          return EXEC_CONSTANT;
        uint32_t b = scope_lookup_node(an, scope, expr);
        if (b != NONE && an->bindings.items[b].kind == BIND_PARAM)
          return exec__param(an, b, depth);
        if (b != NONE) return exec__reassigned(an, b, depth);
        return node_text_eq(an, expr, "__dirname") || node_text_eq(an, expr, "__filename")
                   ? EXEC_CONSTANT
                   : EXEC_DYNAMIC;
      }
      return exec__part(an, value, value_scope, depth + 1);
    }
    case NK_MEMBER: {
      static const char *const constant[] = {"process.execPath", "process.pid",
                                             "process.platform", "process.arch", NULL};
      /* `.length`, and a process id: `child.pid` (ChildProcess#pid is a number). */
      TSNode prop = node_field(expr, sy->f_property);
      if (node_text_eq(an, prop, "length") || node_text_eq(an, prop, "pid")) return EXEC_CONSTANT;
      /* `pkg.version`, `pkg.config.port` of `const pkg = require('./package.json')` */
      TSNode root = expr;
      for (int i = 0; i < 16 && node_kind(an, root) == NK_MEMBER; i++)
        root = node_unparen(an, node_field(root, sy->f_object));
      if (node_kind(an, root) == NK_IDENTIFIER && exec__own_json_binding(an, root, scope))
        return EXEC_CONSTANT;
      if (exec__own_json(an, root)) return EXEC_CONSTANT; /* require('./package.json').version */
      StrBuf q;
      strbuf_init(&q);
      bool known = modules_qualify(an, expr, scope, &q);
      bool ok = false;
      for (const char *const *c = constant; known && *c && !ok; c++) ok = strcmp(q.data, *c) == 0;
      strbuf_fini(&q);
      return ok ? EXEC_CONSTANT : EXEC_DYNAMIC;
    }
    case NK_CALL: {
      StrBuf q;
      strbuf_init(&q);
      ExecVerdict v = exec__call(an, expr, scope, depth, &q);
      strbuf_fini(&q);
      return v;
    }
    default:
      return EXEC_DYNAMIC;
  }
}

/* The command as a whole: a variable is followed to its value; a command that is entirely
 * the result of a call we cannot judge is opaque. */
static ExecVerdict exec__command(Analysis *an, TSNode expr, uint32_t scope) {
  for (int depth = 0; depth < EXEC_MAX_DEPTH; depth++) {
    expr = node_unparen(an, expr);
    NodeKind kind = node_kind(an, expr);
    if (kind == NK_IDENTIFIER) {
      uint32_t value_scope = scope;
      TSNode value = exec__constant_value(an, expr, scope, &value_scope);
      if (ts_node_is_null(value)) return exec__part(an, expr, scope, 0);
      expr = value;
      scope = value_scope;
      continue;
    }
    if (kind == NK_AWAIT) return EXEC_OPAQUE;
    if (kind == NK_CALL) {
      StrBuf q;
      strbuf_init(&q);
      TSNode callee = node_unparen(an, node_field(expr, an->syms->f_function));
      bool builds = exec__escaper(an, callee) ||
                    (node_kind(an, callee) == NK_MEMBER &&
                     node_text_eq(an, node_field(callee, an->syms->f_property), "join")) ||
                    (modules_qualify(an, callee, scope, &q) &&
                     (modules_is_member_of(q.data, "path") || modules_is_member_of(q.data, "os") ||
                      strcmp(q.data, "util.format") == 0));
      strbuf_fini(&q);
      if (!builds) return EXEC_OPAQUE;
    }
    return exec__part(an, expr, scope, 0);
  }
  return EXEC_OPAQUE;
}

static void exec__finish(Analysis *an, void *state) {
  const Syms *sy = an->syms;
  ExecState *s = state;
  for (uint32_t i = 0; i < s->updates.size; i++) {
    uint32_t b = scope_lookup_node(an, s->updates.items[i].scope, s->updates.items[i].node);
    if (b != NONE) array_push(&s->updated, b);
  }
  StrBuf q;
  strbuf_init(&q);
  for (uint32_t i = 0; i < s->candidates.size; i++) {
    ExecCandidate c = s->candidates.items[i];
    TSNode callee = node_field(c.node, sy->f_function);
    const char *what = exec__callee(an, callee, c.scope, &q);
    if (!what) continue;
    TSNode command = node_call_arg(an, c.node, 0, NULL);
    if (ts_node_is_null(command) || node_kind(an, command) == NK_SPREAD_ELEMENT ||
        exec__command(an, command, c.scope) != EXEC_DYNAMIC)
      continue;
    char text[72];
    node_text_oneline(an, command, text, sizeof text);
    /* A template literal brings its own backticks. */
    const char *quote = node_kind(an, node_unparen(an, command)) == NK_TEMPLATE_STRING ? "" : "`";
    bool sync = strstr(what, "execSync") != NULL;
    rule_report_span(an, RULE_exec_injection, callee, command,
                     "%s runs %s%s%s through a shell, so a ; | $( ) or quote in the value it is "
                     "built from runs as a command; pass the program and an argument array to "
                     "%s instead",
                     what, quote, text, quote,
                     sync ? "execFileSync() or spawnSync()" : "execFile() or spawn()");
  }
  strbuf_fini(&q);
}

static const NodeKind exec__kinds[] = {NK_CALL, NK_AUGMENTED_ASSIGNMENT, NK_OTHER};

static const char *const exec_injection__required_words[] = {"exec", NULL};

const RuleHooks rule_hooks_exec_injection = {
    .required_words = exec_injection__required_words,
    .node_kinds = exec__kinds,
    .create = exec__create,
    .destroy = exec__destroy,
    .enter = exec__enter,
    .finish = exec__finish,
};
