/* promise-catch-missing: an expression statement whose value is a promise chain ending in
 * `.then(…)` or `.finally(…)`, with no `.catch(…)` anywhere in the chain and no `.then` given
 * a rejection handler (a second argument). Nobody holds the resulting promise, so a rejection
 * becomes an unhandledRejection, which terminates the process since Node 15.
 *
 * Only a bare statement is reported: a chain that is returned, awaited, yielded, assigned,
 * passed as an argument, discarded with `void`, or is an arrow's expression body belongs to
 * whoever receives it. `.then` on thenables that are not promises (jQuery deferreds) is
 * reported too, as eslint-plugin-promise does; Cypress command chains (`cy.get(…).then(…)`),
 * which are not promises and cannot reject, are not. Bracket spellings (`p['catch'](…)`, as
 * ES3-era code writes it) and optional chaining (`p?.then(…)?.catch(…)`) count like dots.
 * Entries: 什么是Promise, 如何捕获NodeJS中的错误，有几种方法. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/node.h"
#include "base/xalloc.h"
#include "rules/rule.h"

typedef enum PcmLink { PCM_NONE, PCM_THEN, PCM_CATCH, PCM_FINALLY } PcmLink;

/* Roots of chains whose `.then` is not a promise's. */
static const char *const pcm__not_promise_roots[] = {"cy", "Cypress", NULL};

/* Arguments that are no rejection handler: `p.then(ok, null)`. */
static const char *const pcm__no_handler[] = {"null", "undefined", "void 0", NULL};

/* Which promise method a call is: `x.then(…)`, `x?.then(…)`, `x['then'](…)`. */
static PcmLink pcm__link(Analysis *an, TSNode call, TSNode *receiver) {
  const Syms *sy = an->syms;
  if (node_kind(an, call) != NK_CALL) return PCM_NONE;
  TSNode callee = node_unparen(an, node_field(call, sy->f_function));
  char name[8];
  switch (node_kind(an, callee)) {
    case NK_MEMBER:
      if (!node_text_copy(an, node_field(callee, sy->f_property), name, sizeof name))
        return PCM_NONE;
      break;
    case NK_SUBSCRIPT:
      if (!node_string_value(an, node_field(callee, sy->f_index), name, sizeof name))
        return PCM_NONE;
      break;
    default:
      return PCM_NONE;
  }
  *receiver = node_unparen(an, node_field(callee, sy->f_object));
  if (strcmp(name, "then") == 0) return PCM_THEN;
  if (strcmp(name, "catch") == 0) return PCM_CATCH;
  if (strcmp(name, "finally") == 0) return PCM_FINALLY;
  return PCM_NONE;
}

/* Does this `.then(…)` call have a rejection handler (a real second argument)? */
static bool pcm__has_rejection_handler(Analysis *an, TSNode call) {
  TSNode args = node_field(call, an->syms->f_arguments);
  uint32_t n = ts_node_named_child_count(args), k = 0;
  for (uint32_t i = 0; i < n; i++) {
    TSNode arg = ts_node_named_child(args, i);
    if (node_kind(an, arg) == NK_COMMENT) continue;
    /* `p.then(...handlers)`: the count is unknown; assume the handler is there. */
    size_t len;
    const char *t = node_text(an, arg, &len);
    if (len >= 3 && memcmp(t, "...", 3) == 0) return true;
    if (k++ == 1) return !node_text_in(an, node_unparen(an, arg), pcm__no_handler);
  }
  return false;
}

/* The identifier a chain starts from (`cy` in `cy.get('a').then(…)`), or a null node. */
static TSNode pcm__root(Analysis *an, TSNode node) {
  const Syms *sy = an->syms;
  for (;;) { /* bounded by the length of the chain */
    node = node_unparen(an, node);
    switch (node_kind(an, node)) {
      case NK_CALL:
        node = node_field(node, sy->f_function);
        break;
      case NK_MEMBER:
      case NK_SUBSCRIPT:
        node = node_field(node, sy->f_object);
        break;
      case NK_IDENTIFIER:
        return node;
      default: {
        TSNode null_node = {{0, 0, 0, 0}, NULL, NULL};
        return null_node;
      }
    }
  }
}

/* Copies the node's text into buf on one line: comments, line breaks and the blanks around
 * them are dropped (`knex('t') // …\n  .where(…)` reads `knex('t').where(…)`). False if the
 * result is longer than `max` bytes (or the text is too long to bother). */
static bool pcm__one_line(Analysis *an, TSNode node, char *buf, size_t max) {
  enum { MAX_TEXT = 512, MAX_COMMENTS = 8 };
  size_t len, used = 0;
  const char *t = node_text(an, node, &len);
  if (len > MAX_TEXT) return false;
  /* The comments inside, as offsets into t (a cursor walk of a small subtree). */
  uint32_t comments[MAX_COMMENTS][2], ncomments = 0, base = ts_node_start_byte(node);
  TSTreeCursor c = ts_tree_cursor_new(node);
  for (bool more = true; more;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if (node_kind(an, n) == NK_COMMENT) {
      if (ncomments == MAX_COMMENTS) {
        ts_tree_cursor_delete(&c);
        return false;
      }
      comments[ncomments][0] = ts_node_start_byte(n) - base;
      comments[ncomments++][1] = ts_node_end_byte(n) - base;
    }
    if (ts_tree_cursor_goto_first_child(&c)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) {
        more = false;
        break;
      }
  }
  ts_tree_cursor_delete(&c);
  for (size_t i = 0; i < len; i++) {
    bool in_comment = false;
    for (uint32_t k = 0; k < ncomments; k++)
      if (i >= comments[k][0] && i < comments[k][1]) {
        i = comments[k][1] - 1;
        in_comment = true;
        break;
      }
    if (in_comment) continue;
    if (t[i] == '\n' || t[i] == '\r') {
      while (used > 0 && (buf[used - 1] == ' ' || buf[used - 1] == '\t')) used--;
      while (i + 1 < len && (t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n' ||
                             t[i + 1] == '\r'))
        i++;
      continue;
    }
    if (used >= max) return false;
    buf[used++] = t[i];
  }
  buf[used] = '\0';
  return true;
}

/* Writes the chain head for the message: its text when short, else a short form of it
 * (`fetch(…)`, `….query(…)`, `…`). buf holds at least 64 bytes. */
static void pcm__describe_head(Analysis *an, TSNode head, char *buf, size_t cap) {
  const Syms *sy = an->syms;
  size_t len;
  const char *t;
  if (pcm__one_line(an, head, buf, 48)) return;
  if (node_kind(an, head) == NK_CALL) {
    TSNode callee = node_unparen(an, node_field(head, sy->f_function));
    if (pcm__one_line(an, callee, buf, 40)) {
      snprintf(buf + strlen(buf), cap - strlen(buf), "(…)");
      return;
    }
    NodeKind ck = node_kind(an, callee);
    if (ck == NK_FUNCTION_EXPRESSION || ck == NK_ARROW_FUNCTION) { /* an IIFE */
      t = node_text(an, callee, &len);
      bool async = len > 5 && memcmp(t, "async", 5) == 0;
      snprintf(buf, cap, "(%s%s)()", async ? "async " : "",
               ck == NK_ARROW_FUNCTION ? "() => {…}" : "function () {…}");
      return;
    }
    char name[40];
    if (node_kind(an, callee) == NK_MEMBER && node_callee_name(an, callee, name, sizeof name)) {
      snprintf(buf, cap, "….%s(…)", name);
      return;
    }
  } else if (node_kind(an, head) == NK_NEW) {
    TSNode ctor = node_field(head, sy->f_constructor);
    t = node_text(an, ctor, &len);
    if (len <= 40 && !memchr(t, '\n', len)) {
      snprintf(buf, cap, "new %.*s(…)", (int)len, t);
      return;
    }
  }
  snprintf(buf, cap, "…");
}

typedef struct PcmFinding {
  TSNode stmt;
  bool then; /* the chain ends in .then (else .finally) */
  char head[160];
} PcmFinding;

/* Findings wait for the end of the walk: a process-wide rejection listener registered
 * anywhere in the file changes what their message must say. */
typedef struct PcmState {
  Array(PcmFinding) findings;
  bool has_rejection_listener;
} PcmState;

static void pcm__enter(Analysis *an, void *state, TSNode stmt) {
  TSNode expr = node_unparen(an, ts_node_named_child(stmt, 0));
  TSNode receiver;
  PcmLink link = pcm__link(an, expr, &receiver);
  if (link != PCM_THEN && link != PCM_FINALLY) return;
  /* A half-typed `.catch(` may be what tree-sitter turned into an ERROR node. */
  if (ts_node_has_error(stmt)) return;
  /* Walk down the chain to its head: the receiver of its first link. */
  TSNode first = expr;
  for (TSNode call = expr;;) {
    if (link == PCM_CATCH) return;
    if (link == PCM_THEN && pcm__has_rejection_handler(an, call)) return;
    first = call;
    call = receiver;
    link = pcm__link(an, call, &receiver);
    if (link == PCM_NONE) break;
  }
  TSNode head;
  PcmLink first_link = pcm__link(an, first, &head);
  if (ts_node_is_null(head)) return;
  if (node_text_in(an, pcm__root(an, head), pcm__not_promise_roots)) return;
  char head_text[160];
  pcm__describe_head(an, head, head_text, sizeof head_text);
  PcmState *s = state;
  PcmFinding f;
  f.stmt = stmt;
  f.then = first_link == PCM_THEN;
  memcpy(f.head, head_text, sizeof f.head);
  array_push(&s->findings, f);
}

/* `process.on('unhandledRejection', …)` (or once/addListener/prepend…): then a rejection does
 * not end the process, and the message must not say it does. */
static void pcm__note_listener(Analysis *an, PcmState *s, TSNode call) {
  static const char *const adders[] = {"on", "once", "addListener", "prependListener",
                                       "prependOnceListener", NULL};
  TSNode callee = node_unparen(an, node_field(call, an->syms->f_function));
  if (node_kind(an, callee) != NK_MEMBER ||
      !node_text_eq(an, node_field(callee, an->syms->f_object), "process") ||
      !node_text_in(an, node_field(callee, an->syms->f_property), adders))
    return;
  char event[32];
  if (node_string_value(an, node_call_arg(an, call, 0, NULL), event, sizeof event) &&
      strcmp(event, "unhandledRejection") == 0)
    s->has_rejection_listener = true;
}

static void pcm__dispatch(Analysis *an, void *state, TSNode node) {
  if (node_kind(an, node) == NK_CALL) pcm__note_listener(an, state, node);
  else pcm__enter(an, state, node);
}

static void pcm__finish(Analysis *an, void *state) {
  PcmState *s = state;
  for (uint32_t i = 0; i < s->findings.size; i++) {
    const PcmFinding *f = &s->findings.items[i];
    if (s->has_rejection_listener)
      rule_report(an, RULE_promise_catch_missing, f->stmt,
                  "`%s.%s(…)` has no .catch(): a rejection here is not handled where it happens "
                  "and only reaches the process-wide 'unhandledRejection' listener",
                  f->head, f->then ? "then" : "finally");
    else
      rule_report(an, RULE_promise_catch_missing, f->stmt,
                  "`%s.%s(…)` has no .catch(): a rejection here becomes an unhandledRejection, "
                  "which terminates Node ≥15",
                  f->head, f->then ? "then" : "finally");
  }
}

static void *pcm__create(Analysis *an) {
  (void)an;
  return xcalloc(1, sizeof(PcmState));
}

static void pcm__destroy(void *state) {
  PcmState *s = state;
  if (!s) return;
  array_delete(&s->findings);
  free(s);
}

static const NodeKind pcm__kinds[] = {NK_EXPRESSION_STATEMENT, NK_CALL, NK_OTHER};

static const char *const promise_catch_missing__required_words[] = {"then", "finally", NULL};

const RuleHooks rule_hooks_promise_catch_missing = {
    .required_words = promise_catch_missing__required_words,
    .node_kinds = pcm__kinds,
    .create = pcm__create,
    .destroy = pcm__destroy,
    .enter = pcm__dispatch,
    .finish = pcm__finish,
};
